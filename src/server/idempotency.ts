import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from './context';
import { AppError } from './errors';
import type { Job } from './jobs/jobs';

/**
 * The Idempotency-Key request header (draft-ietf-httpapi-idempotency-key-header; issue 8 item 4,
 * DUR-2) on every POST of a signed-in user or a gate device:
 * - the first request with a key claims it (a 'running' row, committed on its own) and runs;
 *   its answer is stored once the handler has answered, that is after its transaction committed;
 * - the same key with the same request (method, path, query, body bytes) answers the stored
 *   status and body again, with `Idempotent-Replayed: true`, without running the handler;
 * - the same key with another request → 422 IDEMPOTENCY_KEY_REUSED;
 * - the same key while the first still runs → 409 IDEMPOTENCY_KEY_IN_PROGRESS;
 * - a 5xx answer releases the key, so a retry runs again; 4xx answers are kept like 2xx.
 * Keys belong to their caller (two users may use the same key) and live 24 hours.
 * File uploads (multipart) are fingerprinted by route and length only: @fastify/multipart reads
 * the raw request after the hooks, so their bytes cannot be hashed first.
 * Without the header nothing changes; anonymous calls (the sign-in) ignore it.
 * Known limit: a server killed between the commit and the stored answer leaves the key 'running'
 * (409) until it expires: never a second run, at worst a retry that has to wait.
 */
export const idempotencyHeader = 'idempotency-key';
export const idempotencyKeyTtlMs = 24 * 60 * 60_000;
/** 1–200 visible ASCII characters (a UUID fits; so does any client's own scheme). */
const keyPattern = /^[\x21-\x7e]{1,200}$/;

interface Claim {
  owner: string;
  key: string;
  fingerprint: string;
  /** The row is ours: store the answer (or release the key) when it is sent. */
  claimed: boolean;
  replayed: boolean;
}

interface KeyRow {
  fingerprint: string;
  state: 'running' | 'done';
  status_code: number | null;
  content_type: string | null;
  response_enc: Uint8Array | null;
  created_at: Date | string;
}

const claims = new WeakMap<FastifyRequest, Claim>();

function ownerOf(request: FastifyRequest): string | null {
  const ctx = request.ctx as FastifyRequest['ctx'] | undefined;
  if (ctx?.device) return `device:${ctx.device.id}`;
  if (ctx?.actor) return `user:${ctx.actor.userId}`;
  return null;
}

/** Answers are sealed with their own key (HKDF of PACESETTER_KEY), bound to owner and key. */
function sealer(master: Buffer) {
  const key = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'pacesetter/idempotency/aes-256-gcm', 32));
  const aad = (owner: string, k: string) => Buffer.from(`idempotency_keys.response_enc\u0000${owner}\u0000${k}`);
  return {
    seal(owner: string, k: string, plain: Buffer): Buffer {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(aad(owner, k));
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Buffer.concat([Buffer.from([1]), iv, cipher.getAuthTag(), body]);
    },
    open(owner: string, k: string, sealed: Buffer): Buffer {
      if (sealed.length < 29 || sealed[0] !== 1) throw new Error('idempotency_keys.response_enc: not a sealed value');
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(1, 13));
      decipher.setAAD(aad(owner, k));
      decipher.setAuthTag(sealed.subarray(13, 29));
      return Buffer.concat([decipher.update(sealed.subarray(29)), decipher.final()]);
    },
  };
}

/** Reads the whole body (within the route's limit) so it can be fingerprinted, and hands it on. */
async function readBody(payload: NodeJS.ReadableStream, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of payload) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    length += b.length;
    if (length > limit) throw new AppError(413, 'PAYLOAD_TOO_LARGE', 'The request body is too large');
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

