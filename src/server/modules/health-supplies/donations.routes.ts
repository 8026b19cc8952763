import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../auth/guard';
import { createDonationBody, donationList, donationQuery, donationSchema } from './donations.schemas';
import type { DonationService } from './donations.service';

const tags = ['health'];

/** Donations (捐款) with their totals (issue 7). */
export function donationRoutes(app: FastifyInstance, donations: DonationService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/health/donations',
    {
      config: { access: 'health.read' },
      schema: { tags, summary: 'Donations in a date range, newest first, with exact totals: count, amount and by purpose', querystring: donationQuery, response: { 200: donationList } },
    },
    (request) => donations.list(request.query),
  );
  r.post(
    '/api/health/donations',
    {
      config: { access: 'health.write' },
      schema: {
        tags,
        summary: 'Record a donation: donor, amount in yuan (above 0, at most 2 decimals), date, purpose (audited; under the active incident if any)',
        body: createDonationBody,
        response: { 201: donationSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await donations.create(request.ctx, actorOf(request), request.body)),
  );
}
