/**
 * The steps of a supervision item (督办事项) and who may take each:
 *
 *   assigned --accept--> accepted --start--> acting --report--> reported --approve--> closed (销号)
 *                                              ^                    |
 *                                              +------reject--------+
 *   any open state --cancel--> cancelled
 *
 * accept, start and report are the owner's (the user linked to the owner person; when that person
 * has no account, the supervisor acts for them); approve and reject are the reviewer's (the named
 * reviewer, or the supervisor when none is named); cancel is the supervisor's. A report needs a
 * note and at least one evidence file; approve needs that evidence; reject and cancel need a reason.
 */
export const SUPERVISION_STATES = ['assigned', 'accepted', 'acting', 'reported', 'closed', 'cancelled'] as const;
export type SupervisionState = (typeof SUPERVISION_STATES)[number];
export const OPEN_STATES: readonly SupervisionState[] = ['assigned', 'accepted', 'acting', 'reported'];

export const SUPERVISION_ACTIONS = ['accept', 'start', 'report', 'approve', 'reject', 'cancel'] as const;
export type SupervisionAction = (typeof SUPERVISION_ACTIONS)[number];

/** The parts a user can play on one item (a user may play several). */
export type SupervisionRole = 'owner' | 'supervisor' | 'reviewer';

interface Step {
  from: readonly SupervisionState[];
  to: SupervisionState;
  by: SupervisionRole;
}

/** The transition table. */
export const SUPERVISION_STEPS: Readonly<Record<SupervisionAction, Step>> = {
  accept: { from: ['assigned'], to: 'accepted', by: 'owner' },
  start: { from: ['accepted'], to: 'acting', by: 'owner' },
  report: { from: ['acting'], to: 'reported', by: 'owner' },
  approve: { from: ['reported'], to: 'closed', by: 'reviewer' },
  reject: { from: ['reported'], to: 'acting', by: 'reviewer' },
  cancel: { from: OPEN_STATES, to: 'cancelled', by: 'supervisor' },
};

/** Who the actor is on an item, from the item's people and the actor's user id. */
export function rolesOf(actorUserId: string, item: { ownerUserId: string | null; supervisorUserId: string; reviewerUserId: string | null }): Set<SupervisionRole> {
  const roles = new Set<SupervisionRole>();
  // An owner without an account cannot act; the supervisor acts for them.
  if (item.ownerUserId === actorUserId || (item.ownerUserId === null && item.supervisorUserId === actorUserId)) roles.add('owner');
  if (item.supervisorUserId === actorUserId) roles.add('supervisor');
  if ((item.reviewerUserId ?? item.supervisorUserId) === actorUserId) roles.add('reviewer');
  return roles;
}

/** The actions the state allows at all, whoever asks. */
export function actionsFrom(state: SupervisionState): SupervisionAction[] {
  return SUPERVISION_ACTIONS.filter((a) => SUPERVISION_STEPS[a].from.includes(state));
}

/** The actions a user with these roles may take now. */
export function allowedActions(state: SupervisionState, roles: ReadonlySet<SupervisionRole>): SupervisionAction[] {
  return actionsFrom(state).filter((a) => roles.has(SUPERVISION_STEPS[a].by));
}

export interface TransitionInput {
  state: SupervisionState;
  action: SupervisionAction;
  roles: ReadonlySet<SupervisionRole>;
  note: string;
  /** Evidence files sent with this step. */
  attachments: number;
  /** Evidence files of the latest report (what approve closes on). */
  reportedEvidence: number;
}

export type TransitionRefusal = {
  ok: false;
  /** 'state': the action does not apply now; 'role': not this user's step; 'input': something is missing. */
  kind: 'state' | 'role' | 'input';
  code: 'SUPERVISION_ACTION_NOT_ALLOWED' | 'SUPERVISION_NOT_YOUR_STEP' | 'SUPERVISION_EVIDENCE_REQUIRED' | 'SUPERVISION_NOTE_REQUIRED';
  message: string;
  /** The actions the state allows, and those this user may take. */
  allowed: SupervisionAction[];
  allowedForYou: SupervisionAction[];
};
export type TransitionResult = { ok: true; from: SupervisionState; to: SupervisionState } | TransitionRefusal;

const roleWords: Record<SupervisionRole, string> = { owner: 'the owner (责任人)', supervisor: 'the supervisor (督办人)', reviewer: 'the reviewer (审核人)' };

/** Decides one step: the new state, or why not (with the actions that are allowed instead). */
export function decideTransition(input: TransitionInput): TransitionResult {
  const step = SUPERVISION_STEPS[input.action];
  const allowed = actionsFrom(input.state);
  const allowedForYou = allowedActions(input.state, input.roles);
  const refuse = (kind: TransitionRefusal['kind'], code: TransitionRefusal['code'], message: string): TransitionRefusal => ({ ok: false, kind, code, message, allowed, allowedForYou });
  if (!step.from.includes(input.state)) {
    const list = allowed.length ? allowed.join(', ') : 'none (the item is finished)';
    return refuse('state', 'SUPERVISION_ACTION_NOT_ALLOWED', `Cannot ${input.action} an item that is ${input.state}; allowed: ${list}`);
  }
  if (!input.roles.has(step.by)) {
    const yours = allowedForYou.length ? `; you may: ${allowedForYou.join(', ')}` : '';
    return refuse('role', 'SUPERVISION_NOT_YOUR_STEP', `Only ${roleWords[step.by]} may ${input.action} this item${yours}`);
  }
  const note = input.note.trim();
  if (input.action === 'report') {
    if (note === '') return refuse('input', 'SUPERVISION_NOTE_REQUIRED', 'A report says what was done: the note is required');
    if (input.attachments < 1) return refuse('input', 'SUPERVISION_EVIDENCE_REQUIRED', 'A report needs at least one evidence file');
  }
  if ((input.action === 'reject' || input.action === 'cancel') && note === '') {
    return refuse('input', 'SUPERVISION_NOTE_REQUIRED', `To ${input.action} an item, give the reason in the note`);
  }
  if (input.action === 'approve' && input.reportedEvidence < 1) {
    return refuse('input', 'SUPERVISION_EVIDENCE_REQUIRED', 'Closure (销号) needs evidence: the latest report has no evidence file');
  }
  return { ok: true, from: input.state, to: step.to };
}
