/**
 * Health status rules as data (issue 7, item 4): a person's facts of the day give a colour, green,
 * yellow or red, and the rule that decided it, with every matching rule and the actual values it
 * saw, so that a status can always be explained, contested and reviewed.
 *
 * Every enabled rule is evaluated; the most severe colour wins (red > yellow > green), ties go to
 * the lower priority number, then to the code. Nothing matched → green by 'DEFAULT_GREEN'.
 */
import type { Clause, ClauseOp, Condition, FactName, HealthColour, HealthFacts, StatusResult, StatusRule } from './types';

/** The fever threshold of an incident unless it sets its own (°C, a reading at or above it is a fever). */
export const DEFAULT_FEVER_THRESHOLD_C = 37.3;
/** The deciding rule when no rule matched. */
export const DEFAULT_GREEN = 'DEFAULT_GREEN';

export const HEALTH_COLOURS: readonly HealthColour[] = ['green', 'yellow', 'red'];
export const FACT_NAMES: readonly FactName[] = ['temperatureC', 'fever', 'symptoms', 'riskTravelDaysAgo', 'riskTravelLevel', 'closeContact', 'inQuarantine', 'suspectedCase', 'confirmedCase', 'declaredToday'];
export const CLAUSE_OPS: readonly ClauseOp[] = ['=', '!=', '>=', '>', '<=', '<', 'in', 'nonEmpty', 'empty', 'includes'];
export const RISK_LEVELS: readonly ('high' | 'medium' | 'low')[] = ['high', 'medium', 'low'];

/** What kind of value a fact holds, which decides the operators that fit it. */
export type FactKind = 'number' | 'boolean' | 'list' | 'level';
export const factKinds: Readonly<Record<FactName, FactKind>> = {
  temperatureC: 'number',
  fever: 'boolean',
  symptoms: 'list',
  riskTravelDaysAgo: 'number',
  riskTravelLevel: 'level',
  closeContact: 'boolean',
  inQuarantine: 'boolean',
  suspectedCase: 'boolean',
  confirmedCase: 'boolean',
  declaredToday: 'boolean',
};
/** The operators a rule editor offers for each kind of fact. */
export const opsByKind: Readonly<Record<FactKind, readonly ClauseOp[]>> = {
  number: ['=', '!=', '>=', '>', '<=', '<'],
  boolean: ['=', '!='],
  list: ['nonEmpty', 'empty', 'includes'],
  level: ['=', '!=', 'in'],
};

/** Labels of the facts, Chinese (default UI) and English. */
export const factLabels: Readonly<Record<FactName, { zh: string; en: string }>> = {
  temperatureC: { zh: '体温', en: 'Temperature (°C)' },
  fever: { zh: '发热', en: 'Fever' },
  symptoms: { zh: '症状', en: 'Symptoms' },
  riskTravelDaysAgo: { zh: '距离风险地区旅居天数', en: 'Days since risk-area travel' },
  riskTravelLevel: { zh: '旅居风险地区等级', en: 'Risk-area level' },
  closeContact: { zh: '密切接触者', en: 'Close contact' },
  inQuarantine: { zh: '隔离观察中', en: 'In quarantine' },
  suspectedCase: { zh: '疑似病例', en: 'Suspected case' },
  confirmedCase: { zh: '确诊病例', en: 'Confirmed case' },
  declaredToday: { zh: '今日已申报', en: 'Declared today' },
};

export type SymptomCode = 'fever' | 'cough' | 'fatigue' | 'sore-throat' | 'shortness-of-breath' | 'diarrhoea' | 'loss-of-taste-smell' | 'other';
/** The symptom checklist of the daily declaration, in the order the form shows it. */
export const symptomCodes: readonly { code: SymptomCode; zh: string; en: string }[] = [
  { code: 'fever', zh: '发热', en: 'Fever' },
  { code: 'cough', zh: '咳嗽', en: 'Cough' },
  { code: 'fatigue', zh: '乏力', en: 'Fatigue' },
  { code: 'sore-throat', zh: '咽痛', en: 'Sore throat' },
  { code: 'shortness-of-breath', zh: '呼吸困难', en: 'Shortness of breath' },
  { code: 'diarrhoea', zh: '腹泻', en: 'Diarrhoea' },
  { code: 'loss-of-taste-smell', zh: '嗅味觉减退', en: 'Loss of taste or smell' },
  { code: 'other', zh: '其他', en: 'Other' },
];

const levelLabels: Record<'high' | 'medium' | 'low', { zh: string; en: string }> = {
  high: { zh: '高风险', en: 'high' },
  medium: { zh: '中风险', en: 'medium' },
  low: { zh: '低风险', en: 'low' },
};
const colourLabels: Record<HealthColour, { zh: string; en: string }> = {
  red: { zh: '红码', en: 'Red' },
  yellow: { zh: '黄码', en: 'Yellow' },
  green: { zh: '绿码', en: 'Green' },
};

