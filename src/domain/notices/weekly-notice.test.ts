import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseWeekKey } from './week';
import { buildWeeklyNotice, itemLight, NOTICE_SECTIONS, noticeForUnits, recordsSet, type ItemFact, type NoticeUnit, type ProblemFact, type ValueFact, type WeeklyFacts } from './weekly-notice';

const week = parseWeekKey('2026-W09')!; // Mon 23 Feb … Sun 1 Mar 2026; from 2026-02-22T16:00Z
const at = new Date('2026-03-02T00:00:00Z'); // Monday 08:00 in Shanghai
const units: NoticeUnit[] = [
  { id: 'u-dj1', code: 'DJ1', nameZh: '电解一厂', nameEn: 'No.1 Electrolysis', sortOrder: 2 },
  { id: 'u-yh1', code: 'YH1', nameZh: '第一氧化铝厂', nameEn: 'No.1 Alumina', sortOrder: 1 },
];

const problem = (over: Partial<ProblemFact>): ProblemFact => ({
  id: 'p',
  number: 1,
  unitId: 'u-dj1',
  title: '直流电耗偏高',
  source: 'warning',
  severity: 'medium',
  status: 'open',
  raisedAt: '2026-02-01T02:00:00.000Z',
  closedAt: null,
  ...over,
});
const item = (over: Partial<ItemFact>): ItemFact => ({
  id: 'i',
  number: 1,
  unitId: 'u-dj1',
  title: '更换阳极',
  owner: '电解一厂厂长',
  dueDate: '2026-03-20',
  yellowDays: 3,
  state: 'acting',
  assignedAt: '2026-02-01T02:00:00.000Z',
  closedAt: null,
  problemNumber: null,
  ...over,
});
const value = (over: Partial<ValueFact>): ValueFact => ({
  measurementId: 'm',
  unitId: 'u-dj1',
  indicator: 'DJ_AL_OUT',
  indicatorZh: '原铝产量',
  indicatorEn: 'Aluminium output',
  uom: 't',
  direction: 'higher',
  period: '2026-01',
  value: 100,
  approvedAt: '2026-01-10T02:00:00.000Z',
  ...over,
});
const facts = (over: Partial<WeeklyFacts>): WeeklyFacts => ({ week, at, units, problems: [], items: [], warnings: [], values: [], ...over });

