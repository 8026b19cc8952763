import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decidePassage, denyReasons, inWindow, type GateInput, type GatePass, type GateSite } from './gate-decision';

const SITE = 'site-a';
const site = (over: Partial<GateSite> = {}): GateSite => ({ id: SITE, kind: 'community', accessLevel: 'restricted', feverThresholdC: 37.3, householdQuota: null, ...over });
const pass = (over: Partial<GatePass> = {}): GatePass => ({ id: 'pass-1', siteIds: [SITE], validFrom: '2026-01-01', validTo: '2026-12-31', windows: null, essential: false, status: 'active', ...over });
/** A resident with a valid pass entering a restricted community on Monday 2026-03-02 at 09:00. */
const input = (over: Partial<GateInput> = {}): GateInput => ({
  direction: 'in',
  local: { date: '2026-03-02', time: '09:00', weekday: 1 },
  site: site(),
  openingHours: null,
  person: { category: 'resident', householdId: 'h1' },
  pass: pass(),
  blocked: false,
  healthStatus: 'green',
  temperatureC: 36.5,
  visitApproved: false,
  householdOutsInWindow: 0,
  ...over,
});
const reason = (over: Partial<GateInput>) => decidePassage(input(over)).reason;

describe('decidePassage: the allow path', () => {
  it('lets a resident with a valid pass in', () => {
    expect(decidePassage(input())).toEqual({ decision: 'allow', reason: null });
  });
  it('lets anybody identified into an open community without a pass (and registers them)', () => {
    expect(decidePassage(input({ site: site({ accessLevel: 'open' }), pass: null }))).toEqual({ decision: 'allow', reason: null });
  });
  it('lets a visitor with an approved visit in without a pass', () => {
    expect(decidePassage(input({ person: { category: 'visitor', householdId: null }, pass: null, visitApproved: true }))).toEqual({ decision: 'allow', reason: null });
  });
  it('lets an essential pass holder into a closed site', () => {
    expect(decidePassage(input({ site: site({ accessLevel: 'closed' }), pass: pass({ essential: true }) })).decision).toBe('allow');
  });
  it('allows without a temperature and with yellow health', () => {
    expect(decidePassage(input({ temperatureC: null, healthStatus: 'yellow' })).decision).toBe('allow');
    expect(decidePassage(input({ healthStatus: null })).decision).toBe('allow');
  });
});