/** Installs the header's hooks on every POST /api route. */
export function installIdempotency(app: FastifyInstance, deps: Pick<Deps, 'database' | 'clock' | 'config' | 'log'>): void {
  const { database, clock } = deps;
  const sealed = sealer(deps.config.key);

  const applies = (request: FastifyRequest) => request.method === 'POST' && request.url.startsWith('/api/') && request.headers[idempotencyHeader] !== undefined;

  app.addHook('preParsing', async (request, _reply, payload) => {
    if (!applies(request)) return payload;
    const owner = ownerOf(request);
    if (!owner) return payload;
    const key = request.headers[idempotencyHeader];
    if (typeof key !== 'string' || !keyPattern.test(key)) {
      throw new AppError(400, 'IDEMPOTENCY_KEY_INVALID', 'The Idempotency-Key header must be 1–200 visible ASCII characters (a UUID, say)', [{ path: `headers/${idempotencyHeader}`, message: 'invalid key' }]);
    }
    if (String(request.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/')) {
      // A file upload is read by @fastify/multipart from the raw request, after this hook: its
      // fingerprint is the route and the body's length (the boundary differs per encoding anyway).
      const fingerprint = createHash('sha256').update(`${request.method}\n${request.url}\nmultipart\n${request.headers['content-length'] ?? 'chunked'}`).digest('hex');
      claims.set(request, { owner, key, fingerprint, claimed: false, replayed: false });
      return payload;
    }
    const limit = request.routeOptions.bodyLimit ?? app.initialConfig.bodyLimit ?? 1024 * 1024;
    const body = await readBody(payload, limit);
    const fingerprint = createHash('sha256').update(`${request.method}\n${request.url}\n`).update(body).digest('hex');
    claims.set(request, { owner, key, fingerprint, claimed: false, replayed: false });
    const replay = Readable.from(body.length ? [body] : []) as Readable & { receivedEncodedLength?: number };
    replay.receivedEncodedLength = body.length;
    return replay;
  });

  // After validation: a request that is refused as invalid never claims its key.
  app.addHook('preHandler', async (request, reply) => {
    const claim = claims.get(request);
    if (!claim) return;
    const now = clock.now();
    for (let attempt = 0; attempt < 3; attempt++) {
      const inserted = await database.raw<{ key: string }>(
        `INSERT INTO idempotency_keys (owner, key, method, route, fingerprint, state, created_at) VALUES ($1, $2, $3, $4, $5, 'running', $6)
         ON CONFLICT (owner, key) DO NOTHING RETURNING key`,
        [claim.owner, claim.key, request.method, request.routeOptions.url ?? request.url, claim.fingerprint, now],
      );
      if (inserted.length) {
        claim.claimed = true;
        return;
      }
      const [row] = await database.raw<KeyRow>('SELECT fingerprint, state, status_code, content_type, response_enc, created_at FROM idempotency_keys WHERE owner = $1 AND key = $2', [claim.owner, claim.key]);
      if (!row) continue; // released between the two statements: claim it again
      if (new Date(row.created_at).getTime() <= now.getTime() - idempotencyKeyTtlMs) {
        await database.raw('DELETE FROM idempotency_keys WHERE owner = $1 AND key = $2 AND created_at = $3', [claim.owner, claim.key, row.created_at]);
        continue;
      }
      if (row.fingerprint !== claim.fingerprint) {
        throw new AppError(422, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different request; use a new key for a new request');
      }
      if (row.state === 'running' || row.status_code === null) {
        throw new AppError(409, 'IDEMPOTENCY_KEY_IN_PROGRESS', 'A request with this Idempotency-Key is still being processed; retry later');
      }
      claim.replayed = true;
      const body = row.response_enc ? sealed.open(claim.owner, claim.key, Buffer.from(row.response_enc)) : Buffer.alloc(0);
      reply.code(row.status_code).header('idempotent-replayed', 'true');
      if (row.content_type) reply.header('content-type', row.content_type);
      return reply.send(body);
    }
    throw new AppError(409, 'IDEMPOTENCY_KEY_IN_PROGRESS', 'A request with this Idempotency-Key is still being processed; retry later');
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const claim = claims.get(request);
    if (!claim?.claimed || claim.replayed) return payload;
    claim.claimed = false; // once, even if onSend ran twice
    const where = [claim.owner, claim.key];
    if (reply.statusCode >= 500 || !(payload === null || payload === undefined || typeof payload === 'string' || Buffer.isBuffer(payload))) {
      // A failure (or a streamed answer, which cannot be kept): let a retry run again.
      if (reply.statusCode < 500) request.log.warn({ route: request.routeOptions.url }, 'idempotency: a streamed answer is not kept; the key is released');
      await database.raw('DELETE FROM idempotency_keys WHERE owner = $1 AND key = $2', where);
      return payload;
    }
    const bytes = payload === null || payload === undefined ? Buffer.alloc(0) : Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
    const contentType = reply.getHeader('content-type');
    await database.raw(
      `UPDATE idempotency_keys SET state = 'done', status_code = $3, content_type = $4, response_enc = $5, completed_at = $6 WHERE owner = $1 AND key = $2`,
      [...where, reply.statusCode, typeof contentType === 'string' ? contentType : null, sealed.seal(claim.owner, claim.key, bytes), clock.now()],
    );
    return payload;
  });
}

/** Deletes keys past their 24 hours (they are ignored from then on anyway). */
export const idempotencyExpireJob: Job = {
  name: 'idempotency-expire',
  description: 'Deletes Idempotency-Key records older than 24 hours',
  schedule: '20 * * * *',
  async run(deps, at) {
    const rows = await deps.database.raw<{ n: number | string }>(
      'WITH gone AS (DELETE FROM idempotency_keys WHERE created_at <= $1 RETURNING 1) SELECT count(*) AS n FROM gone',
      [new Date(at.getTime() - idempotencyKeyTtlMs)],
    );
    return { deleted: Number(rows[0]?.n ?? 0) };
  },
};
