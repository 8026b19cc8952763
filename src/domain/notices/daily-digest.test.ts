import { describe, expect, it } from 'vitest';
import { buildDailyDigest, type DigestFacts, type MeasureFact } from './daily-digest';
import type { ItemFact } from './weekly-notice';

const day = '2026-03-02';
const measure = (over: Partial<MeasureFact>): MeasureFact => ({
  id: 'm',
  problemId: 'p',
  problemNumber: 7,
  problemTitle: '直流电耗偏高',
  unitId: 'u',
  unit: 'DJ1',
  description: '优化槽电压',
  dueDate: '2026-03-20',
  progress: 20,
  status: 'open',
  ...over,
});
const item = (over: Partial<ItemFact & { unit: string }>): ItemFact & { unit: string } => ({
  id: 'i',
  number: 1,
  unitId: 'u',
  unit: 'DJ1',
  title: '更换阳极',
  owner: '电解一厂厂长',
  dueDate: '2026-03-20',
  yellowDays: 3,
  state: 'acting',
  assignedAt: '2026-02-01T00:00:00Z',
  closedAt: null,
  problemNumber: null,
  ...over,
});
const facts = (over: Partial<DigestFacts>): DigestFacts => ({ day, measures: [], items: [], scopeItems: [], warnings: [], ...over });

describe('buildDailyDigest', () => {
  it('has nothing to say without open work, red items or new warnings', () => {
    expect(buildDailyDigest(facts({}))).toBeNull();
    expect(buildDailyDigest(facts({ measures: [measure({ status: 'done' })], items: [item({ state: 'closed' })], scopeItems: [item({ dueDate: '2026-03-03' })] }))).toBeNull();
  });

  it('lists own measures and items, what is due within 3 days, and the red items of the scope', () => {
    const d = buildDailyDigest(
      facts({
        measures: [measure({ id: 'm1', dueDate: '2026-03-05' }), measure({ id: 'm2', dueDate: '2026-03-06' }), measure({ id: 'm3', status: 'cancelled' })],
        items: [item({ id: 'i1', number: 4, dueDate: '2026-03-02' }), item({ id: 'i2', number: 5, dueDate: '2026-02-27' })],
        scopeItems: [item({ id: 'i2', number: 5, dueDate: '2026-02-27' }), item({ id: 'i3', number: 6, unit: 'DJ1-DJ', dueDate: '2026-03-01', owner: '另一人' })],
      }),
    )!;
    expect(d.measures.map((m) => [m.id, m.daysLeft])).toEqual([
      ['m1', 3],
      ['m2', 4],
    ]);
    expect(d.items.map((i) => [i.number, i.light, i.daysLeft])).toEqual([
      [5, 'red', -3],
      [4, 'yellow', 0],
    ]);
    expect(d.dueSoon.map((s) => [s.type, s.id, s.daysLeft])).toEqual([
      ['item', 'i1', 0],
      ['measure', 'm1', 3],
    ]);
    expect(d.redItems.map((i) => i.number)).toEqual([5, 6]);
    expect(d.totals).toEqual({ measures: 2, items: 2, dueSoon: 2, redItems: 2, warnings: 0 });
  });

  it('a new warning alone is worth a digest', () => {
    const d = buildDailyDigest(facts({ warnings: [{ id: 'w', unitId: 'u', unit: 'DJ1', indicator: 'DJ_AL_OUT', indicatorZh: '原铝产量', indicatorEn: 'Output', rule: 'TARGET', state: 'firing', period: '2026-01', firedAt: '2026-03-01T10:00:00Z' }] }))!;
    expect(d.warnings).toEqual([expect.objectContaining({ unit: 'DJ1', indicator: 'DJ_AL_OUT', rule: 'TARGET' })]);
    expect(d.totals.warnings).toBe(1);
  });
});
