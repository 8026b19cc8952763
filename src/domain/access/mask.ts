/**
 * Display masking (GB/T 35273-2020 7.2: de-identify personal data shown on screens and paper),
 * applied on the server before anything leaves it. The conventions follow Hutool's
 * DesensitizedUtil: ID numbers keep the first 1 and last 2 characters by default (or 6 + 4),
 * phones 3 + 4, names the first character.
 */
export type IdMaskStyle = '1+2' | '6+4';

function keep(value: string, head: number, tail: number): string {
  const chars = [...value];
  if (chars.length <= head + tail) return chars.map((c, i) => (i === 0 ? c : '*')).join('');
  return chars.slice(0, head).join('') + '*'.repeat(chars.length - head - tail) + chars.slice(chars.length - tail).join('');
}

/** `1***************2X` (1+2) or `110101********123X` (6+4). */
export function maskIdNumber(id: string, style: IdMaskStyle = '1+2'): string {
  return style === '6+4' ? keep(id, 6, 4) : keep(id, 1, 2);
}

/** `138****5678`. */
export function maskPhone(phone: string): string {
  return keep(phone, 3, 4);
}

/** `张*`, `欧阳**`: the first character stays (two for a known double surname). */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '';
  const head = chars.length > 2 && DOUBLE_SURNAMES.has(chars.slice(0, 2).join('')) ? 2 : 1;
  return chars.slice(0, head).join('') + '*'.repeat(Math.max(1, chars.length - head));
}

const DOUBLE_SURNAMES = new Set(['欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '宇文', '司徒', '夏侯', '轩辕', '令狐', '澹台', '端木', '独孤']);

/** `晋A1***8`: a plate keeps its region, letter, first and last character. */
export function maskPlate(plate: string): string {
  const chars = [...plate];
  return chars.length <= 4 ? plate : keep(plate, 3, 1);
}
