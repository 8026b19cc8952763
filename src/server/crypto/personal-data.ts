import { createCipheriv, createDecipheriv, createHmac, createPrivateKey, createPublicKey, hkdfSync, randomBytes, sign, verify, type KeyObject } from 'node:crypto';

/**
 * Personal data at rest: AES-256-GCM ciphertext bound to its column (the column name is the
 * additional authenticated data, so a value copied into another column does not decrypt), HMAC-SHA-256
 * blind indexes for exact search, and an Ed25519 key that signs what gate devices cache offline.
 * Every key is derived from PACESETTER_KEY with HKDF under its own label; decision 0008.
 */
export type PersonalField = 'people.id_number' | 'people.phone' | 'people.photo' | 'passes.token' | 'travel_records.address' | 'health_declarations.location' | 'users.totp_secret';

const FORMAT = 1; // first byte of every ciphertext: lets a later key rotation tell formats apart
const IV_BYTES = 12;
const TAG_BYTES = 16;
// PKCS#8 header of an Ed25519 private key (RFC 8410); the 32-byte seed follows.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface PersonalData {
  encrypt(field: PersonalField, plain: string | Buffer): Buffer;
  decrypt(field: PersonalField, sealed: Buffer): Buffer;
  decryptText(field: PersonalField, sealed: Buffer): string;
  /** The blind index of a normalised value (hex); equal values give equal indexes. */
  blindIndex(field: PersonalField, normalised: string): string;
  /** Signs a payload for offline devices (Ed25519, base64). */
  sign(payload: Buffer | string): string;
  verify(payload: Buffer | string, signature: string): boolean;
  /** The public key devices verify with: raw 32 bytes, base64. */
  publicKey: string;
}

function derive(master: Buffer, label: string, bytes = 32): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `pacesetter/${label}`, bytes));
}

/** Builds the personal-data toolkit from the 32-byte master key. */
export function personalData(master: Buffer): PersonalData {
  if (master.length !== 32) throw new Error('the personal-data key must be 32 bytes');
  const encKey = derive(master, 'personal-data/aes-256-gcm');
  const indexKey = derive(master, 'personal-data/blind-index');
  const signingKey: KeyObject = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, derive(master, 'gate/ed25519')]), format: 'der', type: 'pkcs8' });
  const verifyKey = createPublicKey(signingKey);
  const publicRaw = verifyKey.export({ format: 'der', type: 'spki' }).subarray(-32);

  const decrypt = (field: PersonalField, sealed: Buffer): Buffer => {
    if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== FORMAT) throw new Error(`${field}: not a sealed value`);
    const iv = sealed.subarray(1, 1 + IV_BYTES);
    const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', encKey, iv);
    decipher.setAAD(Buffer.from(field));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
  };

  return {
    encrypt(field, plain) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', encKey, iv);
      cipher.setAAD(Buffer.from(field));
      const body = Buffer.concat([cipher.update(typeof plain === 'string' ? Buffer.from(plain, 'utf8') : plain), cipher.final()]);
      return Buffer.concat([Buffer.from([FORMAT]), iv, cipher.getAuthTag(), body]);
    },
    decrypt,
    decryptText: (field, sealed) => decrypt(field, sealed).toString('utf8'),
    blindIndex: (field, normalised) => createHmac('sha256', indexKey).update(`${field}\u0000${normalised}`).digest('hex'),
    sign: (payload) => sign(null, Buffer.from(payload), signingKey).toString('base64'),
    verify: (payload, signature) => verify(null, Buffer.from(payload), verifyKey, Buffer.from(signature, 'base64')),
    publicKey: Buffer.from(publicRaw).toString('base64'),
  };
}

const toolkits = new WeakMap<Buffer, PersonalData>();

/** The toolkit for the configured key, built once per key (HKDF and key parsing are not free). */
export function personalDataOf(config: { key: Buffer }): PersonalData {
  let pd = toolkits.get(config.key);
  if (!pd) toolkits.set(config.key, (pd = personalData(config.key)));
  return pd;
}
