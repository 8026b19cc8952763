import { sql } from 'kysely';
import type { Actor, Db, Deps, RequestContext, Tx } from '../../context';
import { audit } from '../audit/audit.service';
import { activeIncident } from '../health-incidents/incident';
import type { CreateDonationBody, Donation, DonationList } from './donations.schemas';

type Range = { from?: string | undefined; to?: string | undefined };

const donationRows = (trx: Db | Tx) =>
  trx
    .selectFrom('donations as d')
    .leftJoin('health_incidents as i', 'i.id', 'd.incident_id')
    .leftJoin('users as cu', 'cu.id', 'd.created_by')
    .select(['d.id', 'd.donor', 'd.amount', 'd.date', 'd.purpose', 'd.note', 'd.created_at', 'i.id as incident_id', 'i.name as incident_name', 'cu.username as created_by']);
type DonationRow = Awaited<ReturnType<ReturnType<typeof donationRows>['executeTakeFirstOrThrow']>>;

const toDonation = (r: DonationRow): Donation => ({
  id: r.id,
  donor: r.donor,
  amount: r.amount,
  date: r.date,
  purpose: r.purpose,
  note: r.note,
  incident: r.incident_id === null ? null : { id: r.incident_id, name: r.incident_name ?? '' },
  createdBy: r.created_by,
  createdAt: r.created_at.toISOString(),
});

/**
 * Donations (捐款): donor, amount, date and purpose, with exact totals. Recorded under the active
 * incident when there is one. A donation is not changed or deleted once recorded (the table has
 * no column for a void); a correction is a new entry.
 */
export function donationService(deps: Deps) {
  const { db } = deps.database;
  const { clock } = deps;

  return {
    async list(q: Range): Promise<DonationList> {
      return db.transaction().execute(async (trx) => {
        let rows = donationRows(trx);
        let totals = trx.selectFrom('donations as d');
        if (q.from) {
          rows = rows.where('d.date', '>=', q.from);
          totals = totals.where('d.date', '>=', q.from);
        }
        if (q.to) {
          rows = rows.where('d.date', '<=', q.to);
          totals = totals.where('d.date', '<=', q.to);
        }
        const amount = sql<string>`coalesce(sum(d.amount), 0)::numeric(30, 2)::text`;
        const [list, all, byPurpose] = await Promise.all([
          rows.orderBy('d.date', 'desc').orderBy('d.created_at', 'desc').limit(5000).execute(),
          totals.select((eb) => [eb.fn.countAll<number>().as('count'), amount.as('amount')]).executeTakeFirstOrThrow(),
          totals.select((eb) => ['d.purpose', eb.fn.countAll<number>().as('count'), amount.as('amount')]).groupBy('d.purpose').orderBy('d.purpose').execute(),
        ]);
        return {
          rows: list.map(toDonation),
          totals: { count: Number(all.count), amount: all.amount, byPurpose: byPurpose.map((p) => ({ purpose: p.purpose, count: Number(p.count), amount: p.amount })) },
        };
      });
    },

    async create(ctx: RequestContext, actor: Actor, body: CreateDonationBody): Promise<Donation> {
      return db.transaction().execute(async (trx) => {
        const incident = await activeIncident(trx);
        const row = await trx
          .insertInto('donations')
          .values({ donor: body.donor, amount: body.amount, date: body.date, purpose: body.purpose, note: body.note, incident_id: incident?.id ?? null, created_by: actor.userId, created_at: clock.now() })
          .returning('id')
          .executeTakeFirstOrThrow();
        // The donor may be a private person: the log keeps the amount and purpose, not the name.
        await audit(trx, deps, ctx, { action: 'donation.create', objectType: 'donation', objectId: row.id, details: { amount: body.amount, date: body.date, purpose: body.purpose, incident: incident?.id ?? null } });
        return toDonation(await donationRows(trx).where('d.id', '=', row.id).executeTakeFirstOrThrow());
      });
    },
  };
}
export type DonationService = ReturnType<typeof donationService>;
