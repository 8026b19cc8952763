import { describe, expect, it } from 'vitest';
import { batched } from './batched';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('batched', () => {
  it('runs the calls of one turn together, answering each in order', async () => {
    const runs: number[][] = [];
    const double = batched(async (items: readonly number[]) => {
      runs.push([...items]);
      return items.map((n) => n * 2);
    });
    expect(await Promise.all([1, 2, 3].map(double))).toEqual([2, 4, 6]);
    expect(runs).toEqual([[1, 2, 3]]);
    // A later turn is a batch of its own.
    const later = double(4);
    await nextTurn();
    expect(await Promise.all([later, double(5)])).toEqual([8, 10]);
    expect(runs).toEqual([[1, 2, 3], [4], [5]]);
  });

  it('splits a turn into batches of at most maxBatchSize', async () => {
    const sizes: number[] = [];
    const same = batched(async (items: readonly number[]) => {
      sizes.push(items.length);
      return [...items];
    }, 4);
    const items = Array.from({ length: 10 }, (_, i) => i);
    expect(await Promise.all(items.map(same))).toEqual(items);
    expect(sizes).toEqual([4, 4, 2]);
  });

  it('when a batch fails, runs each item alone: only the bad item fails', async () => {
    const runs: number[][] = [];
    const checked = batched(async (items: readonly number[]) => {
      runs.push([...items]);
      if (items.includes(13)) throw new Error('thirteen refused');
      return items.map((n) => n + 1);
    });
    const results = await Promise.allSettled([12, 13, 14].map(checked));
    expect(results).toEqual([
      { status: 'fulfilled', value: 13 },
      { status: 'rejected', reason: new Error('thirteen refused') },
      { status: 'fulfilled', value: 15 },
    ]);
    expect(runs).toEqual([[12, 13, 14], [12], [13], [14]]);
    // A batch of one that fails fails once, with the error as thrown (a string made an Error).
    const refuse = batched(async (): Promise<number[]> => {
      throw 'no';
    });
    await expect(refuse(1)).rejects.toThrow('no');
  });
});
