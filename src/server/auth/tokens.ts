import { createHash, randomBytes } from 'node:crypto';

/** A new random secret, URL-safe, with a readable prefix. */
export function newSecret(prefix: string, bytes = 32): string {
  return `${prefix}${randomBytes(bytes).toString('base64url')}`;
}

/** Stored instead of the secret itself. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
