import type { FormulaTerm, MeterKind } from './energy.schemas';

/** What the checks need to know of a meter. */
export interface MeterNode {
  code: string;
  kind: MeterKind;
  carrier: string;
  uom: string;
  unitId: string;
  parentCode: string | null;
  rollover: number | null;
  formula: FormulaTerm[];
  validFrom: string;
  validTo: string | null;
}

export interface MeterProblem {
  code: string;
  field: string;
  message: string;
}

/** unit id → parent unit id. */
export type UnitParents = ReadonlyMap<string, string | null>;

/** True when `ancestor` is `unitId` or one of the units above it. */
export function isAncestorOrSelf(parents: UnitParents, ancestor: string, unitId: string): boolean {
  const seen = new Set<string>();
  for (let u: string | null | undefined = unitId; u && !seen.has(u); u = parents.get(u)) {
    if (u === ancestor) return true;
    seen.add(u);
  }
  return false;
}

/** The virtual meter reaches itself through its formula (directly or through other virtual meters). */
export function formulaCycle(graph: ReadonlyMap<string, MeterNode>, start: string): boolean {
  const seen = new Set<string>();
  const stack = [...(graph.get(start)?.formula ?? []).map((t) => t.meter)];
  while (stack.length) {
    const code = stack.pop()!;
    if (code === start) return true;
    if (seen.has(code)) continue;
    seen.add(code);
    for (const t of graph.get(code)?.formula ?? []) stack.push(t.meter);
  }
  return false;
}

/** The meter appears above itself in the tree. */
export function parentCycle(graph: ReadonlyMap<string, MeterNode>, start: string): boolean {
  const seen = new Set<string>();
  for (let c = graph.get(start)?.parentCode ?? null; c !== null; c = graph.get(c)?.parentCode ?? null) {
    if (c === start) return true;
    if (seen.has(c)) return false;
    seen.add(c);
  }
  return false;
}

/**
 * Every rule a meter must keep, checked against the graph the meter is already part of (the
 * meters as they will be once the change is saved). Each problem has a stable code.
 */