describe('buildWeeklyNotice', () => {
  it('sorts problems into raised and closed in the week, by the instant in Asia/Shanghai', () => {
    const n = buildWeeklyNotice(
      facts({
        problems: [
          problem({ id: 'p1', number: 11, raisedAt: '2026-02-22T16:00:00.000Z' }), // Monday 00:00 Shanghai: in
          problem({ id: 'p2', number: 12, raisedAt: '2026-02-22T15:59:59.000Z' }), // Sunday before: out
          problem({ id: 'p3', number: 13, unitId: 'u-yh1', status: 'verified', closedAt: '2026-02-25T03:00:00.000Z' }),
          problem({ id: 'p4', number: 14, status: 'closed-unverified', closedAt: '2026-03-01T15:00:00.000Z' }),
          problem({ id: 'p5', number: 15, status: 'cancelled', closedAt: '2026-02-25T03:00:00.000Z' }),
          problem({ id: 'p6', number: 16, status: 'verified', closedAt: '2026-03-01T16:00:00.000Z' }), // next week
        ],
      }),
    );
    expect(n.period).toBe('2026-W09');
    expect(n.newProblems.map((p) => p.number)).toEqual([11]);
    // YH1 sorts before DJ1 (sort order 1 < 2).
    expect(n.closedProblems.map((p) => [p.unit, p.number, p.status])).toEqual([
      ['YH1', 13, 'verified'],
      ['DJ1', 14, 'closed-unverified'],
    ]);
    expect(n.totals).toMatchObject({ newProblems: 1, closedProblems: 2, verifiedProblems: 1, units: 2 });
    expect(n.units.map((u) => [u.unit, u.newProblems, u.closedProblems, u.verifiedProblems])).toEqual([
      ['YH1', 0, 1, 1],
      ['DJ1', 1, 1, 0],
    ]);
    expect(n.newProblems[0]).toMatchObject({ unitZh: '电解一厂', unitEn: 'No.1 Electrolysis', title: '直流电耗偏高' });
  });

  it('lists items assigned, closed, gone red in the week and red now', () => {
    const n = buildWeeklyNotice(
      facts({
        items: [
          item({ id: 'new', number: 1, assignedAt: '2026-02-24T02:00:00.000Z' }),
          item({ id: 'closed', number: 2, state: 'closed', dueDate: '2026-02-26', closedAt: '2026-02-26T02:00:00.000Z' }),
          // Due Tuesday 24 Feb: late from Wednesday, still acting → went red this week, red now (6 days late on 2 Mar).
          item({ id: 'late', number: 3, dueDate: '2026-02-24', unitId: 'u-yh1' }),
          // Due Sunday 22 Feb: its first late day is Monday 23 Feb → this week.
          item({ id: 'late-monday', number: 4, dueDate: '2026-02-22', state: 'reported' }),
          // Due Sunday 1 Mar: late from Monday 2 Mar → next week's notice, but red now.
          item({ id: 'late-next', number: 5, dueDate: '2026-03-01' }),
          // Long overdue: red now, but it went red before this week.
          item({ id: 'old', number: 6, dueDate: '2026-01-31' }),
          // Closed on its due day: never late.
          item({ id: 'on-time', number: 7, state: 'closed', dueDate: '2026-02-25', closedAt: '2026-02-25T10:00:00.000Z' }),
          // Closed two days late, inside the week: it went red, and was closed.
          item({ id: 'late-closed', number: 8, state: 'closed', dueDate: '2026-02-23', closedAt: '2026-02-26T02:00:00.000Z' }),
          item({ id: 'cancelled', number: 9, state: 'cancelled', dueDate: '2026-02-24' }),
        ],
      }),
    );
    expect(n.newItems.map((i) => i.number)).toEqual([1]);
    expect(n.closedItems.map((i) => i.number)).toEqual([2, 7, 8]);
    expect(n.overdueItems.map((i) => [i.unit, i.number, i.overdueDays])).toEqual([
      ['YH1', 3, 6],
      ['DJ1', 4, 8],
      ['DJ1', 8, 3],
    ]);
    expect(n.redItems.map((i) => [i.unit, i.number, i.overdueDays])).toEqual([
      ['YH1', 3, 6],
      ['DJ1', 4, 8],
      ['DJ1', 5, 1],
      ['DJ1', 6, 30],
    ]);
    expect(n.totals).toMatchObject({ newItems: 1, closedItems: 3, overdueItems: 3, redItems: 4 });
  });

  it('lists the warnings that fired in the week and the records set', () => {
    const n = buildWeeklyNotice(
      facts({
        warnings: [
          { id: 'w1', unitId: 'u-dj1', indicator: 'DJ_DC_KWH_T', indicatorZh: '直流电耗', indicatorEn: 'DC power per tonne', rule: 'WE1', state: 'firing', period: '2026-01', firedAt: '2026-02-25T02:00:00.000Z' },
          { id: 'w2', unitId: 'u-dj1', indicator: 'DJ_AL_OUT', indicatorZh: '原铝产量', indicatorEn: 'Aluminium output', rule: 'TARGET', state: 'firing', period: '2026-01', firedAt: '2026-02-02T02:00:00.000Z' },
        ],
        values: [
          value({ measurementId: 'a', period: '2025-12', value: 100 }),
          value({ measurementId: 'b', period: '2026-01', value: 120, approvedAt: '2026-02-24T02:00:00.000Z' }),
        ],
      }),
    );
    expect(n.warnings.map((w) => [w.unit, w.indicator, w.rule])).toEqual([['DJ1', 'DJ_DC_KWH_T', 'WE1']]);
    expect(n.records).toEqual([
      expect.objectContaining({ unit: 'DJ1', indicator: 'DJ_AL_OUT', period: '2026-01', value: 120, previousBest: 100, previousBestPeriod: '2025-12', measurementId: 'b' }),
    ]);
    expect(n.units).toEqual([expect.objectContaining({ unit: 'DJ1', warnings: 1, records: 1 })]);
  });

  it('a quiet week gives an empty notice', () => {
    const n = buildWeeklyNotice(facts({}));
    expect(n.units).toEqual([]);
    expect(Object.values(n.totals).every((v) => v === 0)).toBe(true);
    expect(n).toMatchObject({ kind: 'weekly', period: '2026-W09', monday: '2026-02-23', sunday: '2026-03-01', asOf: at.toISOString() });
  });
});

