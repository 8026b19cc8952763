import { canonicalJson } from '../../../domain/hash-chain';

/** An instant as epoch milliseconds (null stays null), to compare stored and computed times. */
export const ms = (d: Date | null | undefined) => d?.getTime() ?? null;

/** The parts of a warning row a scan computes. */
export interface WarningState {
  state: string;
  since: Date | null;
  last_period: string | null;
  facts: unknown;
  held: number;
  notified: boolean;
  resolved_at: Date | null;
  suspect_points?: unknown;
}

/**
 * Whether a stored warning already says what a scan computed, so that the scan writes nothing.
 * Suspect points are compared when the scan computes them (the monthly rules do, energy rules not).
 */
export function sameWarning(stored: WarningState, next: WarningState): boolean {
  return (
    stored.state === next.state &&
    ms(stored.since) === ms(next.since) &&
    stored.last_period === next.last_period &&
    canonicalJson(stored.facts) === canonicalJson(next.facts) &&
    stored.held === next.held &&
    stored.notified === next.notified &&
    ms(stored.resolved_at) === ms(next.resolved_at) &&
    (!('suspect_points' in next) || canonicalJson(stored.suspect_points) === canonicalJson(next.suspect_points))
  );
}