const clause = (fact: FactName, op: ClauseOp, value?: Clause['value']): Clause => (value === undefined ? { fact, op } : { fact, op, value });
const rule = (code: string, nameZh: string, nameEn: string, status: HealthColour, priority: number, when: Condition): StatusRule => ({ code, nameZh, nameEn, status, priority, when, enabled: true });

/** The rules a new incident starts with; the health admin edits them from there. */
export const defaultStatusRules: StatusRule[] = [
  rule('RED_CONFIRMED', '确诊病例', 'Confirmed case', 'red', 10, { all: [clause('confirmedCase', '=', true)] }),
  rule('RED_SUSPECTED', '疑似病例', 'Suspected case', 'red', 20, { all: [clause('suspectedCase', '=', true)] }),
  rule('RED_CLOSE_CONTACT', '密切接触者', 'Close contact', 'red', 30, { all: [clause('closeContact', '=', true)] }),
  rule('RED_QUARANTINE', '隔离观察中', 'In quarantine', 'red', 40, { all: [clause('inQuarantine', '=', true)] }),
  rule('RED_HIGH_RISK_TRAVEL', '14天内高风险地区旅居史', 'High-risk area within 14 days', 'red', 50, {
    all: [clause('riskTravelLevel', '=', 'high'), clause('riskTravelDaysAgo', '<=', 14)],
  }),
  rule('YELLOW_FEVER', '发热', 'Fever', 'yellow', 60, { all: [clause('fever', '=', true)] }),
  rule('YELLOW_SYMPTOMS', '有症状', 'Symptoms', 'yellow', 70, { all: [clause('symptoms', 'nonEmpty')] }),
  rule('YELLOW_RISK_TRAVEL', '14天内风险地区旅居史', 'Risk area within 14 days', 'yellow', 80, { all: [clause('riskTravelDaysAgo', '<=', 14)] }),
];

/** Facts of a person with nothing known: no reading, no symptoms, no travel, no contact, not declared. */
export function emptyFacts(): HealthFacts {
  return {
    temperatureC: null,
    fever: false,
    symptoms: [],
    riskTravelDaysAgo: null,
    riskTravelLevel: null,
    closeContact: false,
    inQuarantine: false,
    suspectedCase: false,
    confirmedCase: false,
    declaredToday: false,
  };
}

/**
 * Whether a reading is a fever: at or above the threshold, compared in tenths of a degree so that
 * 37.3 against 37.3 is a fever whatever the binary representation (thermometers show tenths).
 */
export function isFever(temperatureC: number | null, thresholdC: number): boolean {
  if (temperatureC === null || !Number.isFinite(temperatureC)) return false;
  return Math.round(temperatureC * 10) >= Math.round(thresholdC * 10);
}

/** Facts from what is known (the rest empty), with `fever` derived from the reading unless given. */
export function factsFrom(known: Partial<HealthFacts>, thresholdC: number = DEFAULT_FEVER_THRESHOLD_C): HealthFacts {
  const facts = { ...emptyFacts(), ...known };
  return { ...facts, fever: known.fever ?? isFever(facts.temperatureC, thresholdC) };
}

const severity: Record<HealthColour, number> = { green: 0, yellow: 1, red: 2 };

/** Orders colours most severe first (red, yellow, green): negative when `a` is more severe. */
export function compareSeverity(a: HealthColour, b: HealthColour): number {
  return severity[b] - severity[a];
}

// Numbers are compared in millionths so that a computed 37.300000000000004 equals an entered 37.3;
// facts (temperatures, days) are far inside the range where that scaling is exact.
const micro = (n: number) => Math.round(n * 1e6);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function same(actual: unknown, value: unknown): boolean {
  if (isNumber(actual) && isNumber(value)) return micro(actual) === micro(value);
  if (Array.isArray(actual) && Array.isArray(value)) return actual.length === value.length && actual.every((a, i) => same(a, value[i]));
  return actual === value;
}

/** Whether one clause holds for an actual fact value (a numeric comparison with no number is false). */
export function clauseHolds(op: ClauseOp, actual: unknown, value: unknown): boolean {
  switch (op) {
    case '=':
      return same(actual, value);
    case '!=':
      return !same(actual, value);
    case '>=':
    case '>':
    case '<=':
    case '<': {
      if (!isNumber(actual) || !isNumber(value)) return false;
      const [a, v] = [micro(actual), micro(value)];
      return op === '>=' ? a >= v : op === '>' ? a > v : op === '<=' ? a <= v : a < v;
    }
    case 'in':
      return Array.isArray(value) && value.some((v) => same(actual, v));
    case 'nonEmpty':
      return Array.isArray(actual) ? actual.length > 0 : actual !== null && actual !== undefined && actual !== '';
    case 'empty':
      return Array.isArray(actual) ? actual.length === 0 : actual === null || actual === undefined || actual === '';
    case 'includes':
      return Array.isArray(actual) && actual.some((a) => same(a, value));
  }
}

