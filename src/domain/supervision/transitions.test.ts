import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { actionsFrom, allowedActions, decideTransition, rolesOf, SUPERVISION_ACTIONS, SUPERVISION_STATES, SUPERVISION_STEPS, type SupervisionAction, type SupervisionRole, type SupervisionState, type TransitionInput } from './transitions';

const everyone = new Set<SupervisionRole>(['owner', 'supervisor', 'reviewer']);
const decide = (state: SupervisionState, action: SupervisionAction, over: Partial<TransitionInput> = {}) =>
  decideTransition({ state, action, roles: everyone, note: 'done', attachments: 1, reportedEvidence: 1, ...over });

describe('the transition table', () => {
  it.each([
    ['assigned', 'accept', 'accepted'],
    ['accepted', 'start', 'acting'],
    ['acting', 'report', 'reported'],
    ['reported', 'approve', 'closed'],
    ['reported', 'reject', 'acting'],
    ['assigned', 'cancel', 'cancelled'],
    ['accepted', 'cancel', 'cancelled'],
    ['acting', 'cancel', 'cancelled'],
    ['reported', 'cancel', 'cancelled'],
  ] as const)('%s --%s--> %s', (from, action, to) => {
    expect(decide(from, action)).toEqual({ ok: true, from, to });
  });

  it('an illegal step names the actions allowed instead', () => {
    const r = decide('assigned', 'approve');
    expect(r).toMatchObject({ ok: false, kind: 'state', code: 'SUPERVISION_ACTION_NOT_ALLOWED', allowed: ['accept', 'cancel'] });
    expect(!r.ok && r.message).toBe('Cannot approve an item that is assigned; allowed: accept, cancel');
    expect(decide('closed', 'cancel')).toMatchObject({ ok: false, allowed: [], message: 'Cannot cancel an item that is closed; allowed: none (the item is finished)' });
  });

  it('each step belongs to one part: owner, supervisor or reviewer', () => {
    const owner = new Set<SupervisionRole>(['owner']);
    expect(decide('reported', 'approve', { roles: owner })).toMatchObject({ ok: false, kind: 'role', code: 'SUPERVISION_NOT_YOUR_STEP', allowedForYou: [] });
    expect(decide('acting', 'cancel', { roles: owner })).toMatchObject({ ok: false, kind: 'role', allowedForYou: ['report'] });
    expect(decide('assigned', 'accept', { roles: new Set(['supervisor']) })).toMatchObject({ ok: false, kind: 'role', allowedForYou: ['cancel'] });
    expect(decide('reported', 'reject', { roles: new Set(['reviewer']) })).toMatchObject({ ok: true, to: 'acting' });
  });

  it('a report needs a note and evidence; approve needs the reported evidence; reject and cancel a reason', () => {
    expect(decide('acting', 'report', { attachments: 0 })).toMatchObject({ ok: false, kind: 'input', code: 'SUPERVISION_EVIDENCE_REQUIRED' });
    expect(decide('acting', 'report', { note: '  ' })).toMatchObject({ ok: false, code: 'SUPERVISION_NOTE_REQUIRED' });
    expect(decide('reported', 'approve', { reportedEvidence: 0, attachments: 0 })).toMatchObject({ ok: false, code: 'SUPERVISION_EVIDENCE_REQUIRED' });
    expect(decide('reported', 'approve', { note: '', attachments: 0 })).toMatchObject({ ok: true, to: 'closed' });
    expect(decide('reported', 'reject', { note: '' })).toMatchObject({ ok: false, code: 'SUPERVISION_NOTE_REQUIRED' });
    expect(decide('acting', 'cancel', { note: '' })).toMatchObject({ ok: false, code: 'SUPERVISION_NOTE_REQUIRED' });
  });
});

describe('who is who', () => {
  const item = { ownerUserId: 'o', supervisorUserId: 's', reviewerUserId: 'r' };
  it('owner, supervisor and named reviewer', () => {
    expect([...rolesOf('o', item)]).toEqual(['owner']);
    expect([...rolesOf('s', item)]).toEqual(['supervisor']);
    expect([...rolesOf('r', item)]).toEqual(['reviewer']);
    expect([...rolesOf('x', item)]).toEqual([]);
  });
  it('without a named reviewer the supervisor reviews; without an owner account the supervisor acts for the owner', () => {
    expect([...rolesOf('s', { ...item, reviewerUserId: null })].sort()).toEqual(['reviewer', 'supervisor']);
    expect([...rolesOf('s', { ...item, ownerUserId: null, reviewerUserId: null })].sort()).toEqual(['owner', 'reviewer', 'supervisor']);
  });
});

describe('properties', () => {
  const stateArb = fc.constantFrom(...SUPERVISION_STATES);
  const actionArb = fc.constantFrom(...SUPERVISION_ACTIONS);
  const rolesArb = fc.subarray(['owner', 'supervisor', 'reviewer'] as SupervisionRole[]).map((r) => new Set(r));

  it('a step succeeds exactly when the state allows it and the user plays its part (given complete input)', () => {
    fc.assert(
      fc.property(stateArb, actionArb, rolesArb, (state, action, roles) => {
        const r = decide(state, action, { roles });
        expect(r.ok).toBe(allowedActions(state, roles).includes(action));
        if (r.ok) expect(r.to).toBe(SUPERVISION_STEPS[action].to);
        else expect(r.allowed).toEqual(actionsFrom(state));
      }),
    );
  });

  it('closed and cancelled are final; every open state can be cancelled; every walk ends or stays open', () => {
    fc.assert(
      fc.property(fc.array(actionArb, { maxLength: 30 }), (actions) => {
        let state: SupervisionState = 'assigned';
        for (const action of actions) {
          const r = decide(state, action);
          if (state === 'closed' || state === 'cancelled') expect(r.ok).toBe(false);
          else expect(actionsFrom(state)).toContain('cancel');
          if (r.ok) state = r.to;
        }
        expect(SUPERVISION_STATES).toContain(state);
      }),
    );
  });
});