describe('records', () => {
  it('respect the direction: lower is better for consumption per tonne', () => {
    const lower = (v: number, period: string, approvedAt: string | null = '2026-01-10T00:00:00Z') => value({ measurementId: period, indicator: 'DJ_DC_KWH_T', direction: 'lower', value: v, period, approvedAt });
    const inWeek = '2026-02-25T00:00:00Z';
    expect(recordsSet([lower(13000, '2025-11'), lower(12800, '2025-12'), lower(12750, '2026-01', inWeek)], week).map((r) => [r.fact.value, r.previous.value])).toEqual([[12750, 12800]]);
    // Equal to the best is no record; worse is none either.
    expect(recordsSet([lower(12800, '2025-12'), lower(12800, '2026-01', inWeek)], week)).toEqual([]);
    expect(recordsSet([lower(12800, '2025-12'), lower(12900, '2026-01', inWeek)], week)).toEqual([]);
    // A first value has nothing to beat.
    expect(recordsSet([lower(12000, '2026-01', inWeek)], week)).toEqual([]);
    // A later month already better: not the best ever.
    expect(recordsSet([lower(12000, '2026-02'), lower(12500, '2025-12'), lower(12400, '2026-01', inWeek)], week)).toEqual([]);
    // Approved outside the week: not this week's record.
    expect(recordsSet([lower(13000, '2025-12'), lower(12000, '2026-01', '2026-03-02T00:00:00Z')], week)).toEqual([]);
  });

  it('band indicators have no record', () => {
    expect(recordsSet([value({ direction: 'band', value: 1 }), value({ direction: 'band', value: 2, period: '2026-02', approvedAt: '2026-02-25T00:00:00Z' })], week)).toEqual([]);
  });

  it('property: a record beats every other value of its unit and indicator', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 12 }), fc.constantFrom('higher' as const, 'lower' as const), fc.nat(), (vals, direction, pick) => {
        const i = pick % vals.length;
        const values = vals.map((v, k) => value({ measurementId: String(k), period: `2025-${String(k + 1).padStart(2, '0')}`, value: v, direction, approvedAt: k === i ? '2026-02-25T00:00:00Z' : '2026-01-01T00:00:00Z' }));
        const got = recordsSet(values, week);
        const others = vals.filter((_, k) => k !== i);
        const better = (a: number, b: number) => (direction === 'higher' ? a > b : a < b);
        const expected = others.length > 0 && others.every((o) => better(vals[i]!, o));
        expect(got.length).toBe(expected ? 1 : 0);
      }),
    );
  });
});

describe('itemLight', () => {
  it('green, yellow within yellowDays of the due date, red once past it, done when closed or cancelled', () => {
    const i = item({ dueDate: '2026-03-10', yellowDays: 3 });
    expect(itemLight(i, '2026-03-06')).toBe('green');
    expect(itemLight(i, '2026-03-07')).toBe('yellow');
    expect(itemLight(i, '2026-03-10')).toBe('yellow');
    expect(itemLight(i, '2026-03-11')).toBe('red');
    expect(itemLight({ ...i, state: 'closed' }, '2026-03-11')).toBe('done');
    expect(itemLight({ ...i, state: 'cancelled' }, '2026-03-11')).toBe('done');
  });
});

describe('noticeForUnits', () => {
  const n = buildWeeklyNotice(
    facts({
      problems: [problem({ id: 'a', number: 1, raisedAt: '2026-02-24T00:00:00Z' }), problem({ id: 'b', number: 2, unitId: 'u-yh1', raisedAt: '2026-02-24T00:00:00Z' })],
      items: [item({ id: 'c', number: 3, unitId: 'u-yh1', dueDate: '2026-02-24' })],
    }),
  );

  it('keeps the lines of the visible units only and counts again', () => {
    const dj1 = noticeForUnits(n, new Set(['u-dj1']));
    expect(dj1.newProblems.map((p) => p.number)).toEqual([1]);
    expect(dj1.redItems).toEqual([]);
    expect(dj1.units.map((u) => u.unit)).toEqual(['DJ1']);
    expect(dj1.totals).toMatchObject({ newProblems: 1, redItems: 0, overdueItems: 0, units: 1 });
    expect(noticeForUnits(n, null)).toBe(n);
    expect(noticeForUnits(n, new Set()).totals.units).toBe(0);
  });

  it('property: the totals of a scoped notice are its line counts, never more than the whole', () => {
    fc.assert(
      fc.property(fc.subarray(['u-dj1', 'u-yh1']), (ids) => {
        const s = noticeForUnits(n, new Set(ids));
        for (const section of NOTICE_SECTIONS) {
          expect(s.totals[section]).toBe(s[section].length);
          expect(s.totals[section]).toBeLessThanOrEqual(n.totals[section]);
          expect(s.units.reduce((sum, u) => sum + u[section], 0)).toBe(s.totals[section]);
        }
      }),
    );
  });
});
