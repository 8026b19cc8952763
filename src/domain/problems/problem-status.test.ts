import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACTIVE_STATUSES, isActive, nextStatus, PROBLEM_STATUSES, type ProblemEvent, type ProblemStatus } from './problem-status';

describe('problem status', () => {
  it('moves open → in-progress with a measure, back to open without one', () => {
    expect(nextStatus('open', { type: 'measures-changed', measures: 1 })).toEqual({ ok: true, status: 'in-progress' });
    expect(nextStatus('in-progress', { type: 'measures-changed', measures: 0 })).toEqual({ ok: true, status: 'open' });
    expect(nextStatus('closing', { type: 'measures-changed', measures: 0 })).toEqual({ ok: true, status: 'closing' });
    expect(nextStatus('verified', { type: 'measures-changed', measures: 1 })).toMatchObject({ ok: false, code: 'PROBLEM_NOT_ACTIVE' });
  });
  it('closes verified or closed-unverified; the data later verify a closed-unverified one', () => {
    expect(nextStatus('in-progress', { type: 'close', verified: true })).toEqual({ ok: true, status: 'verified' });
    expect(nextStatus('open', { type: 'close', verified: false })).toEqual({ ok: true, status: 'closed-unverified' });
    expect(nextStatus('in-progress', { type: 'closing' })).toEqual({ ok: true, status: 'closing' });
    expect(nextStatus('closing', { type: 'close', verified: false })).toEqual({ ok: true, status: 'closed-unverified' });
    expect(nextStatus('closed-unverified', { type: 'data-confirmed' })).toEqual({ ok: true, status: 'verified' });
    expect(nextStatus('verified', { type: 'data-confirmed' })).toMatchObject({ ok: false, code: 'PROBLEM_NOT_CLOSED_UNVERIFIED' });
    expect(nextStatus('closed-unverified', { type: 'close', verified: true })).toMatchObject({ ok: false, code: 'PROBLEM_NOT_ACTIVE' });
  });
  it('cancels an active problem only with a reason', () => {
    expect(nextStatus('open', { type: 'cancel', reason: ' ' })).toMatchObject({ ok: false, code: 'CANCEL_REASON_REQUIRED' });
    expect(nextStatus('in-progress', { type: 'cancel', reason: '重复' })).toEqual({ ok: true, status: 'cancelled' });
    expect(nextStatus('verified', { type: 'cancel', reason: '重复' })).toMatchObject({ ok: false, code: 'PROBLEM_NOT_ACTIVE' });
  });

  const status = fc.constantFrom<ProblemStatus>(...PROBLEM_STATUSES);
  const event: fc.Arbitrary<ProblemEvent> = fc.oneof(
    fc.record({ type: fc.constant('measures-changed' as const), measures: fc.nat(5) }),
    fc.constant({ type: 'closing' as const }),
    fc.record({ type: fc.constant('close' as const), verified: fc.boolean() }),
    fc.constant({ type: 'data-confirmed' as const }),
    fc.record({ type: fc.constant('cancel' as const), reason: fc.string({ maxLength: 5 }) }),
  );
  it('property: closed problems stay closed (only closed-unverified → verified), cancelled and verified are final', () => {
    fc.assert(
      fc.property(status, fc.array(event, { maxLength: 20 }), (start, events) => {
        let s = start;
        for (const e of events) {
          const t = nextStatus(s, e);
          if (!t.ok) continue;
          if (!isActive(s)) {
            expect(s).toBe('closed-unverified');
            expect(t.status).toBe('verified');
          }
          if (s === 'verified' || s === 'cancelled') expect.unreachable();
          s = t.status;
        }
        expect(PROBLEM_STATUSES).toContain(s);
      }),
    );
  });
  it('property: every active status can be closed and cancelled', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ACTIVE_STATUSES), fc.boolean(), (s, verified) => {
        expect(nextStatus(s, { type: 'close', verified }).ok).toBe(true);
        expect(nextStatus(s, { type: 'cancel', reason: 'r' }).ok).toBe(true);
      }),
    );
  });
});
