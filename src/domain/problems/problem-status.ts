/**
 * The life of a problem (问题): open → in-progress (a measure exists) → closing (evidence approved,
 * waiting for the data) → verified | closed-unverified; cancelled with a reason. A closed-unverified
 * problem becomes verified later when the data confirm the gap closed.
 */
export const PROBLEM_STATUSES = ['open', 'in-progress', 'closing', 'verified', 'closed-unverified', 'cancelled'] as const;
export type ProblemStatus = (typeof PROBLEM_STATUSES)[number];

/** Statuses in which a problem is still being worked on (at most one per unit and cause). */
export const ACTIVE_STATUSES: readonly ProblemStatus[] = ['open', 'in-progress', 'closing'];
/** Statuses that end the work on a problem. */
export const CLOSED_STATUSES: readonly ProblemStatus[] = ['verified', 'closed-unverified', 'cancelled'];

export function isActive(status: string): boolean {
  return (ACTIVE_STATUSES as readonly string[]).includes(status);
}

export type ProblemEvent =
  /** The open measures changed: `open` = how many are still open or done (not cancelled). */
  | { type: 'measures-changed'; measures: number }
  /** Evidence approved; the data are still to confirm. */
  | { type: 'closing' }
  /** Closed: `verified` when the data (or, without a data cause, the reviewer) confirm it. */
  | { type: 'close'; verified: boolean }
  /** A later check of the data confirms a closed-unverified problem. */
  | { type: 'data-confirmed' }
  | { type: 'cancel'; reason: string };

export type Transition = { ok: true; status: ProblemStatus } | { ok: false; code: 'PROBLEM_NOT_ACTIVE' | 'PROBLEM_NOT_CLOSED_UNVERIFIED' | 'CANCEL_REASON_REQUIRED'; message: string };

const refuse = (code: Extract<Transition, { ok: false }>['code'], message: string): Transition => ({ ok: false, code, message });

/** The status after an event, or why the event does not apply. */
export function nextStatus(status: ProblemStatus, event: ProblemEvent): Transition {
  switch (event.type) {
    case 'measures-changed':
      if (status === 'open' || status === 'in-progress') return { ok: true, status: event.measures > 0 ? 'in-progress' : 'open' };
      if (status === 'closing') return { ok: true, status };
      return refuse('PROBLEM_NOT_ACTIVE', `The problem is ${status}; its measures can no longer change`);
    case 'closing':
      if (status === 'open' || status === 'in-progress') return { ok: true, status: 'closing' };
      if (status === 'closing') return { ok: true, status };
      return refuse('PROBLEM_NOT_ACTIVE', `The problem is ${status} and cannot be closed`);
    case 'close':
      if (isActive(status)) return { ok: true, status: event.verified ? 'verified' : 'closed-unverified' };
      return refuse('PROBLEM_NOT_ACTIVE', `The problem is ${status} and cannot be closed`);
    case 'data-confirmed':
      if (status === 'closed-unverified') return { ok: true, status: 'verified' };
      return refuse('PROBLEM_NOT_CLOSED_UNVERIFIED', `Only a closed-unverified problem is verified by the data; this one is ${status}`);
    case 'cancel':
      if (event.reason.trim() === '') return refuse('CANCEL_REASON_REQUIRED', 'A cancelled problem needs a reason');
      if (isActive(status)) return { ok: true, status: 'cancelled' };
      return refuse('PROBLEM_NOT_ACTIVE', `The problem is ${status} and cannot be cancelled`);
  }
}
