import { createHash, randomBytes } from 'node:crypto';
import { isoWeekday, shanghaiDay, startOfShanghaiDay } from '../../../domain/notices/week';
import type { Deps, Tx } from '../../context';
import { personalDataOf } from '../../crypto/personal-data';
import type { PassWindow } from '../../db/schema';

const hhmmOf = (minutes: number) => `${String(Math.floor(minutes / 60) % 24).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/**
 * The validity of a visitor's pass: the local dates of the visit and, for a visit within one
 * day, a time window from its start (down to the minute) to its end (up to the minute) on that
 * weekday. A visit over several days gets no window: its dates bound it (a visit is at most 7 days).
 */
export function visitPassValidity(startsAt: Date, endsAt: Date): { validFrom: string; validTo: string; windows: PassWindow[] | null } {
  const validFrom = shanghaiDay(startsAt);
  const validTo = shanghaiDay(endsAt.getTime() - 1);
  if (validFrom !== validTo) return { validFrom, validTo, windows: null };
  const dayStart = startOfShanghaiDay(validFrom).getTime();
  const from = Math.floor((startsAt.getTime() - dayStart) / 60_000);
  // An end at midnight becomes 00:00, which the gate reads as running to the end of the day.
  const to = Math.ceil((endsAt.getTime() - dayStart) / 60_000);
  return { validFrom, validTo, windows: [{ days: [isoWeekday(validFrom)], from: hhmmOf(from), to: hhmmOf(to) }] };
}

/**
 * Issues a pass (contract: a random 24-character token; the QR carries exactly the token; the
 * database keeps its SHA-256 and the token encrypted). Returns the pass id; the token is never logged.
 */
export async function issueVisitPass(
  trx: Tx,
  deps: Pick<Deps, 'config' | 'clock'>,
  visit: { id: string; personId: string; siteId: string; startsAt: Date; endsAt: Date },
  createdBy: string,
): Promise<{ id: string; validFrom: string; validTo: string; windows: PassWindow[] | null }> {
  const token = randomBytes(18).toString('base64url');
  const validity = visitPassValidity(visit.startsAt, visit.endsAt);
  const now = deps.clock.now();
  const row = await trx
    .insertInto('passes')
    .values({
      person_id: visit.personId,
      token_hash: createHash('sha256').update(token, 'utf8').digest('hex'),
      token_enc: personalDataOf(deps.config).encrypt('passes.token', token),
      valid_from: validity.validFrom,
      valid_to: validity.validTo,
      windows: validity.windows ? JSON.stringify(validity.windows) : null,
      visit_id: visit.id,
      created_by: createdBy,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx.insertInto('pass_sites').values({ pass_id: row.id, site_id: visit.siteId }).execute();
  return { id: row.id, ...validity };
}