type MatchedClause = StatusResult['matched'][number]['clauses'][number];

/** The clauses that held when the condition matches (every `all` clause, the `any` clauses that held), else null. */
function matchCondition(when: Condition, facts: HealthFacts): MatchedClause[] | null {
  const all = when.all ?? [];
  const any = when.any ?? [];
  // An empty condition never matches: a rule without clauses would paint everybody.
  if (all.length === 0 && any.length === 0) return null;
  const seen = (c: Clause): MatchedClause => ({ fact: c.fact, op: c.op, value: c.value ?? null, actual: facts[c.fact] });
  const holds = (c: Clause) => clauseHolds(c.op, facts[c.fact], c.value);
  if (!all.every(holds)) return null;
  const anyHeld = any.filter(holds);
  if (any.length > 0 && anyHeld.length === 0) return null;
  return [...all, ...anyHeld].map(seen);
}

/** The colour of a person's facts under the rules, the deciding rule, every matching rule and why. */
export function evaluateStatus(rules: StatusRule[], facts: HealthFacts): StatusResult {
  const hits = rules
    .filter((r) => r.enabled)
    .flatMap((r) => {
      const clauses = matchCondition(r.when, facts);
      return clauses ? [{ rule: r, clauses }] : [];
    })
    .sort((a, b) => compareSeverity(a.rule.status, b.rule.status) || a.rule.priority - b.rule.priority || (a.rule.code < b.rule.code ? -1 : a.rule.code > b.rule.code ? 1 : 0));
  const matched = hits.map((h) => ({ rule: h.rule.code, status: h.rule.status, clauses: h.clauses }));
  const decider = hits[0];
  if (!decider) {
    return { status: 'green', rule: DEFAULT_GREEN, matched, explanation: { zh: `${colourLabels.green.zh}：未命中任何规则`, en: `${colourLabels.green.en}: no rule matched` } };
  }
  const { rule: r, clauses } = decider;
  return {
    status: r.status,
    rule: r.code,
    matched,
    explanation: {
      zh: `${colourLabels[r.status].zh}：规则「${r.nameZh}」— ${clauses.map((c) => describeClause(c, 'zh')).join('，')}`,
      en: `${colourLabels[r.status].en}: rule “${r.nameEn}” — ${clauses.map((c) => describeClause(c, 'en')).join('; ')}`,
    },
  };
}

const opWords: Record<ClauseOp, { zh: string; en: string }> = {
  '=': { zh: '=', en: '=' },
  '!=': { zh: '≠', en: '≠' },
  '>=': { zh: '≥', en: '≥' },
  '>': { zh: '>', en: '>' },
  '<=': { zh: '≤', en: '≤' },
  '<': { zh: '<', en: '<' },
  in: { zh: '属于', en: 'in' },
  nonEmpty: { zh: '非空', en: 'not empty' },
  empty: { zh: '为空', en: 'empty' },
  includes: { zh: '包含', en: 'includes' },
};

/** A fact value in words: 是/yes, 无/none, 高风险/high, symptom labels. */
export function describeValue(fact: FactName, value: unknown, lang: 'zh' | 'en'): string {
  if (value === null || value === undefined) return lang === 'zh' ? '无' : 'none';
  if (typeof value === 'boolean') return lang === 'zh' ? (value ? '是' : '否') : value ? 'yes' : 'no';
  if (Array.isArray(value)) return value.length === 0 ? (lang === 'zh' ? '无' : 'none') : value.map((v) => describeValue(fact, v, lang)).join(lang === 'zh' ? '、' : ', ');
  if (typeof value === 'string') {
    if (factKinds[fact] === 'level' && value in levelLabels) return levelLabels[value as 'high' | 'medium' | 'low'][lang];
    const symptom = symptomCodes.find((s) => s.code === value);
    if (factKinds[fact] === 'list' && symptom) return lang === 'zh' ? symptom.zh : symptom.en.toLowerCase();
    return value;
  }
  return String(value);
}

/** One clause in words: "密切接触者 = 是", "temperature (°C) ≥ 37.3 (actual 38.2)". */
export function describeClause(c: { fact: FactName; op: ClauseOp; value: unknown; actual: unknown }, lang: 'zh' | 'en'): string {
  const label = lang === 'zh' ? factLabels[c.fact].zh : factLabels[c.fact].en.charAt(0).toLowerCase() + factLabels[c.fact].en.slice(1);
  const op = opWords[c.op][lang];
  const unary = c.op === 'nonEmpty' || c.op === 'empty';
  const head = unary ? `${label} ${op}` : `${label} ${op} ${describeValue(c.fact, c.value, lang)}`;
  // An equality shows what was seen already; the other operators say what the actual value was.
  if (c.op === '=' || (c.op === 'empty' && !unaryHasContent(c.actual))) return head;
  const actual = describeValue(c.fact, c.actual, lang);
  return lang === 'zh' ? `${head}（实际 ${actual}）` : `${head} (actual ${actual})`;
}

