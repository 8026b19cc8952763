import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactUrl } from '../../src/server/runtime';
import { createTestApp, type TestApp } from '../helpers/app';

describe('personal data never reaches the access log', () => {
  it('redactUrl hides the values of personal query parameters, and only those', () => {
    expect(redactUrl('/api/people?idNumber=11010519491231002X&site=CWXQ')).toBe('/api/people?idNumber=[redacted]&site=CWXQ');
    expect(redactUrl('/api/gate/lookup?name=%E5%BC%A0%E4%B8%89&last4=002X')).toBe('/api/gate/lookup?name=[redacted]&last4=[redacted]');
    expect(redactUrl('/api/people?phone=13800138000')).toBe('/api/people?phone=[redacted]');
    expect(redactUrl('/api/units')).toBe('/api/units');
  });

  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite');
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  it('a search by ID number or phone leaves neither in any log line', async () => {
    const admin = await t.login('admin');
    const res = await admin.get('/api/people?idNumber=11010519491231002X');
    expect(res.statusCode).toBe(200);
    expect((await admin.get('/api/people?phone=13800138000')).statusCode).toBe(200);
    const lines = t.logs.join('\n');
    expect(lines).toContain('idNumber=[redacted]');
    expect(lines).not.toContain('11010519491231002X');
    expect(lines).not.toContain('13800138000');
  });
});