describe('decidePassage: every deny reason', () => {
  it('BLOCKED: a blocked person', () => expect(reason({ blocked: true })).toBe('BLOCKED'));
  it('SITE_CLOSED: a closed site without an essential pass', () => {
    expect(reason({ site: site({ accessLevel: 'closed' }) })).toBe('SITE_CLOSED');
    expect(reason({ site: site({ accessLevel: 'closed' }), pass: null })).toBe('SITE_CLOSED');
  });
  it('OUTSIDE_HOURS: the checkpoint is shut, or the pass window does not cover the time', () => {
    expect(reason({ openingHours: [{ from: '06:00', to: '08:00' }] })).toBe('OUTSIDE_HOURS');
    expect(reason({ pass: pass({ windows: [{ days: [1, 2, 3, 4, 5], from: '07:30', to: '08:30' }] }) })).toBe('OUTSIDE_HOURS');
    // A weekday shift does not cover Sunday.
    expect(reason({ local: { date: '2026-03-08', time: '09:00', weekday: 7 }, pass: pass({ windows: [{ days: [1, 2, 3, 4, 5], from: '07:30', to: '16:00' }] }) })).toBe('OUTSIDE_HOURS');
  });
  it('NO_PASS: no pass at a restricted community or a plant, or nobody identified', () => {
    expect(reason({ pass: null })).toBe('NO_PASS');
    expect(reason({ pass: null, site: site({ kind: 'plant', accessLevel: 'open' }) })).toBe('NO_PASS');
    expect(reason({ pass: null, person: null, site: site({ accessLevel: 'open' }) })).toBe('NO_PASS');
  });
  it('WRONG_SITE: a pass of another site', () => expect(reason({ pass: pass({ siteIds: ['site-b'] }) })).toBe('WRONG_SITE'));
  it('PASS_REVOKED and PASS_SUSPENDED', () => {
    expect(reason({ pass: pass({ status: 'revoked' }) })).toBe('PASS_REVOKED');
    expect(reason({ pass: pass({ status: 'suspended' }) })).toBe('PASS_SUSPENDED');
  });
  it('PASS_EXPIRED: before valid_from or after valid_to (both days inclusive)', () => {
    expect(reason({ pass: pass({ validTo: '2026-03-01' }) })).toBe('PASS_EXPIRED');
    expect(reason({ pass: pass({ validFrom: '2026-03-03' }) })).toBe('PASS_EXPIRED');
    expect(reason({ pass: pass({ validFrom: '2026-03-02', validTo: '2026-03-02' }) })).toBeNull();
  });
  it('VISITOR_NOT_APPROVED: a visitor without a pass or an approved visit, even at an open site', () => {
    expect(reason({ person: { category: 'visitor', householdId: null }, pass: null })).toBe('VISITOR_NOT_APPROVED');
    expect(reason({ person: { category: 'visitor', householdId: null }, pass: null, site: site({ accessLevel: 'open' }) })).toBe('VISITOR_NOT_APPROVED');
  });
  it('HEALTH_RED: a red health status', () => expect(reason({ healthStatus: 'red' })).toBe('HEALTH_RED'));
  it('FEVER: at or above the threshold — 37.3 denies, 37.2 allows', () => {
    expect(reason({ temperatureC: 37.3 })).toBe('FEVER');
    expect(reason({ temperatureC: 39 })).toBe('FEVER');
    expect(reason({ temperatureC: 37.2 })).toBeNull();
    // A site's own threshold.
    expect(reason({ temperatureC: 37.3, site: site({ feverThresholdC: 37.5 }) })).toBeNull();
    expect(reason({ temperatureC: 37.5, site: site({ feverThresholdC: 37.5 }) })).toBe('FEVER');
  });
  it('HOUSEHOLD_QUOTA: a household over its outing quota, leaving a restricted community', () => {
    const quota = site({ householdQuota: { days: 2, count: 1 } });
    expect(reason({ direction: 'out', site: quota, householdOutsInWindow: 1 })).toBe('HOUSEHOLD_QUOTA');
    expect(reason({ direction: 'out', site: quota, householdOutsInWindow: 0 })).toBeNull();
    expect(reason({ direction: 'out', site: site({ householdQuota: { days: 2, count: 3 } }), householdOutsInWindow: 2 })).toBeNull();
    expect(reason({ direction: 'out', site: site({ householdQuota: { days: 2, count: 3 } }), householdOutsInWindow: 3 })).toBe('HOUSEHOLD_QUOTA');
  });
  it('covers every reason code of the domain', () => {
    const seen = new Set([
      reason({ blocked: true }), reason({ site: site({ accessLevel: 'closed' }) }), reason({ openingHours: [{ from: '06:00', to: '08:00' }] }), reason({ pass: null }),
      reason({ pass: pass({ siteIds: [] }) }), reason({ pass: pass({ status: 'revoked' }) }), reason({ pass: pass({ status: 'suspended' }) }), reason({ pass: pass({ validTo: '2026-01-01' }) }),
      reason({ person: { category: 'visitor', householdId: null }, pass: null }), reason({ healthStatus: 'red' }), reason({ temperatureC: 38 }),
      reason({ direction: 'out', site: site({ householdQuota: { days: 1, count: 1 } }), householdOutsInWindow: 1 }),
    ]);
    expect([...seen].sort()).toEqual([...denyReasons].sort());
  });
});