export function meterProblems(graph: ReadonlyMap<string, MeterNode>, parents: UnitParents, code: string): MeterProblem[] {
  const m = graph.get(code);
  if (!m) return [];
  const out: MeterProblem[] = [];
  if (m.rollover !== null && m.kind !== 'counter') out.push({ code: 'ROLLOVER_NOT_COUNTER', field: 'rollover', message: 'Only a counter has a rollover value' });
  if (m.validTo !== null && m.validTo < m.validFrom) out.push({ code: 'VALID_TO_BEFORE_FROM', field: 'validTo', message: 'validTo is before validFrom' });
  if (m.kind === 'virtual' && m.formula.length === 0) out.push({ code: 'FORMULA_REQUIRED', field: 'formula', message: 'A virtual meter needs a formula of other meters' });
  if (m.kind !== 'virtual' && m.formula.length > 0) out.push({ code: 'FORMULA_NOT_VIRTUAL', field: 'formula', message: 'Only a virtual meter has a formula' });
  const terms = new Set<string>();
  for (const t of m.formula) {
    if (terms.has(t.meter)) out.push({ code: 'FORMULA_DUPLICATE', field: 'formula', message: `${t.meter} appears twice in the formula` });
    terms.add(t.meter);
    const ref = graph.get(t.meter);
    if (t.meter === code) out.push({ code: 'FORMULA_CYCLE', field: 'formula', message: `${code} cannot include itself` });
    else if (!ref) out.push({ code: 'FORMULA_METER_NOT_FOUND', field: 'formula', message: `No meter ${t.meter}` });
    else if (ref.carrier !== m.carrier || ref.uom !== m.uom) out.push({ code: 'FORMULA_MISMATCH', field: 'formula', message: `${t.meter} measures ${ref.carrier} in ${ref.uom}, not ${m.carrier} in ${m.uom}` });
  }
  if (m.formula.length && !out.some((p) => p.code === 'FORMULA_CYCLE') && formulaCycle(graph, code)) {
    out.push({ code: 'FORMULA_CYCLE', field: 'formula', message: `${code} would include itself through other virtual meters` });
  }
  if (m.parentCode !== null) {
    const p = graph.get(m.parentCode);
    if (m.parentCode === code) out.push({ code: 'PARENT_CYCLE', field: 'parent', message: 'A meter cannot sit under itself' });
    else if (!p) out.push({ code: 'PARENT_NOT_FOUND', field: 'parent', message: `No meter ${m.parentCode}` });
    else if (!isAncestorOrSelf(parents, p.unitId, m.unitId)) out.push({ code: 'PARENT_OUTSIDE_UNIT', field: 'parent', message: `${m.parentCode} belongs to a unit that is not this meter's unit or one above it` });
    else if (p.carrier !== m.carrier) out.push({ code: 'PARENT_CARRIER_MISMATCH', field: 'parent', message: `${m.parentCode} measures ${p.carrier}, not ${m.carrier}` });
    else if (parentCycle(graph, code)) out.push({ code: 'PARENT_CYCLE', field: 'parent', message: `${code} would sit under one of its own sub-meters` });
  }
  // The meters that depend on this one must still hold: sub-meters and formulas that use it.
  for (const other of graph.values()) {
    if (other.code === code) continue;
    if (other.parentCode === code && !isAncestorOrSelf(parents, m.unitId, other.unitId)) {
      out.push({ code: 'PARENT_OUTSIDE_UNIT', field: 'unit', message: `The sub-meter ${other.code} would no longer be in this meter's unit or below it` });
    }
    if (other.formula.some((t) => t.meter === code) && (other.carrier !== m.carrier || other.uom !== m.uom)) {
      out.push({ code: 'FORMULA_MISMATCH', field: 'carrier', message: `The virtual meter ${other.code} uses ${code} and measures ${other.carrier} in ${other.uom}` });
    }
  }
  return out;
}

/**
 * Reads a formula as a file writes it: meter codes joined by + and − with spaces around them
 * (codes may contain -), e.g. `DJ1-PWR-IN - DJ1-PWR-OUT`. A leading sign is allowed.
 */
export function parseFormulaText(text: string): { ok: true; terms: FormulaTerm[] } | { ok: false; message: string } {
  const t = text.trim().replace(/\u2212/g, '-');
  if (!t) return { ok: true, terms: [] };
  const parts = t.split(/\s+([+-])\s+/);
  const terms: FormulaTerm[] = [];
  let first = parts[0]!;
  let sign: 1 | -1 = 1;
  const lead = /^([+-])\s*(.*)$/.exec(first);
  if (lead) {
    sign = lead[1] === '-' ? -1 : 1;
    first = lead[2]!;
  }
  const codeRe = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
  if (!codeRe.test(first)) return { ok: false, message: `"${first.slice(0, 64)}" is not a meter code; write the formula as CODE + CODE - CODE, with spaces around + and -` };
  terms.push({ meter: first, sign });
  for (let i = 1; i < parts.length; i += 2) {
    const code = parts[i + 1] ?? '';
    if (!codeRe.test(code)) return { ok: false, message: `"${code.slice(0, 64)}" is not a meter code; write the formula as CODE + CODE - CODE, with spaces around + and -` };
    terms.push({ meter: code, sign: parts[i] === '-' ? -1 : 1 });
  }
  return { ok: true, terms };
}

/** A formula as text, e.g. `A + B - C`. */
export function formulaText(terms: readonly FormulaTerm[]): string {
  return terms.map((t, i) => (i === 0 ? (t.sign < 0 ? `- ${t.meter}` : t.meter) : `${t.sign < 0 ? '-' : '+'} ${t.meter}`)).join(' ');
}
