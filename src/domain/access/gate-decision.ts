/**
 * The gate's decision (卡口核验): given who is at the gate, with what credential, at which
 * checkpoint and when, allow or deny with one reason. Pure: the server decides with it online and
 * the gate app decides with it offline from its signed snapshot, so both give the same answer.
 */
export const denyReasons = [
  'BLOCKED',
  'SITE_CLOSED',
  'OUTSIDE_HOURS',
  'NO_PASS',
  'WRONG_SITE',
  'PASS_REVOKED',
  'PASS_SUSPENDED',
  'PASS_EXPIRED',
  'VISITOR_NOT_APPROVED',
  'HEALTH_RED',
  'FEVER',
  'HOUSEHOLD_QUOTA',
] as const;
export type DenyReason = (typeof denyReasons)[number];
export type Direction = 'in' | 'out';
export type AccessLevel = 'open' | 'restricted' | 'closed';
export type PersonCategory = 'employee' | 'resident' | 'family' | 'contractor' | 'visitor';

/** A local time window HH:MM–HH:MM (may run past midnight); `days` are ISO weekdays, Monday = 1. */
export interface TimeWindow {
  from: string;
  to: string;
  days?: number[];
}

export interface GateSite {
  id: string;
  kind: 'community' | 'plant';
  accessLevel: AccessLevel;
  feverThresholdC: number;
  /** Household rule while restricted: at most `count` members out in `days` days. */
  householdQuota: { days: number; count: number } | null;
}

export interface GatePass {
  id: string;
  siteIds: string[];
  validFrom: string;
  validTo: string;
  windows: TimeWindow[] | null;
  essential: boolean;
  status: 'active' | 'suspended' | 'revoked';
}

export interface GateInput {
  direction: Direction;
  /** Local (Asia/Shanghai) date and time of the scan: YYYY-MM-DD, HH:MM, ISO weekday. */
  local: { date: string; time: string; weekday: number };
  site: GateSite;
  /** Opening hours of the checkpoint; null = always open. */
  openingHours: TimeWindow[] | null;
  /** Null when nobody could be identified (unknown token, unknown person). */
  person: { category: PersonCategory; householdId: string | null } | null;
  /** The pass presented (token scan), or the person's best pass for this site (lookup); null = none. */
  pass: GatePass | null;
  /** The person (or the ID number / phone presented) is on the block list for this site or all. */
  blocked: boolean;
  healthStatus: 'green' | 'yellow' | 'red' | null;
  temperatureC: number | null;
  /** The visitor has an approved visit for this site whose window covers the scan. */
  visitApproved: boolean;
  /** Members of the person's household let out within the quota window (this scan not counted). */
  householdOutsInWindow: number;
}

export interface GateDecision {
  decision: 'allow' | 'deny';
  reason: DenyReason | null;
}

const allow: GateDecision = { decision: 'allow', reason: null };
const deny = (reason: DenyReason): GateDecision => ({ decision: 'deny', reason });

/** Minutes since midnight of HH:MM. */
function minutes(hhmm: string): number {
  const [h = '0', m = '0'] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

/** Whether a local time falls in a window; a window whose end is not after its start runs past midnight. */
export function inWindow(w: TimeWindow, time: string, weekday: number): boolean {
  const t = minutes(time);
  const from = minutes(w.from);
  const to = minutes(w.to);
  if (from < to) return (!w.days || w.days.includes(weekday)) && t >= from && t < to;
  // Past midnight: the evening part counts for the window's day, the morning part for the next day.
  if (t >= from) return !w.days || w.days.includes(weekday);
  const yesterday = weekday === 1 ? 7 : weekday - 1;
  return t < to && (!w.days || w.days.includes(yesterday));
}

function inAny(windows: TimeWindow[] | null, time: string, weekday: number): boolean {
  return windows === null || windows.length === 0 || windows.some((w) => inWindow(w, time, weekday));
}

/** Whether the pass lets its holder through this site at this time, or why not. */
function passProblem(pass: GatePass, input: GateInput): DenyReason | null {
  if (!pass.siteIds.includes(input.site.id)) return 'WRONG_SITE';
  if (pass.status === 'revoked') return 'PASS_REVOKED';
  if (pass.status === 'suspended') return 'PASS_SUSPENDED';
  if (input.local.date < pass.validFrom || input.local.date > pass.validTo) return 'PASS_EXPIRED';
  if (!inAny(pass.windows, input.local.time, input.local.weekday)) return 'OUTSIDE_HOURS';
  return null;
}

/**
 * Decides a passage. Leaving is always allowed (nobody is kept inside), except a household's
 * outing beyond its quota in a restricted community. Entering is checked in this order: block
 * list, closed site (essential pass holders only), checkpoint hours, credential (a presented pass
 * must be valid; restricted sites and plants need one; visitors need an approved visit instead),
 * health status, fever.
 */
export function decidePassage(input: GateInput): GateDecision {
  const { site, pass, person } = input;
  if (input.direction === 'out') {
    const quota = site.accessLevel === 'restricted' && site.kind === 'community' ? site.householdQuota : null;
    if (quota && person?.householdId && input.householdOutsInWindow >= quota.count) return deny('HOUSEHOLD_QUOTA');
    return allow;
  }

  if (input.blocked) return deny('BLOCKED');
  if (site.accessLevel === 'closed' && !(pass?.essential && passProblem(pass, input) === null)) {
    return deny(pass && passProblem(pass, input) ? passProblem(pass, input)! : 'SITE_CLOSED');
  }
  if (!inAny(input.openingHours, input.local.time, input.local.weekday)) return deny('OUTSIDE_HOURS');

  const passNeeded = site.accessLevel !== 'open' || site.kind === 'plant';
  if (pass) {
    const problem = passProblem(pass, input);
    if (problem) return deny(problem);
  } else if (person === null) {
    return deny('NO_PASS'); // an unknown QR or person: nobody to let in
  } else if (person.category === 'visitor') {
    if (!input.visitApproved) return deny('VISITOR_NOT_APPROVED');
  } else if (passNeeded) {
    return deny('NO_PASS');
  }

  if (input.healthStatus === 'red') return deny('HEALTH_RED');
  if (input.temperatureC !== null && input.temperatureC >= site.feverThresholdC) return deny('FEVER');
  return allow;
}