describe('decidePassage: the order of the checks', () => {
  it('block list before everything else on entry', () => {
    expect(reason({ blocked: true, site: site({ accessLevel: 'closed' }), pass: pass({ status: 'revoked' }), healthStatus: 'red', temperatureC: 39, openingHours: [{ from: '01:00', to: '02:00' }] })).toBe('BLOCKED');
  });
  it('a closed site before the hours; an essential pass with a problem names the problem', () => {
    expect(reason({ site: site({ accessLevel: 'closed' }), openingHours: [{ from: '01:00', to: '02:00' }] })).toBe('SITE_CLOSED');
    expect(reason({ site: site({ accessLevel: 'closed' }), pass: pass({ essential: true, status: 'revoked' }) })).toBe('PASS_REVOKED');
    expect(reason({ site: site({ accessLevel: 'closed' }), pass: pass({ essential: true, validTo: '2026-01-01' }) })).toBe('PASS_EXPIRED');
    // A non-essential pass of the wrong site at a closed site: the pass problem, which says more.
    expect(reason({ site: site({ accessLevel: 'closed' }), pass: pass({ siteIds: ['x'] }) })).toBe('WRONG_SITE');
  });
  it('the checkpoint hours before the credential', () => {
    expect(reason({ openingHours: [{ from: '01:00', to: '02:00' }], pass: null })).toBe('OUTSIDE_HOURS');
  });
  it('the pass: wrong site, then revoked, suspended, expired, then its time window', () => {
    expect(reason({ pass: pass({ siteIds: ['x'], status: 'revoked', validTo: '2026-01-01' }) })).toBe('WRONG_SITE');
    expect(reason({ pass: pass({ status: 'revoked', validTo: '2026-01-01' }) })).toBe('PASS_REVOKED');
    expect(reason({ pass: pass({ status: 'suspended', validTo: '2026-01-01' }) })).toBe('PASS_SUSPENDED');
    expect(reason({ pass: pass({ validTo: '2026-01-01', windows: [{ days: [7], from: '01:00', to: '02:00' }] }) })).toBe('PASS_EXPIRED');
  });
  it('the credential before health, health before fever', () => {
    expect(reason({ pass: null, healthStatus: 'red', temperatureC: 39 })).toBe('NO_PASS');
    expect(reason({ healthStatus: 'red', temperatureC: 39 })).toBe('HEALTH_RED');
    // A presented invalid pass is refused even where no pass is needed.
    expect(reason({ site: site({ accessLevel: 'open' }), pass: pass({ status: 'revoked' }) })).toBe('PASS_REVOKED');
  });
});

describe('time windows across midnight', () => {
  const night = { from: '22:00', to: '06:00' };
  it('a night window covers the evening and the next morning', () => {
    expect(inWindow(night, '22:00', 1)).toBe(true);
    expect(inWindow(night, '23:59', 1)).toBe(true);
    expect(inWindow(night, '00:00', 2)).toBe(true);
    expect(inWindow(night, '05:59', 2)).toBe(true);
    expect(inWindow(night, '06:00', 2)).toBe(false);
    expect(inWindow(night, '21:59', 2)).toBe(false);
    expect(inWindow(night, '12:00', 2)).toBe(false);
  });
  it('with days, the morning part belongs to the day before (Sunday night runs into Monday)', () => {
    const fridayNight = { ...night, days: [5] };
    expect(inWindow(fridayNight, '23:00', 5)).toBe(true);
    expect(inWindow(fridayNight, '03:00', 6)).toBe(true);
    expect(inWindow(fridayNight, '03:00', 5)).toBe(false);
    expect(inWindow(fridayNight, '23:00', 6)).toBe(false);
    const sundayNight = { ...night, days: [7] };
    expect(inWindow(sundayNight, '02:00', 1)).toBe(true);
    expect(inWindow(sundayNight, '02:00', 7)).toBe(false);
  });
  it('a day window is half-open: from inclusive, to exclusive', () => {
    expect(inWindow({ from: '07:30', to: '16:00' }, '07:30', 3)).toBe(true);
    expect(inWindow({ from: '07:30', to: '16:00' }, '16:00', 3)).toBe(false);
    expect(inWindow({ from: '07:30', to: '16:00' }, '07:29', 3)).toBe(false);
  });
  it('a checkpoint open 22:00–06:00 lets people in at night and refuses them at noon', () => {
    const hours = [night];
    expect(reason({ openingHours: hours, local: { date: '2026-03-03', time: '01:30', weekday: 2 } })).toBeNull();
    expect(reason({ openingHours: hours, local: { date: '2026-03-03', time: '12:00', weekday: 2 } })).toBe('OUTSIDE_HOURS');
    // Any of several windows; an empty list means always open.
    expect(reason({ openingHours: [{ from: '06:00', to: '08:00' }, { from: '08:30', to: '10:00' }] })).toBeNull();
    expect(reason({ openingHours: [] })).toBeNull();
  });
  it('a night-shift pass window across midnight', () => {
    const nightShift = pass({ windows: [{ days: [1, 2, 3, 4, 5], from: '23:00', to: '07:00' }] });
    expect(reason({ pass: nightShift, local: { date: '2026-03-07', time: '06:30', weekday: 6 } })).toBeNull(); // Friday's shift into Saturday
    expect(reason({ pass: nightShift, local: { date: '2026-03-09', time: '06:30', weekday: 1 } })).toBe('OUTSIDE_HOURS'); // Sunday night: no shift
  });
});

