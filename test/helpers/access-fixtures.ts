import { createHash, randomBytes } from 'node:crypto';
import { idCheckCharacter, normaliseIdNumber, normalisePhone } from '../../src/domain/access/id-number';
import { addDays, shanghaiDay } from '../../src/domain/notices/week';
import type { Deps } from '../../src/server/context';
import { personalDataOf } from '../../src/server/crypto/personal-data';
import type { OpeningWindow, PassWindow } from '../../src/server/db/schema';

/**
 * Builders for the access-control tables (issue 6), inserting straight through Kysely with
 * sensible defaults and overrides: a site, a checkpoint, a household, a person (ID number and
 * phone encrypted with their blind indexes), a pass (returns the plain token), a device (returns
 * the plain token), a health status, a visit and a block-list row. Codes are unique per call.
 *
 *   const f = accessFixtures(t.deps);
 *   const site = await f.site({ accessLevel: 'restricted' });
 *   const person = await f.person({ siteId: site.id });
 *   const pass = await f.pass({ personId: person.id, siteIds: [site.id] }); // pass.token is what the QR carries
 */

const run = randomBytes(3).toString('hex').toUpperCase();
let counter = 0;
/** A code unique within this process (and, with the random run part, across processes). */
export function uniqueCode(prefix: string): string {
  counter += 1;
  return `${prefix}-${run}-${counter}`;
}

/** SHA-256 hex of a token's UTF-8 bytes, as passes.token_hash and devices.token_hash store it. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
export const newPassToken = (): string => randomBytes(18).toString('base64url');
export const newDeviceToken = (): string => `dev_${randomBytes(24).toString('base64url')}`;

/** A valid mainland resident ID number (checksum right) for a sequence number; born 1980-01-01 plus seq days. */
export function validIdNumber(seq = counter + 1): string {
  const birth = new Date(Date.UTC(1980, 0, 1) + (seq % 9000) * 86_400_000);
  const ymd = `${birth.getUTCFullYear()}${String(birth.getUTCMonth() + 1).padStart(2, '0')}${String(birth.getUTCDate()).padStart(2, '0')}`;
  const first17 = `330106${ymd}${String(seq % 1000).padStart(3, '0')}`;
  return first17 + idCheckCharacter(first17);
}

/** An 11-digit mobile number for a sequence number. */
export function validPhone(seq = counter + 1): string {
  return `139${String(seq % 100_000_000).padStart(8, '0')}`;
}

export interface SiteOverrides {
  code?: string;
  nameZh?: string;
  nameEn?: string | null;
  kind?: 'community' | 'plant';
  accessLevel?: 'open' | 'restricted' | 'closed';
  /** The owning unit by id; or by code (default 'WZBW' when the demo company is there, else none). */
  unitId?: string | null;
  unitCode?: string;
  temperatureMode?: 'off' | 'optional' | 'required';
  feverThresholdC?: number;
  householdQuotaDays?: number | null;
  householdQuotaCount?: number;
  capacity?: number | null;
}
export interface SiteFixture {
  id: string;
  code: string;
  unitId: string | null;
}

export interface CheckpointOverrides {
  siteId: string;
  code?: string;
  nameZh?: string;
  nameEn?: string | null;
  openingHours?: OpeningWindow[] | null;
  vehicles?: boolean;
}
export interface CheckpointFixture {
  id: string;
  code: string;
  siteId: string;
}

export interface HouseholdOverrides {
  siteId: string;
  code?: string;
}

export interface PersonOverrides {
  code?: string;
  name?: string;
  category?: 'employee' | 'resident' | 'family' | 'contractor' | 'visitor';
  sex?: 'male' | 'female' | null;
  idType?: string | null;
  /** Plain ID number (normalised, encrypted, indexed); default a valid generated one; null = none. */
  idNumber?: string | null;
  /** Plain phone; default a generated mobile number; null = none. */
  phone?: string | null;
  unitId?: string | null;
  siteId?: string | null;
  householdId?: string | null;
  proxyPersonId?: string | null;
}
export interface PersonFixture {
  id: string;
  code: string;
  name: string;
  idNumber: string | null;
  phone: string | null;
}

