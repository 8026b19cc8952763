import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { personalData } from '../../../server/crypto/personal-data';
import type { GateSnapshot } from './gate-api';
import { decideOffline, formatShanghai, sha256Hex, shanghaiLocal, verifiedSnapshot } from './gate-offline';

const signer = personalData(Buffer.alloc(32, 7));
const hash = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');
const tokens = { valid: 'valid-token-000000000000', revoked: 'revoked-token-0000000000', other: 'other-site-token-0000000' };

function snapshot(overrides: Partial<GateSnapshot> = {}): GateSnapshot {
  const pass = (id: string, siteIds: string[], status: 'active' | 'revoked' = 'active') => ({ id, siteIds, validFrom: '2026-01-01', validTo: '2026-12-31', windows: null, essential: false, status });
  return {
    version: 1,
    generatedAt: '2026-11-26T02:00:00.000Z',
    checkpoint: 'CP-1',
    site: { id: 'site-1', code: 'S1', kind: 'community', accessLevel: 'restricted', temperatureMode: 'optional', feverThresholdC: 37.3, householdQuota: { days: 2, count: 1 } },
    openingHours: null,
    passes: [
      { tokenHash: hash(tokens.valid), person: 'P1', name: '张*', category: 'resident', householdId: 'h1', pass: pass('pass-1', ['site-1']) },
      { tokenHash: hash(tokens.revoked), person: 'P2', name: '李*', category: 'resident', householdId: 'h1', pass: pass('pass-2', ['site-1'], 'revoked') },
      { tokenHash: hash(tokens.other), person: 'P3', name: '王*', category: 'resident', householdId: null, pass: pass('pass-3', ['site-2']) },
    ],
    blocked: [],
    healthRed: [],
    visits: [],
    ...overrides,
  };
}

describe('the gate app’s offline decisions', () => {
  it('reads Beijing local time whatever the zone of the device, across midnight UTC', () => {
    expect(shanghaiLocal(new Date('2026-11-25T16:30:00Z'))).toEqual({ date: '2026-11-26', time: '00:30', weekday: 4 });
    expect(shanghaiLocal(new Date('2026-11-29T15:59:00Z'))).toEqual({ date: '2026-11-29', time: '23:59', weekday: 7 });
    expect(formatShanghai('2026-11-25T16:00:05Z')).toBe('11-26 00:00:05');
  });

  it('hashes a token as passes.token_hash stores it', async () => {
    expect(await sha256Hex(tokens.valid)).toBe(hash(tokens.valid));
  });

  it('uses a snapshot only when the server’s Ed25519 signature verifies and it is for this checkpoint', async () => {
    const payload = JSON.stringify(snapshot());
    const signature = signer.sign(payload);
    expect((await verifiedSnapshot(payload, signature, signer.publicKey, 'CP-1'))?.passes).toHaveLength(3);
    // One character changed (a revoked pass made active): refused.
    expect(await verifiedSnapshot(payload.replace('"revoked"', '"active"'), signature, signer.publicKey, 'CP-1')).toBeNull();
    expect(await verifiedSnapshot(payload, signature, personalData(randomBytes(32)).publicKey, 'CP-1')).toBeNull();
    expect(await verifiedSnapshot(payload, signature, signer.publicKey, 'CP-2')).toBeNull();
    expect(await verifiedSnapshot(payload, 'not base64!', signer.publicKey, 'CP-1')).toBeNull();
  });

  it('decides like the server: valid, revoked, unknown, wrong site, blocked, red, fever', async () => {
    const at = new Date('2026-11-26T02:00:00Z');
    const decide = (token: string, s = snapshot(), extra: { direction?: 'in' | 'out'; temperatureC?: number | null } = {}) =>
      decideOffline(s, { token, direction: extra.direction ?? 'in', temperatureC: extra.temperatureC ?? null, at }, []);
    expect(await decide(tokens.valid)).toEqual({ decision: 'allow', reason: null, person: { code: 'P1', name: '张*', category: 'resident', householdId: 'h1' } });
    expect(await decide(tokens.revoked)).toMatchObject({ decision: 'deny', reason: 'PASS_REVOKED', person: { code: 'P2' } });
    expect(await decide('unknown-token-000000000')).toEqual({ decision: 'deny', reason: 'NO_PASS', person: null });
    expect(await decide(tokens.other)).toMatchObject({ decision: 'deny', reason: 'WRONG_SITE' });
    expect(await decide(tokens.valid, snapshot({ blocked: ['P1'] }))).toMatchObject({ decision: 'deny', reason: 'BLOCKED' });
    expect(await decide(tokens.valid, snapshot({ healthRed: ['P1'] }))).toMatchObject({ decision: 'deny', reason: 'HEALTH_RED' });
    expect(await decide(tokens.valid, snapshot(), { temperatureC: 37.3 })).toMatchObject({ decision: 'deny', reason: 'FEVER' });
    expect(await decide(tokens.valid, snapshot(), { temperatureC: 37.2 })).toMatchObject({ decision: 'allow' });
    // Leaving is allowed even with a revoked pass (nobody is kept inside).
    expect(await decide(tokens.revoked, snapshot(), { direction: 'out' })).toMatchObject({ decision: 'allow' });
  });

  it('counts the household’s outings this device let out offline within the quota window', async () => {
    const at = new Date('2026-11-26T02:00:00Z');
    const out = (scannedAt: string, decision: 'allow' | 'deny' = 'allow', householdId = 'h1') => ({ householdId, direction: 'out' as const, decision, scannedAt });
    const decide = (outings: ReturnType<typeof out>[]) => decideOffline(snapshot(), { token: tokens.valid, direction: 'out', temperatureC: null, at }, outings);
    expect(await decide([])).toMatchObject({ decision: 'allow' });
    expect(await decide([out('2026-11-25T10:00:00Z')])).toMatchObject({ decision: 'deny', reason: 'HOUSEHOLD_QUOTA' });
    // Older than the window (2 days), denied, or another household: not counted.
    expect(await decide([out('2026-11-23T10:00:00Z'), out('2026-11-25T10:00:00Z', 'deny'), out('2026-11-25T10:00:00Z', 'allow', 'h2')])).toMatchObject({ decision: 'allow' });
  });
});
