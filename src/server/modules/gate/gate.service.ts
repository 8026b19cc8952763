import { activeIncident, siteInEmergency } from '../health-incidents/incident';
import { refreshHealthStatus } from '../health-status/refresh';
import { openAbnormalCase } from '../health-cases/open-case';
import { createHash } from 'node:crypto';
import { decidePassage, denyReasons, type DenyReason, type GateInput, type GateSite } from '../../../domain/access/gate-decision';
import { normaliseIdNumber } from '../../../domain/access/id-number';
import { maskName, maskPlate } from '../../../domain/access/mask';
import { reasonMessage, type GateLocale } from '../../../domain/access/reason-messages';
import { addDays, shanghaiDay, startOfShanghaiDay } from '../../../domain/notices/week';
import { inScope, visibleUnitIds } from '../../auth/scope';
import { onInvalidate } from '../../cache-bus';
import { batched } from '../../db/batched';
import type { Actor, Deps, Device, RequestContext, Tx } from '../../context';
import { personalDataOf } from '../../crypto/personal-data';
import type { OpeningWindow } from '../../db/schema';
import { AppError, businessRule, conflict, notFound } from '../../errors';
import {
  householdOuts,
  idNumberBlocked,
  insertEvents,
  snapshotBlocked,
  snapshotHealthRed,
  snapshotPasses,
  snapshotVisits,
  subjectByCode,
  subjectByIdNumber,
  subjectsByToken,
  vehiclePermitted,
  type GateEventValues,
  type Subject,
  type SubjectScope,
  type TokenScan,
} from './gate.repository';
import {
  maxClockSkewMs,
  type BatchBody,
  type BatchResult,
  type DeviceInfo,
  type GateEventRow,
  type GateSnapshot,
  type LookupResult,
  type OfflineEvent,
  type ScanBody,
  type ScanResult,
  type SnapshotResponse,
} from './gate.schemas';

/**
 * A checkpoint with its site, as the gate needs them: cached for a few seconds, and dropped on
 * every server when a site, checkpoint or incident changes (cache-bus.ts).
 */
export interface GatePoint {
  checkpoint: { id: string; code: string; nameZh: string; nameEn: string | null; openingHours: OpeningWindow[] | null };
  site: GateSite & { code: string; nameZh: string; nameEn: string | null; temperatureMode: 'off' | 'optional' | 'required'; unitId: string | null };
}

/** How long a checkpoint's and its site's settings are reused without reading them again. */
const pointCacheMs = 3_000;

export const passTokenHash = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');
/** Plates as registered: upper case, without spaces, dots or hyphens. */
export const normalisePlate = (plate: string): string => plate.replace(/[\s·•.-]/g, '').toUpperCase();

/** Local (Asia/Shanghai, UTC+8 all year) date, time and ISO weekday of an instant. */
export function shanghaiLocal(at: Date): GateInput['local'] {
  const t = new Date(at.getTime() + 8 * 3_600_000);
  const iso = t.toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16), weekday: ((t.getUTCDay() + 6) % 7) + 1 };
}

const credentialOf = (e: { token?: string | undefined; person?: string | undefined; idNumber?: string | undefined }) =>
  e.token !== undefined ? 'pass' : e.person !== undefined ? 'person' : e.idNumber !== undefined ? 'id-number' : 'none';

const abnormalReasons = new Set<DenyReason>(['FEVER', 'HEALTH_RED']);
const deviceRequired = () => new AppError(401, 'DEVICE_TOKEN_INVALID', 'This device is not bound to a checkpoint, or its token was revoked');