export interface PassOverrides {
  personId: string;
  /** The sites of the pass (at least one, else it is inserted without any). */
  siteIds?: string[];
  /** Default 30 days before today (Asia/Shanghai, by the deps clock). */
  validFrom?: string;
  /** Default 365 days after today. */
  validTo?: string;
  windows?: PassWindow[] | null;
  essential?: boolean;
  status?: 'active' | 'suspended' | 'revoked';
  statusReason?: string | null;
  visitId?: string | null;
  /** The plain token; default a fresh random one. */
  token?: string;
}
export interface PassFixture {
  id: string;
  token: string;
}

export interface DeviceOverrides {
  checkpointId: string;
  name?: string;
  revoked?: boolean;
  token?: string;
}
export interface DeviceFixture {
  id: string;
  token: string;
}

export interface VisitOverrides {
  visitorPersonId: string;
  /** Default: a new employee person. */
  hostPersonId?: string;
  siteId: string;
  /** Default: an hour ago by the deps clock. */
  startsAt?: Date;
  /** Default: eight hours after the start. */
  endsAt?: Date;
  status?: 'pending' | 'approved' | 'rejected' | 'cancelled';
  purpose?: string;
  plate?: string | null;
}

export interface BlockOverrides {
  personId?: string | null;
  /** Plain ID number / phone: stored as their blind indexes. */
  idNumber?: string | null;
  phone?: string | null;
  /** Null (default) = every site. */
  siteId?: string | null;
  reason?: string;
  validTo?: string | null;
  removed?: boolean;
}

type FixtureDeps = Pick<Deps, 'database' | 'config' | 'clock'>;

