/**
 * Debouncing one warning: a pure state machine stepped once per evaluation (like Grafana's
 * pending → firing → resolved, with Metabase's "first time / every time" and Grafana's mute
 * timings). The caller stores the state and sends a notice when `notify` is true.
 *
 * Transitions (held = consecutive evaluations with the condition true, including this one):
 *
 *   from \ condition     true                                      false
 *   inactive, resolved   held ≥ holdPeriods ? firing : pending     unchanged
 *   pending              held ≥ holdPeriods ? firing : pending     inactive (it never fired, so
 *                                                                  there is nothing to resolve)
 *   firing               firing                                    resolved
 *
 * So a resolved warning goes pending again when the condition returns, and with holdPeriods = 1
 * it fires on the first true evaluation.
 *
 * Notifications are sent only for firing, never for pending or resolution (the caller sees the
 * status change). 'once' notifies once per firing episode; 'every' at every firing evaluation.
 * Inside a mute window the warning still fires but does not notify; a 'once' notice held back by a
 * mute is sent at the first unmuted evaluation if the episode is still firing, and dropped if it
 * resolved meanwhile.
 */
import type { Instant } from './data-quality';

export type WarningStatus = 'inactive' | 'pending' | 'firing' | 'resolved';

/** A mute window from `[0]` (included) to `[1]` (excluded), so back-to-back windows tile. */
export type MuteWindow = readonly [from: Instant, to: Instant];

export interface WarningPolicy {
  /** Consecutive true evaluations needed before firing (a whole number ≥ 1). */
  holdPeriods: number;
  mute: readonly MuteWindow[];
  notify: 'once' | 'every';
}

export interface WarningState {
  status: WarningStatus;
  /** Consecutive evaluations with the condition true, up to and including the last one. */
  held: number;
  /** When the current status began (null before the first change). */
  since: Instant | null;
  /** Whether the current firing episode has been notified. */
  notified: boolean;
}

export const INITIAL_WARNING_STATE: WarningState = { status: 'inactive', held: 0, since: null, notified: false };

/** Whether notifications are muted at an instant (from ≤ at < to for some window). */
export function isMuted(mute: readonly MuteWindow[], at: Instant): boolean {
  return mute.some(([from, to]) => from <= at && at < to);
}

/** Advances one warning by one evaluation of its condition at `at`. */
export function step(policy: WarningPolicy, state: WarningState, conditionTrue: boolean, at: Instant): { state: WarningState; notify: boolean } {
  if (!Number.isInteger(policy.holdPeriods) || policy.holdPeriods < 1) throw new RangeError(`holdPeriods must be a whole number ≥ 1, got ${policy.holdPeriods}`);
  if (!conditionTrue) {
    if (state.status === 'firing') return { state: { status: 'resolved', held: 0, since: at, notified: false }, notify: false };
    if (state.status === 'pending') return { state: { status: 'inactive', held: 0, since: at, notified: false }, notify: false };
    return { state, notify: false };
  }
  const held = state.status === 'pending' || state.status === 'firing' ? state.held + 1 : 1;
  const muted = isMuted(policy.mute, at);
  if (state.status === 'firing') {
    const notify = !muted && (policy.notify === 'every' || !state.notified);
    return { state: { ...state, held, notified: state.notified || notify }, notify };
  }
  if (held >= policy.holdPeriods) return { state: { status: 'firing', held, since: at, notified: !muted }, notify: !muted };
  return { state: { status: 'pending', held, since: state.status === 'pending' ? state.since : at, notified: false }, notify: false };
}
