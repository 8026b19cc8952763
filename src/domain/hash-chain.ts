import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level: one byte sequence per value. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.keys(value)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}

/** hash = sha256(previous hash ‖ canonical row), hex. The genesis previous hash is 64 zeros. */
export function chainHash(previousHash: string, row: Record<string, unknown>): string {
  return createHash('sha256').update(previousHash).update(canonicalJson(row)).digest('hex');
}

export const genesisHash = '0'.repeat(64);

export interface ChainRow {
  seq: number;
  prevHash: string;
  hash: string;
  /** Every audited field except prevHash and hash. */
  body: Record<string, unknown>;
}

export type ChainCheck = { ok: true; checked: number } | { ok: false; checked: number; seq: number; reason: string };

/** Walks rows in seq order and names the first one whose link or hash does not hold. */
export function verifyChain(rows: Iterable<ChainRow>, start: { seq: number; hash: string } = { seq: 0, hash: genesisHash }): ChainCheck {
  let previous = start;
  let checked = 0;
  for (const row of rows) {
    if (row.seq !== previous.seq + 1) return { ok: false, checked, seq: row.seq, reason: `sequence gap: expected ${previous.seq + 1}` };
    if (row.prevHash !== previous.hash) return { ok: false, checked, seq: row.seq, reason: 'previous hash does not match' };
    if (chainHash(row.prevHash, row.body) !== row.hash) return { ok: false, checked, seq: row.seq, reason: 'row content does not match its hash' };
    checked++;
    previous = { seq: row.seq, hash: row.hash };
  }
  return { ok: true, checked };
}
