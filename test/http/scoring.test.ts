import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../helpers/app';
import { engines } from '../helpers/db';

// The scoring calculator of issue 4: the hand-checked examples through the documented API.
describe.each(engines)('POST /api/scoring/preview on %s', (engine) => {
  let t: TestApp;
  let viewer: Client;
  beforeAll(async () => {
    t = await createTestApp(engine);
    viewer = await t.login('viewer');
  });
  afterAll(() => t?.close());

  const preview = async (body: unknown) => {
    const res = await viewer.post('/api/scoring/preview', body);
    return { status: res.statusCode, body: res.json() };
  };

  it('efficacy: 60 + 40 × (5.81 − 6) ÷ (12 − 6) = 58.73', async () => {
    const { status, body } = await preview({ method: 'efficacy', value: 5.81, satisfactory: 12, impermissible: 6 });
    expect(status).toBe(200);
    expect(body.score).toBe(58.73);
    expect(body.explanation).toMatchObject({ rule: 'efficacy', value: 5.81, references: { satisfactory: 12, impermissible: 6 } });
    expect(body.explanation.arithmetic).toMatch(/58\.73/);
  });

  it('five-tier: 90 between good 80 and excellent 100 with weight 20 gives 18, mirrored for lower-is-better', async () => {
    // base = 20 × 0.8 = 16; plus (90 − 80) ÷ (100 − 80) × (20 − 16) = 2 → 18.
    expect((await preview({ method: 'five-tier', value: 90, weight: 20, tiers: [100, 80, 60, 40, 20] })).body.score).toBe(18);
    expect((await preview({ method: 'five-tier', value: 10, weight: 20, tiers: [0, 20, 40, 60, 80] })).body.score).toBe(18);
    // Never above the weight.
    expect((await preview({ method: 'five-tier', value: 150, weight: 20, tiers: [100, 80, 60, 40, 20] })).body.score).toBe(20);
  });

  it('add-deduct: 10 points at 100 %, ±1 per point, at most 15 and at least 0', async () => {
    const at = async (value: number) => (await preview({ method: 'add-deduct', value, base: 100, basePoints: 10, perUnit: 1, cap: 15, floor: 0 })).body;
    expect((await at(103)).score).toBe(13);
    expect(await at(120)).toMatchObject({ score: 15, explanation: { limitedBy: 'cap' } });
    expect((await at(96.5)).score).toBe(6.5);
    expect(await at(80)).toMatchObject({ score: 0, explanation: { limitedBy: 'floor' } });
  });

  it('refuses what cannot be scored, saying which field', async () => {
    const same = await preview({ method: 'efficacy', value: 5, satisfactory: 6, impermissible: 6 });
    expect(same.status).toBe(422);
    expect(same.body.error).toMatchObject({ code: 'SCORING_INVALID', details: { field: expect.any(String) } });
    const unknown = await preview({ method: 'guess', value: 1 });
    expect(unknown.status).toBe(400);
    const extra = await preview({ method: 'efficacy', value: 1, satisfactory: 2, impermissible: 0, bonus: 5 });
    expect(extra.status).toBe(400);
    expect((await t.anonymous().post('/api/scoring/preview', { method: 'efficacy', value: 1, satisfactory: 2, impermissible: 0 })).statusCode).toBe(401);
  });
});