describe('household quota only on the way out of a restricted community', () => {
  const quota = { days: 3, count: 1 };
  it('does not apply on entry, at an open or closed community, at a plant, or without a household', () => {
    expect(reason({ direction: 'in', site: site({ householdQuota: quota }), householdOutsInWindow: 5 })).toBeNull();
    expect(reason({ direction: 'out', site: site({ accessLevel: 'open', householdQuota: quota }), householdOutsInWindow: 5 })).toBeNull();
    expect(reason({ direction: 'out', site: site({ accessLevel: 'closed', householdQuota: quota }), householdOutsInWindow: 5 })).toBeNull();
    expect(reason({ direction: 'out', site: site({ kind: 'plant', householdQuota: quota }), householdOutsInWindow: 5 })).toBeNull();
    expect(reason({ direction: 'out', site: site({ householdQuota: quota }), person: { category: 'resident', householdId: null }, householdOutsInWindow: 5 })).toBeNull();
    expect(reason({ direction: 'out', site: site({ householdQuota: null }), householdOutsInWindow: 5 })).toBeNull();
  });
});

// ---- properties ----------------------------------------------------------------------------

const hhmm = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
const date = fc.integer({ min: 0, max: 730 }).map((d) => new Date(Date.UTC(2025, 0, 1) + d * 86_400_000).toISOString().slice(0, 10));
const window = fc.record({ from: hhmm, to: hhmm, days: fc.option(fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }), { nil: undefined }) });
const arbSite = fc.record({
  id: fc.constantFrom('site-a', 'site-b'),
  kind: fc.constantFrom('community' as const, 'plant' as const),
  accessLevel: fc.constantFrom('open' as const, 'restricted' as const, 'closed' as const),
  feverThresholdC: fc.constantFrom(37.3, 37.5),
  householdQuota: fc.option(fc.record({ days: fc.integer({ min: 1, max: 30 }), count: fc.integer({ min: 1, max: 5 }) }), { nil: null }),
});
const arbPass = fc.record({
  id: fc.constant('p'),
  siteIds: fc.subarray(['site-a', 'site-b']),
  validFrom: date,
  validTo: date,
  windows: fc.option(fc.array(window, { maxLength: 3 }), { nil: null }),
  essential: fc.boolean(),
  status: fc.constantFrom('active' as const, 'suspended' as const, 'revoked' as const),
});
const arbInput: fc.Arbitrary<GateInput> = fc.record({
  direction: fc.constantFrom('in' as const, 'out' as const),
  local: fc.record({ date, time: hhmm, weekday: fc.integer({ min: 1, max: 7 }) }),
  site: arbSite,
  openingHours: fc.option(fc.array(window.map(({ from, to }) => ({ from, to })), { maxLength: 3 }), { nil: null }),
  person: fc.option(fc.record({ category: fc.constantFrom('employee' as const, 'resident' as const, 'family' as const, 'contractor' as const, 'visitor' as const), householdId: fc.option(fc.constant('h'), { nil: null }) }), { nil: null }),
  pass: fc.option(arbPass, { nil: null }),
  blocked: fc.boolean(),
  healthStatus: fc.constantFrom('green' as const, 'yellow' as const, 'red' as const, null),
  temperatureC: fc.option(fc.integer({ min: 350, max: 410 }).map((t) => t / 10), { nil: null }),
  visitApproved: fc.boolean(),
  householdOutsInWindow: fc.integer({ min: 0, max: 6 }),
});

