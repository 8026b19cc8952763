import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './passwords';

describe('password hashing (AUTH-8)', () => {
  it('stores argon2id with m=19456 KiB, t=2, p=1 (OWASP baseline) and a fresh salt each time', async () => {
    const a = await hashPassword('Correct#Horse9');
    const b = await hashPassword('Correct#Horse9');
    // PHC string: $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>
    const phc = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;
    const parts = phc.exec(a);
    expect(parts, a).not.toBeNull();
    expect(parts!.slice(1, 4).map(Number)).toEqual([19456, 2, 1]);
    expect(Buffer.from(parts![4]!, 'base64').length).toBeGreaterThanOrEqual(16);
    expect(b).not.toBe(a);
    expect(await verifyPassword(a, 'Correct#Horse9')).toBe(true);
    expect(await verifyPassword(a, 'Correct#Horse0')).toBe(false);
  });
});
