/**
 * Scans run one at a time per database: the hourly job, approvals, imports, the energy recompute
 * and an explicit energy detection may coincide, and each reads the warnings before writing them.
 */
const queues = new WeakMap<object, Promise<unknown>>();

/** Runs `run` after every scan already queued on `key` (the database handle) has finished. */
export function oneScanAtATime<T>(key: object, run: () => Promise<T>): Promise<T> {
  const next = (queues.get(key) ?? Promise.resolve()).catch(() => undefined).then(run);
  queues.set(key, next.catch(() => undefined));
  return next;
}