describe('decidePassage: properties', () => {
  it('a decision is allow without a reason or deny with one of the codes', () => {
    fc.assert(
      fc.property(arbInput, (i) => {
        const d = decidePassage(i);
        expect(d.decision === 'allow' ? d.reason === null : d.reason !== null && denyReasons.includes(d.reason)).toBe(true);
      }),
    );
  });
  it("'out' is never denied except for the household quota", () => {
    fc.assert(
      fc.property(arbInput, (i) => {
        expect([null, 'HOUSEHOLD_QUOTA']).toContain(decidePassage({ ...i, direction: 'out' }).reason);
      }),
    );
  });
  it('a blocked person never enters', () => {
    fc.assert(
      fc.property(arbInput, (i) => {
        expect(decidePassage({ ...i, direction: 'in', blocked: true })).toEqual({ decision: 'deny', reason: 'BLOCKED' });
      }),
    );
  });
  it('nobody enters with a fever or a red health status', () => {
    fc.assert(
      fc.property(arbInput, (i) => {
        const hot = decidePassage({ ...i, direction: 'in', temperatureC: i.site.feverThresholdC + 0.5 });
        const red = decidePassage({ ...i, direction: 'in', healthStatus: 'red' });
        expect(hot.decision).toBe('deny');
        expect(red.decision).toBe('deny');
      }),
    );
  });
  it('a revoked or suspended pass never lets anyone in', () => {
    fc.assert(
      fc.property(arbInput, arbPass, fc.constantFrom('revoked' as const, 'suspended' as const), (i, p, status) => {
        expect(decidePassage({ ...i, direction: 'in', pass: { ...p, status } }).decision).toBe('deny');
      }),
    );
  });
  it('only essential pass holders enter a closed site', () => {
    fc.assert(
      fc.property(arbInput, (i) => {
        const d = decidePassage({ ...i, direction: 'in', site: { ...i.site, accessLevel: 'closed' } });
        if (d.decision === 'allow') expect(i.pass?.essential).toBe(true);
      }),
    );
  });
  it('entering a plant or a restricted site needs a valid pass of the site, or an approved visit', () => {
    fc.assert(
      fc.property(arbInput, (i) => {
        const d = decidePassage({ ...i, direction: 'in' });
        if (d.decision === 'allow' && (i.site.kind === 'plant' || i.site.accessLevel !== 'open')) {
          const validPass = i.pass !== null && i.pass.status === 'active' && i.pass.siteIds.includes(i.site.id);
          expect(validPass || (i.pass === null && i.person?.category === 'visitor' && i.visitApproved)).toBe(true);
        }
      }),
    );
  });
  it('lowering the temperature or clearing the block list never turns an allow into a deny', () => {
    fc.assert(
      fc.property(arbInput, (i) => {
        if (decidePassage(i).decision !== 'allow') return;
        expect(decidePassage({ ...i, temperatureC: i.temperatureC === null ? null : i.temperatureC - 1 }).decision).toBe('allow');
        expect(decidePassage({ ...i, blocked: false }).decision).toBe('allow');
      }),
    );
  });
});