export function gateService(deps: Deps) {
  const { db } = deps.database;
  const { clock } = deps;
  const pd = personalDataOf(deps.config);
  const points = new Map<string, { point: Promise<GatePoint>; until: number }>();
  // Scans that arrive together share their statements: one lookup by pass token, one insert.
  const subjectByToken = batched((scans: readonly TokenScan[]) => subjectsByToken(deps.database, scans));
  const storeEvent = batched((events: readonly GateEventValues[]) => insertEvents(deps.database, events));

  /** The checkpoint and its site, read at most every few seconds (one read for all concurrent scans). */
  function pointOf(checkpointId: string): Promise<GatePoint> {
    const now = performance.now();
    const cached = points.get(checkpointId);
    if (cached && cached.until > now) return cached.point;
    const point = loadPoint(checkpointId);
    points.set(checkpointId, { point, until: now + pointCacheMs });
    point.catch(() => points.delete(checkpointId));
    return point;
  }

  async function loadPoint(checkpointId: string): Promise<GatePoint> {
    const r = await db
      .selectFrom('checkpoints as c')
      .innerJoin('sites as s', 's.id', 'c.site_id')
      .select([
        'c.id', 'c.code', 'c.name_zh', 'c.name_en', 'c.opening_hours', 's.id as site_id', 's.code as site_code', 's.name_zh as site_name_zh', 's.name_en as site_name_en',
        's.kind', 's.access_level', 's.temperature_mode', 's.fever_threshold_c', 's.household_quota_days', 's.household_quota_count', 's.unit_id',
      ])
      .where('c.id', '=', checkpointId)
      .executeTakeFirst();
    if (!r) throw deviceRequired();
    return {
      checkpoint: { id: r.id, code: r.code, nameZh: r.name_zh, nameEn: r.name_en, openingHours: r.opening_hours },
      site: {
        id: r.site_id,
        code: r.site_code,
        nameZh: r.site_name_zh,
        nameEn: r.site_name_en,
        kind: r.kind as GateSite['kind'],
        accessLevel: r.access_level as GateSite['accessLevel'],
        // Emergency mode (an active incident covering the site) requires a temperature on entry.
        temperatureMode: (await siteInEmergency(db, r.site_id)) ? 'required' : (r.temperature_mode as GatePoint['site']['temperatureMode']),
        feverThresholdC: Number(r.fever_threshold_c),
        householdQuota: r.household_quota_days === null ? null : { days: r.household_quota_days, count: r.household_quota_count },
        unitId: r.unit_id,
      },
    };
  }

  function deviceOf(ctx: RequestContext): Device {
    if (!ctx.device) throw deviceRequired();
    return ctx.device;
  }

  /** The device's checkpoint, which must be the one the event names. */
  async function pointFor(ctx: RequestContext, checkpointCode: string, index?: number): Promise<GatePoint> {
    const point = await pointOf(deviceOf(ctx).checkpointId);
    if (point.checkpoint.code !== checkpointCode) {
      throw new AppError(403, 'WRONG_CHECKPOINT', `This device is bound to checkpoint ${point.checkpoint.code}, not ${checkpointCode}`, index === undefined ? undefined : { index });
    }
    return point;
  }

  function scanTime(scannedAt: string | undefined, now: Date, index?: number): Date {
    if (scannedAt === undefined) return now;
    const at = new Date(scannedAt);
    if (at.getTime() > now.getTime() + maxClockSkewMs) {
      throw businessRule('SCANNED_AT_IN_FUTURE', 'The scan time is more than 5 minutes ahead of the server clock; check the device clock', index === undefined ? { field: 'scannedAt' } : { index, field: 'scannedAt' });
    }
    return at;
  }

  /** Who is at the gate, with what the decision needs about them. */
  async function identify(e: ScanBody | OfflineEvent, s: SubjectScope): Promise<{ subject: Subject | null; blockedId: boolean }> {
    if (e.token !== undefined) return { subject: await subjectByToken({ tokenHash: passTokenHash(e.token), scope: s }), blockedId: false };
    if (e.person !== undefined) return { subject: await subjectByCode(deps.database, e.person, s), blockedId: false };
    const bidx = pd.blindIndex('people.id_number', normaliseIdNumber(e.idNumber ?? ''));
    const subject = await subjectByIdNumber(deps.database, bidx, s);
    return { subject, blockedId: subject ? false : await idNumberBlocked(db, bidx, s) };
  }

  /** What the decision needs, read outside any transaction (the scan's reads are one statement each). */
  async function gateInput(point: GatePoint, e: ScanBody | OfflineEvent, at: Date): Promise<{ input: GateInput; subject: Subject | null }> {
    const local = shanghaiLocal(at);
    const { subject, blockedId } = await identify(e, { siteId: point.site.id, today: local.date, at });
    const quota = point.site.householdQuota;
    const countOuts = e.direction === 'out' && quota && point.site.accessLevel === 'restricted' && point.site.kind === 'community' && subject?.householdId;
    const outs = countOuts ? await householdOuts(db, subject.householdId!, subject.personId, point.site.id, new Date(at.getTime() - quota.days * 86_400_000), at) : 0;
    const input: GateInput = {
      direction: e.direction,
      local,
      site: { id: point.site.id, kind: point.site.kind, accessLevel: point.site.accessLevel, feverThresholdC: point.site.feverThresholdC, householdQuota: quota },
      openingHours: point.checkpoint.openingHours,
      person: subject ? { category: subject.category, householdId: subject.householdId } : null,
      pass: subject?.pass ?? null,
      blocked: subject?.blocked ?? blockedId,
      healthStatus: subject?.health ?? null,
      temperatureC: e.temperatureC ?? null,
      visitApproved: subject?.visitApproved ?? false,
      householdOutsInWindow: outs,
    };
    return { input, subject };
  }

  /** Who an event is about: the person identified, and the pass presented (or the one the decision used). */
  type Who = { personId: string; passId: string | null } | null;
  const whoOf = (subject: Subject | null): Who => (subject ? { personId: subject.personId, passId: subject.pass?.id ?? null } : null);

  const eventValues = (point: GatePoint, ctx: RequestContext, e: ScanBody | OfflineEvent, at: Date, who: Who, decision: { decision: string; reason: string | null }, offline: boolean, recordedAt: Date): GateEventValues => ({
    idempotency_key: e.idempotencyKey,
    checkpoint_id: point.checkpoint.id,
    site_id: point.site.id,
    device_id: ctx.device?.id ?? null,
    guard_user_id: ctx.actor?.userId ?? null,
    person_id: who?.personId ?? null,
    pass_id: who?.passId ?? null,
    credential: credentialOf(e),
    direction: e.direction,
    decision: decision.decision,
    reason: decision.reason,
    temperature_c: e.temperatureC ?? null,
    plate: e.plate === undefined ? null : normalisePlate(e.plate),
    disinfected: e.disinfected ?? null,
    offline,
    at,
    recorded_at: recordedAt,
  });

  /** Opens the abnormal cases of the newly stored events that were refused for a fever or a red status. */
  async function openCases(trx: Tx, ctx: RequestContext, rows: { eventId: string; personId: string | null; reason: string | null; temperatureC: number | null; siteId: string; at: Date }[]): Promise<void> {
    const cases = rows.filter((r) => r.personId !== null && r.reason !== null && abnormalReasons.has(r.reason as DenyReason));
    if (cases.length === 0) return;
    // One open case per person and incident: a second fever notes itself on the open case's card.
    const incident = await activeIncident(trx);
    for (const c of cases) {
      const reason = c.reason === 'FEVER' ? 'FEVER' : 'HEALTH_RED';
      await openAbnormalCase(trx, { clock }, ctx, { personId: c.personId!, incidentId: incident?.id ?? null, source: 'gate', reason, sourceRef: c.eventId, temperatureC: c.temperatureC, siteId: c.siteId, at: c.at });
    }
    // A fever at the gate is a fact of the person's status (a red status was one already).
    for (const personId of new Set(cases.filter((c) => c.reason === 'FEVER').map((c) => c.personId!))) await refreshHealthStatus(trx, { clock }, personId);
  }

  /** The answer to a scan, from a stored event (the first answer, for a resend). */
  async function storedAnswer(key: string, point: GatePoint, locale: GateLocale): Promise<ScanResult> {
    const e = await db
      .selectFrom('gate_events as e')
      .leftJoin('people as pe', 'pe.id', 'e.person_id')
      .select(['e.id', 'e.checkpoint_id', 'e.decision', 'e.reason', 'e.plate', 'e.at', 'pe.code', 'pe.name', 'pe.category'])
      .where('e.idempotency_key', '=', key)
      .executeTakeFirst();
    if (!e) throw new Error(`gate event ${key} vanished`);
    if (e.checkpoint_id !== point.checkpoint.id) throw conflict('IDEMPOTENCY_KEY_REUSED', 'This idempotency key was used for a scan at another checkpoint');
    const reason = e.reason as DenyReason | null;
    return {
      id: e.id,
      decision: e.decision as ScanResult['decision'],
      reason,
      message: reasonMessage(reason, locale, point.site.feverThresholdC),
      person: e.code === null ? null : { code: e.code, name: maskName(e.name ?? ''), category: e.category as Subject['category'] },
      vehicle: e.plate === null ? null : { plate: maskPlate(e.plate), permitted: await vehiclePermitted(db, e.plate, point.site.id, shanghaiDay(e.at)) },
      at: e.at.toISOString(),
      duplicate: true,
    };
  }

  return {
    /** Drops the cached checkpoint settings when a site, checkpoint or incident changes on any server. */
    followInvalidations(): Promise<() => Promise<void>> {
      return onInvalidate(deps.database, 'gate-points', () => points.clear());
    },

    /** Decides a scan online, records it once (by its idempotency key) and answers in plain words. */
    async scan(ctx: RequestContext, body: ScanBody, locale: GateLocale): Promise<ScanResult> {
      const point = await pointFor(ctx, body.checkpoint);
      const now = clock.now();
      const at = scanTime(body.scannedAt, now);
      if (point.site.temperatureMode === 'required' && body.direction === 'in' && body.temperatureC === undefined) {
        throw businessRule('TEMPERATURE_REQUIRED', 'This site takes everyone’s temperature on entry', { field: 'temperatureC' });
      }
      const { input, subject } = await gateInput(point, body, at);
      const decision = decidePassage(input);
      const values = eventValues(point, ctx, body, at, whoOf(subject), decision, false, now);
      const opensCase = decision.reason !== null && abnormalReasons.has(decision.reason) && subject !== null;
      const stored = opensCase
        ? await db.transaction().execute(async (trx) => {
            const [id] = await insertEvents(trx, [values]);
            if (id) await openCases(trx, ctx, [{ eventId: id, personId: subject.personId, reason: decision.reason, temperatureC: body.temperatureC ?? null, siteId: point.site.id, at }]);
            return id;
          })
        : await storeEvent(values);
      if (!stored) return storedAnswer(body.idempotencyKey, point, locale);
      const plate = values.plate;
      return {
        id: stored,
        decision: decision.decision,
        reason: decision.reason,
        message: reasonMessage(decision.reason, locale, point.site.feverThresholdC),
        person: subject ? { code: subject.code, name: maskName(subject.name), category: subject.category } : null,
        vehicle: plate === null ? null : { plate: maskPlate(plate), permitted: await vehiclePermitted(db, plate, point.site.id, input.local.date) },
        at: at.toISOString(),
        duplicate: false,
      };
    },

    /**
     * Stores events decided offline on the device, each exactly once (by idempotency key), with
     * their original time and the device's decision; one transaction per batch.
     */
    async batch(ctx: RequestContext, body: BatchBody): Promise<BatchResult> {
      const point = await pointOf(deviceOf(ctx).checkpointId);
      const now = clock.now();
      body.events.forEach((e, index) => {
        if (e.checkpoint !== point.checkpoint.code) throw new AppError(403, 'WRONG_CHECKPOINT', `Event ${index} names checkpoint ${e.checkpoint}; this device is bound to ${point.checkpoint.code}`, { index });
        const valid = e.decision === 'allow' ? e.reason === null : e.reason !== null && (denyReasons as readonly string[]).includes(e.reason);
        if (!valid) throw businessRule('INVALID_DECISION', `Event ${index}: ${e.decision === 'allow' ? 'an allowed event has no reason' : 'a denied event needs a reason'}`, { index, field: 'reason' });
        scanTime(e.scannedAt, now, index);
      });
      // The first occurrence of a key in the batch is the event; later ones are resends.
      const firsts = new Map<string, { e: OfflineEvent; index: number }>();
      body.events.forEach((e, index) => {
        if (!firsts.has(e.idempotencyKey)) firsts.set(e.idempotencyKey, { e, index });
      });
      return db.transaction().execute(async (trx) => {
        const known = new Map((await trx.selectFrom('gate_events').select(['idempotency_key', 'id']).where('idempotency_key', 'in', [...firsts.keys()]).execute()).map((r) => [r.idempotency_key, r.id]));
        const fresh = [...firsts.values()].filter(({ e }) => !known.has(e.idempotencyKey));
        const who = await identifyAll(trx, fresh.map(({ e }) => e));
        const rows = fresh.map(({ e }, i) => eventValues(point, ctx, e, new Date(e.scannedAt), who[i] ?? null, { decision: e.decision, reason: e.reason }, true, now));
        const ids = await insertEvents(trx, rows);
        const inserted = new Map(rows.flatMap((r, i) => (ids[i] ? [[r.idempotency_key, ids[i]] as const] : [])));
        await openCases(
          trx,
          ctx,
          rows.filter((r) => inserted.has(r.idempotency_key) && r.direction === 'in').map((r) => ({ eventId: inserted.get(r.idempotency_key)!, personId: r.person_id, reason: r.reason, temperatureC: r.temperature_c, siteId: r.site_id, at: r.at })),
        );
        // A key stored concurrently by another sync between our read and our insert.
        const missing = rows.filter((r) => !inserted.has(r.idempotency_key)).map((r) => r.idempotency_key);
        if (missing.length > 0) for (const r of await trx.selectFrom('gate_events').select(['idempotency_key', 'id']).where('idempotency_key', 'in', missing).execute()) known.set(r.idempotency_key, r.id);
        const seen = new Set<string>();
        const results = body.events.map((e) => {
          const key = e.idempotencyKey;
          const first = !seen.has(key) && inserted.has(key);
          seen.add(key);
          return { idempotencyKey: key, id: inserted.get(key) ?? known.get(key)!, duplicate: !first };
        });
        return { stored: inserted.size, duplicates: results.length - inserted.size, results };
      });
    },

    async device(ctx: RequestContext): Promise<DeviceInfo> {
      const device = deviceOf(ctx);
      const point = await pointOf(device.checkpointId);
      const d = await db.selectFrom('devices').select(['id', 'name']).where('id', '=', device.id).executeTakeFirstOrThrow();
      const { site, checkpoint } = point;
      return {
        device: { id: d.id, name: d.name },
        checkpoint: { code: checkpoint.code, nameZh: checkpoint.nameZh, nameEn: checkpoint.nameEn, openingHours: checkpoint.openingHours },
        site: {
          code: site.code,
          nameZh: site.nameZh,
          nameEn: site.nameEn,
          kind: site.kind,
          accessLevel: site.accessLevel,
          temperatureMode: site.temperatureMode,
          feverThresholdC: site.feverThresholdC,
          householdQuota: site.householdQuota,
        },
        publicKey: pd.publicKey,
        serverTime: clock.now().toISOString(),
      };
    },

    /** People of exactly this name whose ID number or phone ends with the 4 characters (at most 10). */
    async lookup(ctx: RequestContext, name: string, last4: string): Promise<LookupResult> {
      deviceOf(ctx);
      const tail = last4.toUpperCase();
      const candidates = await db.selectFrom('people').select(['code', 'name', 'category', 'id_number_enc', 'phone_enc']).where('name', '=', name.trim()).orderBy('code').limit(200).execute();
      const rows: LookupResult['rows'] = [];
      for (const c of candidates) {
        const id = c.id_number_enc ? pd.decryptText('people.id_number', c.id_number_enc) : '';
        const phone = c.phone_enc ? pd.decryptText('people.phone', c.phone_enc) : '';
        if ((id && id.toUpperCase().endsWith(tail)) || (phone && phone.endsWith(tail))) rows.push({ person: c.code, name: maskName(c.name), category: c.category as Subject['category'] });
        if (rows.length === 10) break;
      }
      return { rows };
    },

    /** What the device decides with offline: the site's passes (revoked ones too), blocks, red statuses, visits; signed. */
    async snapshot(ctx: RequestContext): Promise<SnapshotResponse> {
      const point = await pointOf(deviceOf(ctx).checkpointId);
      const now = clock.now();
      const today = shanghaiDay(now);
      const [passes, blocked, healthRed, visits] = await Promise.all([
        snapshotPasses(db, point.site.id, addDays(today, -1)),
        snapshotBlocked(db, point.site.id, today),
        snapshotHealthRed(db, point.site.id),
        snapshotVisits(db, point.site.id, startOfShanghaiDay(today)),
      ]);
      const { site } = point;
      const content: GateSnapshot = {
        version: 1,
        generatedAt: now.toISOString(),
        checkpoint: point.checkpoint.code,
        site: { id: site.id, code: site.code, kind: site.kind, accessLevel: site.accessLevel, temperatureMode: site.temperatureMode, feverThresholdC: site.feverThresholdC, householdQuota: site.householdQuota },
        openingHours: point.checkpoint.openingHours,
        passes: passes.map((p) => ({
          tokenHash: p.token_hash,
          person: p.code,
          name: maskName(p.name),
          category: p.category as Subject['category'],
          householdId: p.household_id,
          pass: { id: p.id, siteIds: p.site_ids ? p.site_ids.split(',') : [], validFrom: p.valid_from, validTo: p.valid_to, windows: p.windows, essential: p.essential, status: p.status as 'active' | 'suspended' | 'revoked' },
        })),
        blocked,
        healthRed,
        visits: visits.map((v) => ({ person: v.code, startsAt: v.starts_at.toISOString(), endsAt: v.ends_at.toISOString() })),
      };
      const payload = JSON.stringify(content);
      return { payload, signature: pd.sign(payload) };
    },

    /** The events of one checkpoint on one local day, oldest first (names and plates masked; temperatures for health.read only). */
    async events(actor: Actor, checkpointCode: string, date: string): Promise<{ rows: GateEventRow[] }> {
      const c = await db.selectFrom('checkpoints as c').innerJoin('sites as s', 's.id', 'c.site_id').select(['c.id', 's.unit_id']).where('c.code', '=', checkpointCode).executeTakeFirst();
      if (!c || !inScope(await visibleUnitIds(db, actor), c.unit_id)) throw notFound('CHECKPOINT_NOT_FOUND', `No checkpoint ${checkpointCode}`);
      const from = startOfShanghaiDay(date);
      // Purpose binding (PI-2): a temperature is health data, for health.read only.
      const seesHealth = actor.permissions.has('health.read');
      const rows = await db
        .selectFrom('gate_events as e')
        .leftJoin('people as pe', 'pe.id', 'e.person_id')
        .select(['e.id', 'e.at', 'e.direction', 'e.decision', 'e.reason', 'e.temperature_c', 'e.plate', 'e.offline', 'pe.code', 'pe.name', 'pe.category'])
        .where('e.checkpoint_id', '=', c.id)
        .where('e.at', '>=', from)
        .where('e.at', '<', new Date(from.getTime() + 86_400_000))
        .orderBy('e.at')
        .orderBy('e.id')
        .limit(20_000)
        .execute();
      return {
        rows: rows.map((r) => ({
          id: r.id,
          at: r.at.toISOString(),
          direction: r.direction as GateEventRow['direction'],
          decision: r.decision as GateEventRow['decision'],
          reason: r.reason as DenyReason | null,
          person: r.code === null ? null : { code: r.code, name: maskName(r.name ?? ''), category: r.category as Subject['category'] },
          temperatureC: seesHealth && r.temperature_c !== null ? Number(r.temperature_c) : null,
          plate: r.plate === null ? null : maskPlate(r.plate),
          offline: r.offline,
        })),
      };
    },
  };

  /** The people (and presented passes) of a batch of offline events, in a few queries: by token hash, code and ID number index. */
  async function identifyAll(trx: Tx, events: OfflineEvent[]): Promise<Who[]> {
    const bidxOf = (idNumber: string) => pd.blindIndex('people.id_number', normaliseIdNumber(idNumber));
    const keyOf = (e: OfflineEvent) => (e.token !== undefined ? `t:${passTokenHash(e.token)}` : e.person !== undefined ? `c:${e.person}` : `i:${bidxOf(e.idNumber ?? '')}`);
    const keys = events.map(keyOf);
    const wanted = (prefix: string) => [...new Set(keys.filter((k) => k.startsWith(prefix)).map((k) => k.slice(2)))];
    const [hashes, codes, bidxs] = [wanted('t:'), wanted('c:'), wanted('i:')];
    const found = new Map<string, NonNullable<Who>>();
    if (hashes.length > 0) {
      const rows = await trx.selectFrom('passes').select(['token_hash', 'id', 'person_id']).where('token_hash', 'in', hashes).execute();
      for (const r of rows) found.set(`t:${r.token_hash}`, { personId: r.person_id, passId: r.id });
    }
    if (codes.length > 0) {
      const rows = await trx.selectFrom('people').select(['code', 'id']).where('code', 'in', codes).execute();
      for (const r of rows) found.set(`c:${r.code}`, { personId: r.id, passId: null });
    }
    if (bidxs.length > 0) {
      const rows = await trx.selectFrom('people').select(['id_number_bidx', 'id']).where('id_number_bidx', 'in', bidxs).orderBy('code', 'desc').execute();
      for (const r of rows) found.set(`i:${r.id_number_bidx}`, { personId: r.id, passId: null });
    }
    return keys.map((k) => found.get(k) ?? null);
  }
}

export type GateService = ReturnType<typeof gateService>;
