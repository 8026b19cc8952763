import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, generateRoster, shiftCovers, shiftSpan, spansOverlap, type RosterAssignment, type RosterRequest, type RosterShift } from './roster';

const threeShifts: RosterShift[] = [
  { code: 'A', starts: '07:30', ends: '15:30' },
  { code: 'B', starts: '15:30', ends: '23:30' },
  { code: 'C', starts: '23:30', ends: '07:30' },
];
const gates = ['G1', 'G2', 'G3', 'G4', 'G5'];
const guards = (n: number) => Array.from({ length: n }, (_, i) => `P${String(i + 1).padStart(3, '0')}`);

/** The rules every roster keeps: full posts, distinct guards per slot, no overlaps, loads ±1. */
function expectSound(req: RosterRequest, assignments: RosterAssignment[], loads: Record<string, number>): void {
  const byShift = new Map(req.shifts.map((s) => [s.code, s]));
  expect(assignments).toHaveLength(req.days * req.shifts.length * req.posts.length * req.perPost);
  const slots = new Map<string, string[]>();
  for (const a of assignments) {
    const key = `${a.date}|${a.shift}|${a.post}`;
    slots.set(key, [...(slots.get(key) ?? []), a.guard]);
  }
  for (const [key, gs] of slots) {
    expect(gs, key).toHaveLength(req.perPost);
    expect(new Set(gs).size, key).toBe(req.perPost);
  }
  const spans = new Map<string, { start: number; end: number }[]>();
  for (const a of assignments) {
    const span = shiftSpan(a.date, byShift.get(a.shift)!);
    const mine = spans.get(a.guard) ?? [];
    for (const other of mine) expect(spansOverlap(span, other), `${a.guard} twice at once`).toBe(false);
    mine.push(span);
    spans.set(a.guard, mine);
  }
  const values = req.guards.map((g) => loads[g] ?? -1);
  expect(Math.max(...values) - Math.min(...values)).toBeLessThanOrEqual(1);
  expect(values.reduce((s, v) => s + v, 0)).toBe(assignments.length);
  for (const g of req.guards) expect(loads[g]).toBe(assignments.filter((a) => a.guard === g).length);
}

describe('shift spans', () => {
  it('a shift past midnight ends the next day and covers the early hours of that day', () => {
    const night = { starts: '23:30', ends: '07:30' };
    const span = shiftSpan('2026-03-02', night);
    expect(span.end - span.start).toBe(8 * 60);
    expect(shiftCovers('2026-03-02', night, '2026-03-02', '23:45')).toBe(true);
    expect(shiftCovers('2026-03-02', night, '2026-03-03', '07:29')).toBe(true);
    expect(shiftCovers('2026-03-02', night, '2026-03-03', '07:30')).toBe(false);
    expect(shiftCovers('2026-03-02', night, '2026-03-02', '07:00')).toBe(false);
    expect(shiftCovers('2026-03-02', { starts: '07:30', ends: '15:30' }, '2026-03-02', '07:30')).toBe(true);
    expect(shiftCovers('2026-03-02', { starts: '07:30', ends: '15:30' }, '2026-03-02', '15:30')).toBe(false);
  });

  it('touching shifts do not overlap; overlapping ones do', () => {
    expect(spansOverlap(shiftSpan('2026-03-02', threeShifts[0]!), shiftSpan('2026-03-02', threeShifts[1]!))).toBe(false);
    expect(spansOverlap(shiftSpan('2026-03-02', threeShifts[2]!), shiftSpan('2026-03-03', threeShifts[0]!))).toBe(false);
    expect(spansOverlap(shiftSpan('2026-03-02', { starts: '07:00', ends: '16:00' }), shiftSpan('2026-03-02', { starts: '15:00', ends: '23:00' }))).toBe(true);
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
  });
});

