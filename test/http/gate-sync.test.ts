import { createHash, randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { denyReasons } from '../../src/domain/access/gate-decision';
import { gateSnapshot, type BatchResult, type DeviceInfo, type GateSnapshot, type OfflineEvent, type SnapshotResponse } from '../../src/server/modules/gate/gate.schemas';
import { accessFixtures, type AccessFixtures } from '../helpers/access-fixtures';
import { createTestApp, type TestApp } from '../helpers/app';
import { engines } from '../helpers/db';

/** A deterministic shuffle (mulberry32), so a failure can be replayed. */
function shuffled<T>(items: T[], seed: number): T[] {
  let a = seed;
  const random = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe.each(engines)('offline sync and the signed snapshot on %s', (engine) => {
  let t: TestApp;
  let f: AccessFixtures;
  beforeAll(async () => {
    t = await createTestApp(engine, { demo: false });
    f = accessFixtures(t.deps);
  });
  afterAll(() => t?.close());

  const call = (token: string, method: 'GET' | 'POST', url: string, body?: unknown): Promise<LightMyRequestResponse> =>
    t.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(body === undefined ? {} : { payload: body as object }) });
  const errorOf = (res: LightMyRequestResponse) => [res.statusCode, (res.json() as { error: { code: string; details?: unknown } }).error] as const;

  it('a queue of 1 000 events with duplicates and reordering, synced in batches (some twice), is stored exactly once with the original times', async () => {
    const g = await f.gate({ accessLevel: 'restricted' });
    const people = await Promise.all(Array.from({ length: 20 }, async () => {
      const p = await f.person({ siteId: g.site.id });
      return { ...p, pass: await f.pass({ personId: p.id, siteIds: [g.site.id] }) };
    }));
    // 1 000 scans over the previous day, one every 80 seconds; every 50th a fever, every 7th a deny.
    const start = Date.parse('2026-03-01T00:00:00Z');
    const events: OfflineEvent[] = Array.from({ length: 1000 }, (_, i) => {
      const who = people[i % people.length]!;
      const fever = i % 50 === 0;
      const deny = fever || i % 7 === 0;
      return {
        checkpoint: g.checkpoint.code,
        ...(i % 10 === 9 ? { person: who.code } : { token: who.pass.token }),
        direction: i % 3 === 0 ? 'out' : 'in',
        ...(fever ? { direction: 'in' as const, temperatureC: 38.1 } : {}),
        scannedAt: new Date(start + i * 80_000).toISOString(),
        idempotencyKey: `offline-${i}-${randomUUID()}`,
        decision: deny ? 'deny' : 'allow',
        reason: fever ? 'FEVER' : deny ? denyReasons[i % 9]! : null,
      };
    });
    // The queue as the device sends it: reordered, with 300 resends mixed in.
    const queue = shuffled([...events, ...shuffled(events, 7).slice(0, 300)], 42);
    const batches: OfflineEvent[][] = [];
    for (let i = 0; i < queue.length; i += 260) batches.push(queue.slice(i, i + 260));
    let stored = 0;
    const ids = new Map<string, string>();
    for (const [n, batch] of [...batches, batches[0]!, batches[2]!].entries()) {
      const res = await call(g.device.token, 'POST', '/api/gate/scans/batch', { events: batch });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json() as BatchResult;
      expect(body.results.map((r) => r.idempotencyKey)).toEqual(batch.map((e) => e.idempotencyKey));
      expect(body.stored + body.duplicates).toBe(batch.length);
      if (n >= batches.length) expect(body.stored, 'a batch sent twice stores nothing the second time').toBe(0);
      stored += body.stored;
      for (const r of body.results) {
        if (ids.has(r.idempotencyKey)) expect(r.id, 'a resend answers the stored id').toBe(ids.get(r.idempotencyKey));
        ids.set(r.idempotencyKey, r.id);
      }
    }
    expect(stored).toBe(1000);

    const rows = await t.deps.database.db.selectFrom('gate_events').selectAll().where('checkpoint_id', '=', g.checkpoint.id).execute();
    expect(rows).toHaveLength(1000);
    const byKey = new Map(rows.map((r) => [r.idempotency_key, r]));
    expect(byKey.size).toBe(1000);
    for (const e of events) {
      const r = byKey.get(e.idempotencyKey)!;
      expect(r, e.idempotencyKey).toBeDefined();
      expect(r.at.toISOString()).toBe(e.scannedAt);
      expect([r.decision, r.reason, r.direction, r.offline, r.device_id]).toEqual([e.decision, e.reason, e.direction, true, g.device.id]);
      expect(r.id).toBe(ids.get(e.idempotencyKey));
      expect(r.person_id).not.toBeNull();
    }
    // The 20 fevers are two people's (every 50th scan: people 0 and 10): each person's first fever
    // opened an abnormal case, the other 18 are written on those cases' tracking cards (one open case
    // per person), however often each was sent.
    const cases = await t.deps.database.db.selectFrom('abnormal_cases').select(['id', 'reason']).where('site_id', '=', g.site.id).execute();
    expect(cases.map((c) => c.reason)).toEqual(['FEVER', 'FEVER']);
    const notes = await t.deps.database.db.selectFrom('case_follow_ups').select('condition').where('case_id', 'in', cases.map((c) => c.id)).execute();
    expect(notes).toHaveLength(18);
  });

  it('the same key twice inside one batch is one event; an online resend of an offline event is a duplicate', async () => {
    const g = await f.gate();
    const p = await f.person({ siteId: g.site.id });
    const pass = await f.pass({ personId: p.id, siteIds: [g.site.id] });
    const e: OfflineEvent = { checkpoint: g.checkpoint.code, token: pass.token, direction: 'in', scannedAt: '2026-03-02T00:30:00Z', idempotencyKey: randomUUID(), decision: 'allow', reason: null };
    const res = await call(g.device.token, 'POST', '/api/gate/scans/batch', { events: [e, e] });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as BatchResult;
    expect(body).toMatchObject({ stored: 1, duplicates: 1 });
    expect(body.results[0]).toMatchObject({ duplicate: false });
    expect(body.results[1]).toEqual({ ...body.results[0], duplicate: true });
    const online = await call(g.device.token, 'POST', '/api/gate/scans', { checkpoint: g.checkpoint.code, token: pass.token, direction: 'in', idempotencyKey: e.idempotencyKey });
    expect(online.json()).toMatchObject({ id: body.results[0]!.id, decision: 'allow', duplicate: true, at: '2026-03-02T00:30:00.000Z' });
  });

  it('refuses a whole batch with an invalid decision, a wrong checkpoint or a future time, naming the index; stores nothing', async () => {
    const g = await f.gate();
    const other = await f.gate();
    const ok = (i: number): OfflineEvent => ({ checkpoint: g.checkpoint.code, token: `unknown-token-${i}`, direction: 'in', scannedAt: '2026-03-02T00:00:00Z', idempotencyKey: randomUUID(), decision: 'deny', reason: 'NO_PASS' });
    const send = (events: unknown[]) => call(g.device.token, 'POST', '/api/gate/scans/batch', { events });
    expect(errorOf(await send([ok(0), { ...ok(1), decision: 'allow' }]))).toEqual([422, expect.objectContaining({ code: 'INVALID_DECISION', details: { index: 1, field: 'reason' } })]);
    expect(errorOf(await send([ok(0), ok(1), { ...ok(2), reason: null }]))).toEqual([422, expect.objectContaining({ code: 'INVALID_DECISION', details: { index: 2, field: 'reason' } })]);
    expect(errorOf(await send([{ ...ok(0), checkpoint: other.checkpoint.code }]))).toEqual([403, expect.objectContaining({ code: 'WRONG_CHECKPOINT', details: { index: 0 } })]);
    expect(errorOf(await send([ok(0), { ...ok(1), scannedAt: '2026-03-02T01:10:00Z' }]))).toEqual([422, expect.objectContaining({ code: 'SCANNED_AT_IN_FUTURE', details: { index: 1, field: 'scannedAt' } })]);
    expect((await send([{ ...ok(0), reason: 'MADE_UP' }])).statusCode).toBe(400);
    expect((await send([])).statusCode).toBe(400);
    expect((await send(Array.from({ length: 1001 }, (_, i) => ok(i)))).statusCode).toBe(400);
    const n = await t.deps.database.db.selectFrom('gate_events').select('id').where('checkpoint_id', '=', g.checkpoint.id).execute();
    expect(n).toEqual([]);
  });

  it('the snapshot is signed (Ed25519, verified with WebCrypto) and carries revoked passes as revoked', async () => {
    const g = await f.gate({ accessLevel: 'restricted', householdQuotaDays: 2, householdQuotaCount: 1 }, { openingHours: [{ from: '06:00', to: '23:00' }] });
    const other = await f.site();
    const h = await f.household({ siteId: g.site.id });
    const live = await f.person({ name: '陈静', siteId: g.site.id, householdId: h.id });
    const livePass = await f.pass({ personId: live.id, siteIds: [g.site.id, other.id], windows: [{ days: [1, 2, 3, 4, 5], from: '07:00', to: '19:00' }] });
    const gone = await f.person({ name: '刘洋' });
    const gonePass = await f.pass({ personId: gone.id, siteIds: [g.site.id], status: 'revoked' });
    const old = await f.person();
    await f.pass({ personId: old.id, siteIds: [g.site.id], validFrom: '2025-01-01', validTo: '2026-02-27' }); // ended before yesterday
    const elsewhere = await f.person();
    await f.pass({ personId: elsewhere.id, siteIds: [other.id] });
    await f.block({ personId: gone.id });
    await f.block({ idNumber: live.idNumber!, siteId: other.id }); // another site's block
    await f.healthStatus(live.id, 'red');
    const visitor = await f.person({ category: 'visitor' });
    await f.visit({ visitorPersonId: visitor.id, siteId: g.site.id, startsAt: new Date('2026-03-02T02:00:00Z'), endsAt: new Date('2026-03-02T04:00:00Z') });
    await f.visit({ visitorPersonId: visitor.id, siteId: g.site.id, startsAt: new Date('2026-02-20T02:00:00Z'), endsAt: new Date('2026-02-20T04:00:00Z') }); // over

    const info = (await call(g.device.token, 'GET', '/api/gate/device')).json() as DeviceInfo;
    const res = await call(g.device.token, 'GET', '/api/gate/snapshot');
    expect(res.statusCode, res.body).toBe(200);
    const { payload, signature } = res.json() as SnapshotResponse;
    const key = await crypto.subtle.importKey('raw', Buffer.from(info.publicKey, 'base64'), { name: 'Ed25519' }, false, ['verify']);
    expect(await crypto.subtle.verify('Ed25519', key, Buffer.from(signature, 'base64'), new TextEncoder().encode(payload))).toBe(true);
    // One changed character and the signature no longer holds.
    expect(await crypto.subtle.verify('Ed25519', key, Buffer.from(signature, 'base64'), new TextEncoder().encode(payload.replace('"revoked"', '"active"')))).toBe(false);

    const snap: GateSnapshot = gateSnapshot.parse(JSON.parse(payload));
    expect(snap).toMatchObject({
      version: 1,
      generatedAt: '2026-03-02T01:00:00.000Z',
      checkpoint: g.checkpoint.code,
      site: { id: g.site.id, code: g.site.code, kind: 'community', accessLevel: 'restricted', temperatureMode: 'optional', feverThresholdC: 37.3, householdQuota: { days: 2, count: 1 } },
      openingHours: [{ from: '06:00', to: '23:00' }],
      blocked: [gone.code],
      healthRed: [live.code],
      visits: [{ person: visitor.code, startsAt: '2026-03-02T02:00:00.000Z', endsAt: '2026-03-02T04:00:00.000Z' }],
    });
    const sha = (s: string) => createHash('sha256').update(s).digest('hex');
    expect(snap.passes.map((p) => p.person).sort()).toEqual([live.code, gone.code].sort());
    expect(snap.passes.find((p) => p.person === gone.code)).toEqual({
      tokenHash: sha(gonePass.token),
      person: gone.code,
      name: '刘*',
      category: 'resident',
      householdId: null,
      pass: { id: gonePass.id, siteIds: [g.site.id], validFrom: '2026-01-31', validTo: '2027-03-02', windows: null, essential: false, status: 'revoked' },
    });
    const mine = snap.passes.find((p) => p.person === live.code)!;
    expect(mine).toMatchObject({ tokenHash: sha(livePass.token), name: '陈*', householdId: h.id, pass: { status: 'active', windows: [{ days: [1, 2, 3, 4, 5], from: '07:00', to: '19:00' }] } });
    expect(mine.pass.siteIds.sort()).toEqual([g.site.id, other.id].sort());
    // Nothing personal beyond the masked name: no ID numbers, no phones, no plain tokens.
    for (const secret of [live.idNumber!, live.phone!, gone.idNumber!, livePass.token, gonePass.token, '陈静', '刘洋']) expect(payload).not.toContain(secret);
  });
});
