import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IDEA_ACTIONS, IDEA_STATUSES, ideaStats, nextIdeaStatus } from './ideas';
import { assetStatus, ledgerSummary, overdueSteps } from './idle-assets';

describe('idea review steps', () => {
  it('submitted → reviewing → adopted → implemented, or rejected before adoption', () => {
    expect(nextIdeaStatus('submitted', 'start')).toBe('reviewing');
    expect(nextIdeaStatus('reviewing', 'adopt')).toBe('adopted');
    expect(nextIdeaStatus('submitted', 'adopt')).toBe('adopted');
    expect(nextIdeaStatus('adopted', 'implement')).toBe('implemented');
    expect(nextIdeaStatus('reviewing', 'reject')).toBe('rejected');
    expect(nextIdeaStatus('adopted', 'reject')).toBeNull();
    expect(nextIdeaStatus('rejected', 'start')).toBeNull();
    expect(nextIdeaStatus('submitted', 'implement')).toBeNull();
  });
  it('property: nothing leaves rejected or implemented', () => {
    fc.assert(fc.property(fc.constantFrom(...IDEA_ACTIONS), (a) => {
      expect(nextIdeaStatus('rejected', a)).toBeNull();
      expect(nextIdeaStatus('implemented', a)).toBeNull();
    }));
  });
});

describe('idea stats by unit', () => {
  it('counts submitted, adopted (with implemented), implemented and adds the benefit of adopted ideas only', () => {
    const stats = ideaStats([
      { unit: 'YH1', status: 'implemented', benefitYuan: '120000.50' },
      { unit: 'YH1', status: 'adopted', benefitYuan: '0.25' },
      { unit: 'YH1', status: 'rejected', benefitYuan: '999' },
      { unit: 'DJ1', status: 'submitted', benefitYuan: null },
      { unit: 'YH1', status: 'adopted', benefitYuan: null },
    ]);
    expect(stats).toEqual([
      { unit: 'YH1', submitted: 4, adopted: 3, implemented: 1, rejected: 1, benefitYuan: '120000.75' },
      { unit: 'DJ1', submitted: 1, adopted: 0, implemented: 0, rejected: 0, benefitYuan: '0.00' },
    ]);
  });
  it('property: the counts add up and the benefit is the exact sum in fen', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ unit: fc.constantFrom('A', 'B'), status: fc.constantFrom(...IDEA_STATUSES), fen: fc.integer({ min: 0, max: 10 ** 9 }) })), (ideas) => {
        const stats = ideaStats(ideas.map((i) => ({ unit: i.unit, status: i.status, benefitYuan: (i.fen / 100).toFixed(2) })));
        expect(stats.reduce((a, s) => a + s.submitted, 0)).toBe(ideas.length);
        const fen = ideas.filter((i) => i.status === 'adopted' || i.status === 'implemented').reduce((a, i) => a + i.fen, 0);
        expect(stats.reduce((a, s) => a + Math.round(Number(s.benefitYuan) * 100), 0)).toBe(fen);
      }),
    );
  });
});

describe('idle-asset ledger', () => {
  const plan = [
    { step: '评估', due: '2020-04-30', done: true },
    { step: '挂牌', due: '2020-06-30', done: false },
  ];
  it('derives the status from the plan', () => {
    expect(assetStatus([], false)).toBe('idle');
    expect(assetStatus(plan.map((s) => ({ ...s, done: false })), false)).toBe('planned');
    expect(assetStatus(plan, false)).toBe('in-progress');
    expect(assetStatus(plan, true)).toBe('disposed');
    expect(overdueSteps(plan, '2020-07-01').map((s) => s.step)).toEqual(['挂牌']);
  });
  it('sums book values and proceeds exactly by kind and status', () => {
    const s = ledgerSummary([
      { kind: 'vehicle', status: 'disposed', bookValue: '0.10', proceeds: '0.20' },
      { kind: 'vehicle', status: 'planned', bookValue: '0.20', proceeds: null },
      { kind: 'line', status: 'idle', bookValue: '1000000.05', proceeds: null },
    ]);
    expect(s.total).toBe(3);
    expect(s.byStatus).toEqual({ idle: 1, planned: 1, 'in-progress': 0, disposed: 1 });
    expect(s.byKind.vehicle).toEqual({ count: 2, disposed: 1, bookValue: '0.30', proceeds: '0.20' });
    expect(s).toMatchObject({ idleBookValue: '1000000.25', proceeds: '0.20' });
  });
});
