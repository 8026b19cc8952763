import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../auth/guard';
import {
  assistantQuery,
  assistantResponse,
  benchmarkList,
  benchmarkParams,
  benchmarkSchema,
  comparableBody,
  comparableList,
  createBenchmarkBody,
  putBenchmarkValuesBody,
  putSelectionBody,
  putTargetsBody,
  selectionList,
  selectionQuery,
  selectionSchema,
  targetList,
  targetQuery,
} from './benchmarks.schemas';
import type { BenchmarkService } from './benchmarks.service';

const tags = ['benchmarks and targets'];

export function benchmarkRoutes(app: FastifyInstance, benchmarks: BenchmarkService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/benchmarks', { config: { access: 'indicator.read' }, schema: { tags, summary: 'Benchmarks with their values', response: { 200: benchmarkList } } }, async () => ({ items: await benchmarks.list() }));
  r.post('/api/benchmarks', { config: { access: 'indicator.write' }, schema: { tags, summary: 'Add a benchmark (sibling, peer, industry, world)', body: createBenchmarkBody, response: { 201: benchmarkSchema } } }, async (request, reply) =>
    reply.status(201).send(await benchmarks.create(request.ctx, actorOf(request), request.body)),
  );
  r.put(
    '/api/benchmarks/:code/values',
    { config: { access: 'indicator.write' }, schema: { tags, summary: 'Add or replace benchmark values', params: benchmarkParams, body: putBenchmarkValuesBody, response: { 200: benchmarkSchema } } },
    (request) => benchmarks.putValues(request.ctx, request.params.code, request.body.values),
  );
  r.get('/api/benchmark-selections', { config: { access: 'indicator.read' }, schema: { tags, summary: "A unit's selected benchmarks, stages and their history", querystring: selectionQuery, response: { 200: selectionList } } }, async (request) => ({
    items: await benchmarks.selections(actorOf(request), request.query.unit),
  }));
  r.put(
    '/api/benchmark-selections',
    { config: { access: 'indicator.write' }, schema: { tags, summary: 'Select a benchmark or move the stage (选标, 对标, 达标, 追标); benchmark null = own historical best', body: putSelectionBody, response: { 200: selectionSchema } } },
    (request) => benchmarks.putSelection(request.ctx, actorOf(request), request.body),
  );
  r.get('/api/comparable-scopes', { config: { access: 'indicator.read' }, schema: { tags, summary: '口径 pairs declared comparable', response: { 200: comparableList } } }, async () => ({ items: await benchmarks.comparable() }));
  r.post('/api/comparable-scopes', { config: { access: 'indicator.write' }, schema: { tags, summary: 'Declare two 口径 comparable', body: comparableBody, response: { 200: comparableList } } }, async (request) => ({
    items: await benchmarks.addComparable(request.ctx, request.body.scopeA, request.body.scopeB),
  }));
  r.get('/api/targets', { config: { access: 'indicator.read' }, schema: { tags, summary: "A unit's targets for a year (annual and monthly)", querystring: targetQuery, response: { 200: targetList } } }, async (request) => ({
    items: await benchmarks.targets(actorOf(request), request.query.unit, request.query.year),
  }));
  r.put('/api/targets', { config: { access: 'indicator.write' }, schema: { tags, summary: 'Set floor, target and stretch; spread annual quantities to months', body: putTargetsBody, response: { 200: targetList } } }, async (request) => ({
    items: await benchmarks.putTargets(request.ctx, actorOf(request), request.body),
  }));
  r.get('/api/targets/assistant', { config: { access: 'indicator.read' }, schema: { tags, summary: 'Target-setting assistant: the bases side by side and a proposal', querystring: assistantQuery, response: { 200: assistantResponse } } }, (request) =>
    benchmarks.assistant(actorOf(request), request.query),
  );
}
