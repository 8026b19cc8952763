import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';

/** An error the client may see: a stable code, a message, an HTTP status. */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const notFound = (code: string, message = 'Not found') => new AppError(404, code, message);
export const forbidden = (message = 'You are not allowed to do this', code = 'FORBIDDEN') => new AppError(403, code, message);
export const conflict = (code: string, message: string, details?: unknown) => new AppError(409, code, message, details);
export const businessRule = (code: string, message: string, details?: unknown) => new AppError(422, code, message, details);
export const staleVersion = () =>
  new AppError(409, 'STALE_VERSION', 'This record was changed by someone else; reload it and try again');

const pgUniqueViolation = '23505';
const pgQueryCanceled = '57014';

/** SQLSTATEs and socket errors that mean "the database cannot be reached right now". */
const unavailableCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006']);
/** What node-postgres throws, without a code, when a connection breaks or the pool cannot get one. */
const unavailableMessages = [/^Connection terminated/i, /timeout exceeded when trying to connect/i, /Client has encountered a connection error/i, /Client was closed and is not queryable/i, /Cannot use a pool after calling end/i];

/** Seconds a client should wait before retrying while the database is unavailable. */
export const databaseRetryAfterSeconds = 5;

/** True when the error says the database is down or unreachable (PostgreSQL stopped, restarted, network). */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && unavailableCodes.has(code)) return true;
  if (typeof message === 'string' && unavailableMessages.some((m) => m.test(message))) return true;
  // AggregateError (several addresses refused) carries the socket errors inside.
  const inner = (error as { errors?: unknown }).errors;
  return Array.isArray(inner) && inner.length > 0 && inner.every(isDatabaseUnavailable);
}
const pgForeignKeyViolation = '23503';
const pgCheckViolation = '23514';

/** A 5xx body: hides the cause, names the request (its id is the logs' reqId) so support can find it. */
function serverError(request: FastifyRequest, code: string, message: string, details?: unknown) {
  return { error: { code, message, details, requestId: request.id } };
}

/** Installs the one handler that turns every error into `{ error: { code, message, details } }` (+ `requestId` on 5xx). */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError & { details?: unknown }, request, reply) => {
    if (error instanceof AppError) {
      if (error.statusCode >= 500) return reply.status(error.statusCode).send(serverError(request, error.code, error.message, error.details));
      return reply.status(error.statusCode).send({ error: { code: error.code, message: error.message, details: error.details } });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const details = error.validation.map((v) => ({
        path: `${error.validationContext ?? ''}${v.instancePath}`,
        message: v.message,
        ...(Array.isArray(v.params?.keys) ? { keys: v.params.keys } : {}),
      }));
      return reply.status(400).send({ error: { code: 'VALIDATION_FAILED', message: 'The request is not valid', details } });
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error }, 'response does not match its schema');
      return reply.status(500).send(serverError(request, 'INTERNAL', 'Internal error'));
    }
    if (isDatabaseUnavailable(error)) {
      request.log.warn({ err: { code: (error as { code?: unknown }).code, message: error.message } }, 'database unavailable');
      return reply
        .status(503)
        .header('retry-after', String(databaseRetryAfterSeconds))
        .send(serverError(request, 'DATABASE_UNAVAILABLE', 'The database is not available right now; try again in a few seconds'));
    }
    if ((error as { code?: string }).code === pgQueryCanceled) {
      request.log.warn({ err: { code: pgQueryCanceled, message: error.message } }, 'query cancelled (statement timeout)');
      return reply.status(503).send(serverError(request, 'QUERY_TIMEOUT', 'The request took too long in the database and was stopped; narrow it or try again later'));
    }
    if ((error as { code?: string }).code === pgUniqueViolation) {
      return reply.status(409).send({ error: { code: 'DUPLICATE', message: 'A record with this key already exists' } });
    }
    if ((error as { code?: string }).code === pgCheckViolation) {
      return reply.status(422).send({ error: { code: 'CONSTRAINT_VIOLATED', message: 'The values break a rule of the data' } });
    }
    if ((error as { code?: string }).code === pgForeignKeyViolation) {
      return reply.status(422).send({ error: { code: 'REFERENCE_NOT_FOUND', message: 'A record this refers to does not exist' } });
    }
    const status = error.statusCode ?? 500;
    if (status === 413) return reply.status(413).send({ error: { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large' } });
    if (status === 429) {
      return reply.status(429).send({ error: { code: 'RATE_LIMITED', message: 'Too many requests; wait and try again' } });
    }
    if (status >= 400 && status < 500) {
      const code = status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : status === 404 ? 'NOT_FOUND' : 'BAD_REQUEST';
      return reply.status(status).send({ error: { code, message: status === 400 ? 'The request is not valid' : error.message } });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send(serverError(request, 'INTERNAL', 'Internal error'));
  });
}

/**
 * Errors the router raises before any hook (bad %-escapes, over-long parameters), in our shape;
 * the x-request-id that the onRequest hook sends on every other answer is set here.
 */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
  void reply.header('x-request-id', request.id).status(tooLong ? 414 : 400).send({
    error: { code: tooLong ? 'URI_TOO_LONG' : 'BAD_REQUEST', message: tooLong ? 'A path parameter is too long' : 'The request URL or headers are not valid' },
  });
}
