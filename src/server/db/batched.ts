import DataLoader from 'dataloader';

/**
 * Gathers the calls made in one turn of the event loop into one call of `run`: on a hot path
 * (the gate's scans), one statement for the requests that arrived together instead of a round
 * trip each. `run` answers each item, in order. Should the whole batch fail, each item is run
 * alone, so that a bad item fails only its own call. A call waits for its batch's statement to
 * end (for a write, its commit), never for anything later.
 */
export function batched<K, V>(run: (items: readonly K[]) => Promise<V[]>, maxBatchSize = 200): (item: K) => Promise<V> {
  const asError = (e: unknown) => (e instanceof Error ? e : new Error(String(e)));
  const loader = new DataLoader<K, V>(
    async (items) => {
      try {
        return await run(items);
      } catch (e) {
        if (items.length === 1) return [asError(e)];
        return Promise.all(items.map((item) => run([item]).then((r) => r[0] as V, asError)));
      }
    },
    // setImmediate: after the poll phase, so the requests read from every socket in this turn are in.
    { cache: false, maxBatchSize, batchScheduleFn: (flush) => setImmediate(flush) },
  );
  return (item) => loader.load(item);
}
