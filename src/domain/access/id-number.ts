/**
 * Mainland resident ID numbers (居民身份证号码, GB 11643-1999): 17 digits, then a check character
 * from ISO 7064 MOD 11-2; digits 7–14 are the date of birth.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** Upper-cases and strips spaces and hyphens, the forms people type. */
export function normaliseIdNumber(raw: string): string {
  return raw.replace(/[\s-]/g, '').toUpperCase();
}

/** The check character of the first 17 digits. */
export function idCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK[sum % 11]!;
}

export type IdNumberProblem = 'LENGTH' | 'CHARACTERS' | 'BIRTH_DATE' | 'CHECKSUM';

/** Why a mainland ID number is not valid, or null when it is (`today` bounds the birth date). */
export function residentIdProblem(raw: string, today: string): IdNumberProblem | null {
  const id = normaliseIdNumber(raw);
  if (id.length !== 18) return 'LENGTH';
  if (!/^\d{17}[\dX]$/.test(id)) return 'CHARACTERS';
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const birth = new Date(Date.UTC(y, m - 1, d));
  const iso = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (y < 1900 || birth.getUTCMonth() !== m - 1 || birth.getUTCDate() !== d || iso > today) return 'BIRTH_DATE';
  if (idCheckCharacter(id) !== id[17]) return 'CHECKSUM';
  return null;
}

/** Phone numbers as stored and searched: digits only, without a leading +86 / 0086. */
export function normalisePhone(raw: string): string {
  const digits = raw.replace(/[^\d]/g, '');
  if (digits.length === 13 && digits.startsWith('86')) return digits.slice(2);
  if (digits.length === 15 && digits.startsWith('0086')) return digits.slice(4);
  return digits;
}

/** A mainland mobile number: 11 digits starting with 1. Landlines (7–12 digits) are accepted too. */
export function phoneProblem(normalised: string): 'PHONE' | null {
  return /^1\d{10}$/.test(normalised) || /^0?\d{7,11}$/.test(normalised) ? null : 'PHONE';
}