describe('generateRoster', () => {
  it('staffs 5 plant gates round the clock from 07:30 with 50 guards for a week: loads 6 or 7, everyone at several gates', () => {
    const req: RosterRequest = { from: '2026-03-02', days: 7, posts: gates, shifts: threeShifts, guards: guards(50), perPost: 3 };
    const r = generateRoster(req);
    if (!r.ok) throw new Error(r.message);
    expectSound(req, r.assignments, r.loads);
    // 7 days × 3 shifts × 5 gates × 3 guards = 315 shifts for 50 guards: 15 work 7, 35 work 6.
    const counts = Object.values(r.loads);
    expect(counts.filter((c) => c === 7)).toHaveLength(15);
    expect(counts.filter((c) => c === 6)).toHaveLength(35);
    // The first slot of the week is gate G1's 07:30 shift, staffed by the first guards in rotation order.
    expect(r.assignments.slice(0, 3)).toEqual([
      { date: '2026-03-02', post: 'G1', shift: 'A', guard: 'P001' },
      { date: '2026-03-02', post: 'G1', shift: 'A', guard: 'P002' },
      { date: '2026-03-02', post: 'G1', shift: 'A', guard: 'P003' },
    ]);
    // Rotation: nobody stands at the same gate all week.
    for (const g of req.guards) {
      const posts = new Set(r.assignments.filter((a) => a.guard === g).map((a) => a.post));
      expect(posts.size, g).toBeGreaterThanOrEqual(2);
    }
  });

  it('rotates a small team through one post and a day and night shift in turn', () => {
    const req: RosterRequest = { from: '2026-03-02', days: 2, posts: ['G1'], shifts: [{ code: 'D', starts: '08:00', ends: '20:00' }, { code: 'N', starts: '20:00', ends: '08:00' }], guards: ['X', 'Y', 'Z'], perPost: 1 };
    const r = generateRoster(req);
    if (!r.ok) throw new Error(r.message);
    expect(r.assignments.map((a) => `${a.date.slice(8)} ${a.shift} ${a.guard}`)).toEqual(['02 D X', '02 N Y', '03 D Z', '03 N X']);
    expect(r.loads).toEqual({ X: 2, Y: 1, Z: 1 });
  });

  it('refuses when the guards cannot cover the posts without working two shifts at once', () => {
    const r = generateRoster({ from: '2026-03-02', days: 1, posts: gates, shifts: threeShifts.slice(0, 1), guards: guards(4), perPost: 1 });
    expect(r).toMatchObject({ ok: false, code: 'NOT_ENOUGH_GUARDS' });
    if (!r.ok) expect(r.message).toContain('G5');
  });

  it('nobody works overlapping shifts: two guards on overlapping day shifts are each kept to one of them', () => {
    const shifts = [{ code: 'E', starts: '07:00', ends: '16:00' }, { code: 'L', starts: '15:00', ends: '23:00' }];
    const req: RosterRequest = { from: '2026-03-02', days: 3, posts: ['G1'], shifts, guards: ['X', 'Y'], perPost: 1 };
    const r = generateRoster(req);
    if (!r.ok) throw new Error(r.message);
    expectSound(req, r.assignments, r.loads);
    expect(generateRoster({ ...req, perPost: 2 })).toMatchObject({ ok: false, code: 'NOT_ENOUGH_GUARDS' });
  });

  it('whenever it succeeds, the roster keeps every rule; with twice the guards a moment needs it always succeeds', () => {
    const shift = fc
      .record({ start: fc.integer({ min: 0, max: 47 }), length: fc.integer({ min: 2, max: 24 }) })
      .map(({ start, length }) => {
        const hhmm = (half: number) => `${String(Math.floor((half % 48) / 2)).padStart(2, '0')}:${half % 2 ? '30' : '00'}`;
        return { starts: hhmm(start), ends: hhmm(start + length) };
      });
    fc.assert(
      fc.property(
        fc.array(shift, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 0, max: 40 }),
        (rawShifts, postCount, perPost, days, extraGuards) => {
          const shifts = rawShifts.map((s, i) => ({ code: `S${i}`, ...s }));
          const posts = gates.slice(0, postCount);
          // The most guards any moment needs: all shifts overlapping, plus the night before.
          const needed = 2 * shifts.length * postCount * perPost;
          const req: RosterRequest = { from: '2026-03-02', days, posts, shifts, guards: guards(needed + extraGuards), perPost };
          const r = generateRoster(req);
          if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
          expectSound(req, r.assignments, r.loads);
          const small = generateRoster({ ...req, guards: guards(Math.max(1, Math.floor(needed / 3))) });
          if (small.ok) expectSound({ ...req, guards: guards(Math.max(1, Math.floor(needed / 3))) }, small.assignments, small.loads);
        },
      ),
      { numRuns: 150 },
    );
  });
});
