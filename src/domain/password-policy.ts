import { commonPasswords } from './common-passwords';

export type PasswordViolation = 'too_short' | 'too_long' | 'too_few_classes' | 'contains_username' | 'common';

export interface PasswordPolicy {
  minLength: number;
  maxLength: number;
  minClasses: number;
}

export const defaultPasswordPolicy: PasswordPolicy = { minLength: 8, maxLength: 128, minClasses: 3 };

/** Counts the character classes present: lower, upper, digit, other. */
export function countClasses(password: string): number {
  let n = 0;
  if (/\p{Ll}/u.test(password)) n++;
  if (/\p{Lu}/u.test(password)) n++;
  if (/\p{Nd}/u.test(password)) n++;
  if (/[^\p{Ll}\p{Lu}\p{Nd}]/u.test(password)) n++;
  return n;
}

/** Lists every rule a candidate password breaks; empty means acceptable. */
export function checkPassword(password: string, username: string, policy: PasswordPolicy = defaultPasswordPolicy): PasswordViolation[] {
  const violations: PasswordViolation[] = [];
  const length = [...password].length;
  if (length < policy.minLength) violations.push('too_short');
  if (length > policy.maxLength) violations.push('too_long');
  if (countClasses(password) < policy.minClasses) violations.push('too_few_classes');
  const lower = password.toLowerCase();
  if (username.length >= 3 && lower.includes(username.toLowerCase())) violations.push('contains_username');
  if (isCommon(lower)) violations.push('common');
  return violations;
}

/** A password is common when it, or it stripped of trailing digits and symbols, is on the list. */
function isCommon(lower: string): boolean {
  if (commonPasswords.has(lower)) return true;
  const stem = lower.replace(/[^a-z]+$/u, '');
  return stem.length >= 4 && commonPasswords.has(stem) && lower.length - stem.length <= 4;
}
