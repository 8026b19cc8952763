import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditExportQuery, auditPage, auditQuery, verifyResult } from './audit.schemas';
import type { AuditService } from './audit.service';

const tags = ['audit'];

export function auditRoutes(app: FastifyInstance, audit: AuditService, now: () => Date): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/audit', { config: { access: 'audit.read' }, schema: { tags, summary: 'Search the audit log (newest first)', querystring: auditQuery, response: { 200: auditPage } } }, (request) =>
    audit.search(request.query),
  );
  r.get('/api/audit/export', { config: { access: 'audit.export' }, schema: { tags, summary: 'The filtered audit log as CSV (UTF-8 with BOM)', querystring: auditExportQuery, produces: ['text/csv'], response: { 200: z.string().describe('CSV, UTF-8 with BOM; cells starting with = + - @ are prefixed with a quote') } } }, async (request, reply) => {
    const stream = await audit.exportCsv(request.ctx, request.query);
    const stamp = now().toISOString().slice(0, 19).replace(/[-:T]/g, '');
    return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="audit-${stamp}.csv"`).send(stream as unknown as string); // streamed as is; the schema documents the CSV
  });
  r.post('/api/audit/verify', { config: { access: 'audit.read' }, schema: { tags, summary: 'Verify the hash chain', response: { 200: verifyResult } } }, (request) => audit.verify(request.ctx));
}
