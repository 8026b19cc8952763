import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INITIAL_WARNING_STATE, isMuted, step, type WarningPolicy, type WarningState } from './debounce';

const policy = (over: Partial<WarningPolicy> = {}): WarningPolicy => ({ holdPeriods: 1, mute: [], notify: 'once', ...over });

/** Steps through conditions at instants 1, 2, 3, …; returns status and notify per evaluation. */
function run(p: WarningPolicy, conditions: readonly boolean[], start: WarningState = INITIAL_WARNING_STATE) {
  let state = start;
  return conditions.map((c, i) => {
    const r = step(p, state, c, i + 1);
    state = r.state;
    return { status: state.status, notify: r.notify, state };
  });
}
const statuses = (p: WarningPolicy, conditions: readonly boolean[]) => run(p, conditions).map((r) => r.status);
const notifiedAt = (p: WarningPolicy, conditions: readonly boolean[]) => run(p, conditions).flatMap((r, i) => (r.notify ? [i + 1] : []));
const T = true;
const F = false;

describe('transitions', () => {
  it('pending for holdPeriods − 1 evaluations, then firing, then resolved, then pending again', () => {
    const p = policy({ holdPeriods: 3 });
    expect(statuses(p, [T, T, T, T, F, F, T])).toEqual(['pending', 'pending', 'firing', 'firing', 'resolved', 'resolved', 'pending']);
    expect(notifiedAt(p, [T, T, T, T, F, F, T])).toEqual([3]);
  });
  it('a pending condition that clears never fired, so it returns to inactive and starts over', () => {
    const p = policy({ holdPeriods: 3 });
    expect(statuses(p, [T, T, F, T, T])).toEqual(['pending', 'pending', 'inactive', 'pending', 'pending']);
    expect(notifiedAt(p, [T, T, F, T, T])).toEqual([]);
  });
  it('holdPeriods 1 fires on the first true evaluation', () => {
    expect(statuses(policy(), [F, T, F])).toEqual(['inactive', 'firing', 'resolved']);
  });
  it('keeps count and the instant each status began', () => {
    const r = run(policy({ holdPeriods: 2 }), [T, T, T, F]);
    expect(r.map((x) => [x.state.held, x.state.since])).toEqual([[1, 1], [2, 2], [3, 2], [0, 4]]);
  });
  it('refuses holdPeriods that are not whole numbers ≥ 1', () => {
    expect(() => step(policy({ holdPeriods: 0 }), INITIAL_WARNING_STATE, true, 0)).toThrow(RangeError);
    expect(() => step(policy({ holdPeriods: 1.5 }), INITIAL_WARNING_STATE, true, 0)).toThrow(RangeError);
  });
});

describe('notify once or every time', () => {
  it("'once' notifies once per firing episode; 'every' at each firing evaluation", () => {
    const conditions = [T, T, T, F, T, T];
    expect(notifiedAt(policy({ notify: 'once' }), conditions)).toEqual([1, 5]);
    expect(notifiedAt(policy({ notify: 'every' }), conditions)).toEqual([1, 2, 3, 5, 6]);
  });
});

describe('mute windows', () => {
  it('from is muted, to is not', () => {
    expect(isMuted([[10, 20]], 10)).toBe(true);
    expect(isMuted([[10, 20]], 19.999)).toBe(true);
    expect(isMuted([[10, 20]], 20)).toBe(false);
    expect(isMuted([[10, 20]], 9)).toBe(false);
    expect(isMuted([[20, 10]], 15)).toBe(false);
  });
  it('fires inside a mute window without notifying; a held-back "once" notice goes out when the window ends', () => {
    const p = policy({ mute: [[1, 3]] });
    const r = run(p, [T, T, T, T]);
    expect(r.map((x) => [x.status, x.notify])).toEqual([['firing', false], ['firing', false], ['firing', true], ['firing', false]]);
  });
  it('a "once" notice held back is dropped when the episode resolves inside the window', () => {
    const p = policy({ mute: [[1, 3]] });
    expect(notifiedAt(p, [T, F, F, F])).toEqual([]);
    expect(notifiedAt(p, [T, F, T, T])).toEqual([3]);
  });
  it("'every' is silent only inside the window", () => {
    expect(notifiedAt(policy({ notify: 'every', mute: [[2, 4]] }), [T, T, T, T, T])).toEqual([1, 4, 5]);
  });
});

describe('properties', () => {
  const arb = fc.record({
    holdPeriods: fc.integer({ min: 1, max: 5 }),
    notify: fc.constantFrom('once' as const, 'every' as const),
    mute: fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 10 })).map(([from, len]) => [from, from + len] as const), { maxLength: 3 }),
    conditions: fc.array(fc.boolean(), { maxLength: 40 }),
  });

  it('firing exactly when the trailing run of true conditions is at least holdPeriods long; pending when shorter', () => {
    fc.assert(
      fc.property(arb, ({ conditions, ...p }) => {
        let trailing = 0;
        run(p, conditions).forEach((r, i) => {
          trailing = conditions[i] ? trailing + 1 : 0;
          expect(r.state.held).toBe(trailing);
          if (trailing >= p.holdPeriods) expect(r.status).toBe('firing');
          else if (trailing > 0) expect(r.status).toBe('pending');
          else expect(['inactive', 'resolved']).toContain(r.status);
        });
      }),
    );
  });

  it('notifies only while firing and unmuted; "once" at most once per episode, and at its first unmuted evaluation', () => {
    fc.assert(
      fc.property(arb, ({ conditions, ...p }) => {
        const results = run(p, conditions);
        let episodeNotices = 0;
        let owed = false;
        results.forEach((r, i) => {
          const at = i + 1;
          if (r.status !== 'firing') {
            episodeNotices = 0;
            owed = false;
          } else if (results[i - 1]?.status !== 'firing') owed = true;
          if (r.notify) {
            expect(r.status).toBe('firing');
            expect(isMuted(p.mute, at)).toBe(false);
            episodeNotices++;
          }
          if (r.status === 'firing' && !isMuted(p.mute, at)) {
            expect(r.notify).toBe(p.notify === 'every' || owed);
            owed = false;
          }
          if (p.notify === 'once') expect(episodeNotices).toBeLessThanOrEqual(1);
        });
      }),
    );
  });
});
