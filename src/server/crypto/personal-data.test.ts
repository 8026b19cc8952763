import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { personalData } from './personal-data';

describe('personal data at rest', () => {
  const pd = personalData(randomBytes(32));

  it('round-trips, never repeats a ciphertext, and hides the plaintext', () => {
    const a = pd.encrypt('people.id_number', '11010519491231002X');
    const b = pd.encrypt('people.id_number', '11010519491231002X');
    expect(a.equals(b)).toBe(false);
    expect(a.includes(Buffer.from('11010519491231002X'))).toBe(false);
    expect(pd.decryptText('people.id_number', a)).toBe('11010519491231002X');
  });

  it('a value moved to another column or tampered with does not decrypt', () => {
    const a = pd.encrypt('people.phone', '13800138000');
    expect(() => pd.decrypt('people.id_number', a)).toThrow();
    const t = Buffer.from(a);
    t[t.length - 1] = t[t.length - 1]! ^ 1;
    expect(() => pd.decrypt('people.phone', t)).toThrow();
  });

  it('blind indexes are stable per key and field, and differ across keys and fields', () => {
    expect(pd.blindIndex('people.phone', '13800138000')).toBe(pd.blindIndex('people.phone', '13800138000'));
    expect(pd.blindIndex('people.phone', '13800138000')).not.toBe(pd.blindIndex('people.id_number', '13800138000'));
    expect(personalData(randomBytes(32)).blindIndex('people.phone', '13800138000')).not.toBe(pd.blindIndex('people.phone', '13800138000'));
  });

  it('signs for offline devices with a verifiable Ed25519 key', async () => {
    const sig = pd.sign('{"passes":[]}');
    expect(pd.verify('{"passes":[]}', sig)).toBe(true);
    expect(pd.verify('{"passes":[1]}', sig)).toBe(false);
    // A browser verifies with WebCrypto from the raw public key.
    const key = await crypto.subtle.importKey('raw', Buffer.from(pd.publicKey, 'base64'), { name: 'Ed25519' }, false, ['verify']);
    expect(await crypto.subtle.verify('Ed25519', key, Buffer.from(sig, 'base64'), Buffer.from('{"passes":[]}'))).toBe(true);
  });
});