const unaryHasContent = (v: unknown) => (Array.isArray(v) ? v.length > 0 : v !== null && v !== undefined);

const ruleKeys = new Set(['code', 'nameZh', 'nameEn', 'status', 'priority', 'when', 'enabled']);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonBlank = (v: unknown) => typeof v === 'string' && v.trim() !== '';

/** The problems of a rule as the rule editor sends it, each prefixed with its field path; [] when it can be saved. */
export function validateRule(input: unknown): string[] {
  if (!isRecord(input)) return ['rule: not an object'];
  const problems: string[] = [];
  for (const key of Object.keys(input)) if (!ruleKeys.has(key)) problems.push(`${key}: unknown field`);
  if (!nonBlank(input.code)) problems.push('code: missing');
  else if (input.code === DEFAULT_GREEN) problems.push(`code: ${DEFAULT_GREEN} is reserved for "no rule matched"`);
  if (!nonBlank(input.nameZh)) problems.push('nameZh: missing');
  if (!nonBlank(input.nameEn)) problems.push('nameEn: missing');
  if (!HEALTH_COLOURS.includes(input.status as HealthColour)) problems.push(`status: must be one of ${HEALTH_COLOURS.join(', ')}`);
  if (!Number.isInteger(input.priority)) problems.push('priority: must be a whole number');
  if (typeof input.enabled !== 'boolean') problems.push('enabled: must be true or false');
  problems.push(...validateCondition(input.when));
  return problems;
}

function validateCondition(when: unknown): string[] {
  if (!isRecord(when)) return ['when: missing condition'];
  const problems: string[] = [];
  let clauses = 0;
  for (const key of Object.keys(when)) {
    if (key !== 'all' && key !== 'any') {
      problems.push(`when.${key}: unknown field (all or any)`);
      continue;
    }
    const list = when[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      problems.push(`when.${key}: must be a list of clauses`);
      continue;
    }
    clauses += list.length;
    list.forEach((c, i) => problems.push(...validateClause(c, `when.${key}[${i}]`)));
  }
  if (clauses === 0) problems.unshift('when: empty condition (it would never match)');
  return problems;
}

function validateClause(c: unknown, path: string): string[] {
  if (!isRecord(c)) return [`${path}: not a clause`];
  const problems: string[] = [];
  for (const key of Object.keys(c)) if (key !== 'fact' && key !== 'op' && key !== 'value') problems.push(`${path}.${key}: unknown field`);
  const fact = c.fact as FactName;
  const op = c.op as ClauseOp;
  if (!FACT_NAMES.includes(fact)) problems.push(`${path}.fact: unknown fact "${String(c.fact)}"`);
  if (!CLAUSE_OPS.includes(op)) problems.push(`${path}.op: unknown operator "${String(c.op)}"`);
  if (problems.length > 0) return problems;
  const kind = factKinds[fact];
  if (!opsByKind[kind].includes(op)) return [`${path}.op: "${op}" does not fit ${fact} (use ${opsByKind[kind].join(', ')})`];
  const value = c.value;
  const at = `${path}.value`;
  if (op === 'nonEmpty' || op === 'empty') return value === undefined || value === null ? [] : [`${at}: "${op}" takes no value`];
  if (value === undefined) return [`${at}: missing value`];
  switch (kind) {
    case 'number':
      if (op === '=' || op === '!=') return value === null || isNumber(value) ? [] : [`${at}: must be a number or null`];
      return isNumber(value) ? [] : [`${at}: must be a number`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${at}: must be true or false`];
    case 'level':
      if (op === 'in') {
        if (!Array.isArray(value) || value.length === 0) return [`${at}: must be a non-empty list of ${RISK_LEVELS.join(', ')}`];
        return value.every((v) => RISK_LEVELS.includes(v as 'high')) ? [] : [`${at}: must list only ${RISK_LEVELS.join(', ')}`];
      }
      return value === null || RISK_LEVELS.includes(value as 'high') ? [] : [`${at}: must be one of ${RISK_LEVELS.join(', ')} or null`];
    case 'list':
      // 'includes' is the only valued operator that fits a list.
      if (typeof value !== 'string') return [`${at}: must be a symptom code`];
      return symptomCodes.some((s) => s.code === value) ? [] : [`${at}: unknown symptom code "${value}"`];
  }
}