/** The builders, bound to an app's database, key and clock. */
export function accessFixtures(deps: FixtureDeps) {
  const { db } = deps.database;
  const pd = personalDataOf(deps.config);
  const today = () => shanghaiDay(deps.clock.now());

  async function unitIdOf(code: string): Promise<string | null> {
    const row = await db.selectFrom('units').select('id').where('code', '=', code).executeTakeFirst();
    return row?.id ?? null;
  }

  async function site(o: SiteOverrides = {}): Promise<SiteFixture> {
    const code = o.code ?? uniqueCode('TS');
    const unitId = o.unitId !== undefined ? o.unitId : await unitIdOf(o.unitCode ?? 'WZBW');
    const row = await db
      .insertInto('sites')
      .values({
        code,
        name_zh: o.nameZh ?? `测试小区${code}`,
        name_en: o.nameEn === undefined ? `Test site ${code}` : o.nameEn,
        kind: o.kind ?? 'community',
        access_level: o.accessLevel ?? 'open',
        unit_id: unitId,
        temperature_mode: o.temperatureMode ?? 'optional',
        fever_threshold_c: o.feverThresholdC ?? 37.3,
        household_quota_days: o.householdQuotaDays ?? null,
        household_quota_count: o.householdQuotaCount ?? 1,
        capacity: o.capacity ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id, code, unitId };
  }

  async function checkpoint(o: CheckpointOverrides): Promise<CheckpointFixture> {
    const code = o.code ?? uniqueCode('TC');
    const row = await db
      .insertInto('checkpoints')
      .values({
        code,
        name_zh: o.nameZh ?? `卡口${code}`,
        name_en: o.nameEn === undefined ? `Gate ${code}` : o.nameEn,
        site_id: o.siteId,
        opening_hours: o.openingHours ? JSON.stringify(o.openingHours) : null,
        vehicles: o.vehicles ?? true,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id, code, siteId: o.siteId };
  }

  async function household(o: HouseholdOverrides): Promise<{ id: string; code: string }> {
    const code = o.code ?? uniqueCode('H');
    const row = await db.insertInto('households').values({ site_id: o.siteId, code }).returning('id').executeTakeFirstOrThrow();
    return { id: row.id, code };
  }

  async function person(o: PersonOverrides = {}): Promise<PersonFixture> {
    const code = o.code ?? uniqueCode('TP');
    const seq = counter;
    const idNumber = o.idNumber === undefined ? validIdNumber(seq) : o.idNumber === null ? null : normaliseIdNumber(o.idNumber);
    const phone = o.phone === undefined ? validPhone(seq) : o.phone === null ? null : normalisePhone(o.phone);
    const name = o.name ?? `测试${seq}`;
    const row = await db
      .insertInto('people')
      .values({
        code,
        name,
        unit_id: o.unitId ?? null,
        category: o.category ?? 'resident',
        sex: o.sex ?? null,
        id_type: o.idType !== undefined ? o.idType : idNumber ? 'resident-id' : null,
        id_number_enc: idNumber ? pd.encrypt('people.id_number', idNumber) : null,
        id_number_bidx: idNumber ? pd.blindIndex('people.id_number', idNumber) : null,
        phone_enc: phone ? pd.encrypt('people.phone', phone) : null,
        phone_bidx: phone ? pd.blindIndex('people.phone', phone) : null,
        site_id: o.siteId ?? null,
        household_id: o.householdId ?? null,
        proxy_person_id: o.proxyPersonId ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id, code, name, idNumber, phone };
  }

  async function pass(o: PassOverrides): Promise<PassFixture> {
    const token = o.token ?? newPassToken();
    const row = await db
      .insertInto('passes')
      .values({
        person_id: o.personId,
        token_hash: tokenHash(token),
        token_enc: pd.encrypt('passes.token', token),
        valid_from: o.validFrom ?? addDays(today(), -30),
        valid_to: o.validTo ?? addDays(today(), 365),
        windows: o.windows ? JSON.stringify(o.windows) : null,
        essential: o.essential ?? false,
        status: o.status ?? 'active',
        status_reason: o.statusReason ?? null,
        status_changed_at: o.status && o.status !== 'active' ? deps.clock.now() : null,
        visit_id: o.visitId ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const siteIds = o.siteIds ?? [];
    if (siteIds.length > 0) await db.insertInto('pass_sites').values(siteIds.map((site_id) => ({ pass_id: row.id, site_id }))).execute();
    return { id: row.id, token };
  }

  async function device(o: DeviceOverrides): Promise<DeviceFixture> {
    const token = o.token ?? newDeviceToken();
    const row = await db
      .insertInto('devices')
      .values({ checkpoint_id: o.checkpointId, name: o.name ?? uniqueCode('设备'), token_hash: tokenHash(token), revoked_at: o.revoked ? deps.clock.now() : null })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id, token };
  }

  async function healthStatus(personId: string, status: 'green' | 'yellow' | 'red', rule = 'manual'): Promise<void> {
    await db
      .insertInto('health_statuses')
      .values({ person_id: personId, status, rule, facts: '{}', since: deps.clock.now() })
      .onConflict((oc) => oc.column('person_id').doUpdateSet({ status, rule, updated_at: deps.clock.now() }))
      .execute();
  }

  async function visit(o: VisitOverrides): Promise<{ id: string }> {
    const startsAt = o.startsAt ?? new Date(deps.clock.now().getTime() - 3_600_000);
    const endsAt = o.endsAt ?? new Date(startsAt.getTime() + 8 * 3_600_000);
    const hostPersonId = o.hostPersonId ?? (await person({ category: 'employee' })).id;
    const status = o.status ?? 'approved';
    const row = await db
      .insertInto('visits')
      .values({
        visitor_person_id: o.visitorPersonId,
        host_person_id: hostPersonId,
        site_id: o.siteId,
        starts_at: startsAt,
        ends_at: endsAt,
        purpose: o.purpose ?? '测试来访',
        plate: o.plate ?? null,
        status,
        decided_at: status === 'pending' ? null : deps.clock.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id };
  }

  async function block(o: BlockOverrides): Promise<{ id: string }> {
    const row = await db
      .insertInto('block_list')
      .values({
        person_id: o.personId ?? null,
        id_number_bidx: o.idNumber ? pd.blindIndex('people.id_number', normaliseIdNumber(o.idNumber)) : null,
        phone_bidx: o.phone ? pd.blindIndex('people.phone', normalisePhone(o.phone)) : null,
        site_id: o.siteId ?? null,
        reason: o.reason ?? '测试拉黑',
        valid_to: o.validTo ?? null,
        removed_at: o.removed ? deps.clock.now() : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id };
  }

  /** A site with one checkpoint and one live device on it: the usual start of a gate test. */
  async function gate(siteOverrides: SiteOverrides = {}, checkpointOverrides: Omit<CheckpointOverrides, 'siteId'> = {}) {
    const s = await site(siteOverrides);
    const c = await checkpoint({ ...checkpointOverrides, siteId: s.id });
    const d = await device({ checkpointId: c.id });
    return { site: s, checkpoint: c, device: d };
  }

  return { site, checkpoint, household, person, pass, device, healthStatus, visit, block, gate, today };
}

export type AccessFixtures = ReturnType<typeof accessFixtures>;
