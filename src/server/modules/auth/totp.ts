import { generateSecret, generateURI, verifySync } from 'otplib';

/**
 * TOTP (RFC 6238) through otplib: HMAC-SHA-1, 6 digits, 30-second steps, one step of clock drift
 * either way. Secrets are 20 random bytes (160 bits, RFC 4226's recommendation) from the CSPRNG,
 * in base32 as authenticator apps expect.
 */
export const totpPeriodSeconds = 30;
const toleranceSeconds = totpPeriodSeconds;

/** A new base32 secret from the CSPRNG. */
export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

/** The otpauth:// URI an authenticator app reads from the QR code. */
export function totpUri(secret: string, username: string): string {
  return generateURI({ issuer: 'Pacesetter', label: username, secret, digits: 6, period: totpPeriodSeconds });
}

/**
 * The time step a code matches at `now` (±1 step), or null. A step at or before `afterStep`
 * (the last accepted one) does not count: every code works once.
 */
export function matchTotp(secret: string, code: string, now: Date, afterStep: number | null): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  try {
    const result = verifySync({
      secret,
      token: code,
      epoch: Math.floor(now.getTime() / 1000),
      period: totpPeriodSeconds,
      epochTolerance: toleranceSeconds,
      ...(afterStep === null ? {} : { afterTimeStep: afterStep }),
    });
    return result.valid && 'timeStep' in result ? result.timeStep : null;
  } catch {
    return null;
  }
}
