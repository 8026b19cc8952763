import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../auth/guard';
import { competitionList, competitionParams, competitionSchema, createCompetitionBody, eventBody, eventSchema, leaderboardQuery, leaderboardSchema, putCompetitionBody } from './competitions.schemas';
import type { CompetitionService } from './competitions.service';

const tags = ['competitions'];

export function competitionRoutes(app: FastifyInstance, competitions: CompetitionService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/competitions', { config: { access: 'indicator.read' }, schema: { tags, summary: 'Labour competitions (劳动竞赛) with participants, data items and prizes', response: { 200: competitionList } } }, async () => ({ items: await competitions.list() }));
  r.get('/api/competitions/:code', { config: { access: 'indicator.read' }, schema: { tags, summary: 'One competition', params: competitionParams, response: { 200: competitionSchema } } }, (request) => competitions.get(request.params.code));
  r.post(
    '/api/competitions',
    { config: { access: 'evaluation.write' }, schema: { tags, summary: 'Create a competition: period, participating units, data items (indicator, method, params, weight), aggregation and prizes', body: createCompetitionBody, response: { 201: competitionSchema } } },
    async (request, reply) => reply.status(201).send(await competitions.create(request.ctx, actorOf(request), request.body)),
  );
  r.put(
    '/api/competitions/:code',
    { config: { access: 'evaluation.write' }, schema: { tags, summary: 'Replace a competition (the code stays); needs its version', params: competitionParams, body: putCompetitionBody, response: { 200: competitionSchema } } },
    (request) => competitions.update(request.ctx, request.params.code, request.body),
  );
  r.post(
    '/api/competitions/:code/events',
    {
      config: { access: 'evaluation.write' },
      schema: { tags, summary: 'Add or deduct points for a participant with the reason; category veto (0 points) zeroes the participant (一票否决)', params: competitionParams, body: eventBody, response: { 201: eventSchema } },
    },
    async (request, reply) => reply.status(201).send(await competitions.addEvent(request.ctx, actorOf(request), request.params.code, request.body)),
  );
  r.get(
    '/api/competitions/:code/leaderboard',
    {
      config: { access: 'indicator.read' },
      schema: {
        tags,
        summary: 'The leaderboard: data score (approved, not suspect values) + event points, vetoes, ranks with ties and prizes, every item explained',
        description: 'period: YYYY-MM, YYYY-Qn or YYYY within the competition: data and events of those months. Without it: the data up to the latest month every participant has reported (approved, not suspect) and the events of the whole competition. Ranks are among all participants; rows are limited to the units in the caller\'s data scope.',
        params: competitionParams,
        querystring: leaderboardQuery,
        response: { 200: leaderboardSchema },
      },
    },
    (request) => competitions.leaderboard(actorOf(request), request.params.code, request.query.period),
  );
}
