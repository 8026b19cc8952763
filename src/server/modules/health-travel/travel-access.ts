/**
 * Who may write and read a person's itinerary (旅居史): the person themself, a member of their
 * household or the person who registered them (family filling it in for an elderly relative), and
 * health staff (health.declare or health.write) whose data scope reaches the person. Anyone else
 * gets the same 404 as for an unknown code. Also how a detailed address is shown.
 */
import type { Actor, Db, Tx } from '../../context';
import type { PersonalField } from '../../crypto/personal-data';
import { notFound } from '../../errors';
import { personVisible, scopeOf } from '../access-live/access-scope';

/**
 * The AAD of travel_records.address_enc. PersonalField does not list it yet (see the report of
 * task D1): the cast keeps the ciphertext bound to its column all the same.
 */
export const addressField: PersonalField = 'travel_records.address';

/** `湖北省***`: the first 3 characters of an address and ***, for everyone but the person. */
export function maskAddress(address: string): string {
  return `${[...address].slice(0, 3).join('')}***`;
}

export interface Traveller {
  id: string;
  code: string;
  name: string;
  unit_id: string | null;
  site_id: string | null;
  household_id: string | null;
  proxy_person_id: string | null;
  user_id: string | null;
  site_unit_id: string | null;
}

export const travellerRows = (trx: Db | Tx) =>
  trx
    .selectFrom('people as p')
    .leftJoin('sites as s', 's.id', 'p.site_id')
    .select(['p.id', 'p.code', 'p.name', 'p.unit_id', 'p.site_id', 'p.household_id', 'p.proxy_person_id', 'p.user_id', 's.unit_id as site_unit_id']);

/** The signed-in user's own person record, if any. */
export function ownPerson(trx: Db | Tx, actor: Actor): Promise<Traveller | undefined> {
  return travellerRows(trx).where('p.user_id', '=', actor.userId).executeTakeFirst();
}

export const personNotFound = (code: string) => notFound('PERSON_NOT_FOUND', `No person ${code}`);

/** Whether the actor may write the person's itinerary; `self` when it is their own. */
export async function mayWriteTravel(trx: Db | Tx, actor: Actor, person: Traveller): Promise<{ allowed: boolean; self: boolean }> {
  if (person.user_id === actor.userId) return { allowed: true, self: true };
  const own = await ownPerson(trx, actor);
  if (own && ((own.household_id !== null && own.household_id === person.household_id) || person.proxy_person_id === own.id)) return { allowed: true, self: false };
  if (actor.permissions.has('health.declare') || actor.permissions.has('health.write')) {
    if (personVisible(await scopeOf(trx, actor), person)) return { allowed: true, self: false };
  }
  return { allowed: false, self: false };
}

/** The person by code when the actor may write their itinerary (else 404 PERSON_NOT_FOUND). */
export async function travellerFor(trx: Db | Tx, actor: Actor, code: string): Promise<Traveller & { self: boolean }> {
  const person = await travellerRows(trx).where('p.code', '=', code).executeTakeFirst();
  if (!person) throw personNotFound(code);
  const right = await mayWriteTravel(trx, actor, person);
  if (!right.allowed) throw personNotFound(code);
  return { ...person, self: right.self };
}
