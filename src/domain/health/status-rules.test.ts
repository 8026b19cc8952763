import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CLAUSE_OPS,
  clauseHolds,
  compareSeverity,
  DEFAULT_GREEN,
  defaultStatusRules,
  emptyFacts,
  evaluateStatus,
  FACT_NAMES,
  factKinds,
  factLabels,
  factsFrom,
  isFever,
  opsByKind,
  symptomCodes,
  validateRule,
} from './status-rules';
import type { HealthColour, HealthFacts, StatusRule } from './types';

const rule = (over: Partial<StatusRule> = {}): StatusRule => ({
  code: 'R',
  nameZh: '规则',
  nameEn: 'Rule',
  status: 'red',
  priority: 100,
  when: { all: [{ fact: 'closeContact', op: '=', value: true }] },
  enabled: true,
  ...over,
});
const status = (known: Partial<HealthFacts>, thresholdC?: number) => evaluateStatus(defaultStatusRules, factsFrom(known, thresholdC));

describe('the fever threshold', () => {
  it('exactly 37.3 °C is a fever and gives yellow by YELLOW_FEVER; 37.2 is green', () => {
    const at = evaluateStatus(defaultStatusRules, factsFrom({ temperatureC: 37.3 }, 37.3));
    expect(at.status).toBe('yellow');
    expect(at.rule).toBe('YELLOW_FEVER');
    expect(at.explanation).toEqual({ zh: '黄码：规则「发热」— 发热 = 是', en: 'Yellow: rule “Fever” — fever = yes' });
    const below = evaluateStatus(defaultStatusRules, factsFrom({ temperatureC: 37.2 }, 37.3));
    expect(below).toEqual({ status: 'green', rule: DEFAULT_GREEN, matched: [], explanation: { zh: '绿码：未命中任何规则', en: 'Green: no rule matched' } });
  });
  it('compares tenths exactly, whatever the binary representation', () => {
    expect(isFever(37.3, 37.3)).toBe(true);
    expect(isFever(36.1 + 1.2, 37.3)).toBe(true); // 37.300000000000004
    expect(isFever(37.2, 37.3)).toBe(false);
    expect(isFever(39.5, 37.3)).toBe(true);
    expect(isFever(null, 37.3)).toBe(false);
    expect(isFever(37.4, 37.5)).toBe(false);
    expect(isFever(37.5, 37.5)).toBe(true);
  });
  it("the incident's own threshold decides (37.3 is no fever at 37.5)", () => {
    expect(status({ temperatureC: 37.3 }, 37.5).status).toBe('green');
    expect(status({ temperatureC: 37.3 }).rule).toBe('YELLOW_FEVER');
  });
  it('property: at or above the threshold (in tenths) is a fever, below is not', () => {
    fc.assert(
      // Readings near the threshold, so that "exactly at it" comes up often.
      fc.property(fc.integer({ min: -5, max: 5 }), fc.integer({ min: 360, max: 390 }), (d, th) => {
        const t = th + d;
        expect(isFever(t / 10, th / 10)).toBe(t >= th);
        expect(factsFrom({ temperatureC: t / 10 }, th / 10).fever).toBe(t >= th);
      }),
    );
  });
});

describe('facts', () => {
  it('empty facts know nothing', () => {
    expect(emptyFacts()).toEqual({
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
    });
    expect(evaluateStatus(defaultStatusRules, emptyFacts()).rule).toBe(DEFAULT_GREEN);
  });
  it('factsFrom keeps what is given and derives fever unless it is given', () => {
    expect(factsFrom({ symptoms: ['cough'], declaredToday: true })).toEqual({ ...emptyFacts(), symptoms: ['cough'], declaredToday: true });
    expect(factsFrom({ temperatureC: 38 }).fever).toBe(true);
    expect(factsFrom({ fever: true }).fever).toBe(true);
  });
  it('labels every fact and every symptom code in both languages', () => {
    for (const f of FACT_NAMES) {
      expect(factLabels[f].zh).not.toBe('');
      expect(factLabels[f].en).not.toBe('');
      expect(opsByKind[factKinds[f]].length).toBeGreaterThan(0);
    }
    expect(symptomCodes.map((s) => s.code)).toEqual(['fever', 'cough', 'fatigue', 'sore-throat', 'shortness-of-breath', 'diarrhoea', 'loss-of-taste-smell', 'other']);
    expect(symptomCodes.map((s) => s.zh)).toEqual(['发热', '咳嗽', '乏力', '咽痛', '呼吸困难', '腹泻', '嗅味觉减退', '其他']);
  });
});

describe('the default rules', () => {
  it('are valid, enabled and have distinct codes and priorities', () => {
    for (const r of defaultStatusRules) expect(validateRule(r), r.code).toEqual([]);
    expect(defaultStatusRules.map((r) => r.code)).toEqual(['RED_CONFIRMED', 'RED_SUSPECTED', 'RED_CLOSE_CONTACT', 'RED_QUARANTINE', 'RED_HIGH_RISK_TRAVEL', 'YELLOW_FEVER', 'YELLOW_SYMPTOMS', 'YELLOW_RISK_TRAVEL']);
    expect(new Set(defaultStatusRules.map((r) => r.priority)).size).toBe(defaultStatusRules.length);
  });
  it('a close contact is red, explained in both languages', () => {
    const r = status({ closeContact: true });
    expect(r.status).toBe('red');
    expect(r.rule).toBe('RED_CLOSE_CONTACT');
    expect(r.explanation).toEqual({ zh: '红码：规则「密切接触者」— 密切接触者 = 是', en: 'Red: rule “Close contact” — close contact = yes' });
    expect(r.matched).toEqual([{ rule: 'RED_CLOSE_CONTACT', status: 'red', clauses: [{ fact: 'closeContact', op: '=', value: true, actual: true }] }]);
  });
  it('each red fact alone gives its own rule', () => {
    expect(status({ confirmedCase: true }).rule).toBe('RED_CONFIRMED');
    expect(status({ suspectedCase: true }).rule).toBe('RED_SUSPECTED');
    expect(status({ inQuarantine: true }).rule).toBe('RED_QUARANTINE');
  });
  it('high-risk travel within 14 days is red; day 15 or a medium area is yellow only within 14 days', () => {
    const high = status({ riskTravelLevel: 'high', riskTravelDaysAgo: 14 });
    expect(high.rule).toBe('RED_HIGH_RISK_TRAVEL');
    expect(high.matched.map((m) => m.rule)).toEqual(['RED_HIGH_RISK_TRAVEL', 'YELLOW_RISK_TRAVEL']);
    expect(high.explanation.zh).toBe('红码：规则「14天内高风险地区旅居史」— 旅居风险地区等级 = 高风险，距离风险地区旅居天数 ≤ 14（实际 14）');
    expect(high.explanation.en).toBe('Red: rule “High-risk area within 14 days” — risk-area level = high; days since risk-area travel ≤ 14 (actual 14)');
    expect(status({ riskTravelLevel: 'high', riskTravelDaysAgo: 15 }).rule).toBe(DEFAULT_GREEN);
    expect(status({ riskTravelLevel: 'medium', riskTravelDaysAgo: 3 }).rule).toBe('YELLOW_RISK_TRAVEL');
    expect(status({ riskTravelLevel: 'medium', riskTravelDaysAgo: 0 }).status).toBe('yellow');
  });
  it('symptoms are yellow and the explanation lists them', () => {
    const r = status({ symptoms: ['cough', 'fatigue'] });
    expect(r.rule).toBe('YELLOW_SYMPTOMS');
    expect(r.explanation.zh).toBe('黄码：规则「有症状」— 症状 非空（实际 咳嗽、乏力）');
    expect(r.explanation.en).toBe('Yellow: rule “Symptoms” — symptoms not empty (actual cough, fatigue)');
  });
  it('the most severe colour wins, then the lower priority; matched lists every rule, most severe first', () => {
    const r = status({ temperatureC: 38.5, symptoms: ['cough'], closeContact: true, confirmedCase: true });
    expect(r.status).toBe('red');
    expect(r.rule).toBe('RED_CONFIRMED');
    expect(r.matched.map((m) => m.rule)).toEqual(['RED_CONFIRMED', 'RED_CLOSE_CONTACT', 'YELLOW_FEVER', 'YELLOW_SYMPTOMS']);
    expect(status({ temperatureC: 38.5, symptoms: ['cough'] }).rule).toBe('YELLOW_FEVER');
  });
});

describe('evaluateStatus', () => {
  const facts = factsFrom({ temperatureC: 37.6, symptoms: ['cough'], riskTravelLevel: 'medium', riskTravelDaysAgo: 5 });
  it('skips disabled rules', () => {
    expect(evaluateStatus(defaultStatusRules.map((r) => ({ ...r, enabled: r.code !== 'YELLOW_FEVER' })), facts).rule).toBe('YELLOW_SYMPTOMS');
  });
  it('ties on colour and priority go to the code', () => {
    const rules = [rule({ code: 'B', status: 'yellow', priority: 1, when: { all: [{ fact: 'fever', op: '=', value: true }] } }), rule({ code: 'A', status: 'yellow', priority: 1, when: { all: [{ fact: 'fever', op: '=', value: true }] } })];
    const r = evaluateStatus(rules, facts);
    expect(r.rule).toBe('A');
    expect(r.matched.map((m) => m.rule)).toEqual(['A', 'B']);
  });
  it('a matching green rule decides over DEFAULT_GREEN but never over yellow', () => {
    const declared = rule({ code: 'GREEN_DECLARED', nameZh: '已申报', nameEn: 'Declared', status: 'green', priority: 1, when: { all: [{ fact: 'declaredToday', op: '=', value: true }] } });
    expect(evaluateStatus([declared], factsFrom({ declaredToday: true }))).toMatchObject({ status: 'green', rule: 'GREEN_DECLARED', explanation: { zh: '绿码：规则「已申报」— 今日已申报 = 是' } });
    expect(evaluateStatus([declared, ...defaultStatusRules], factsFrom({ declaredToday: true, fever: true })).rule).toBe('YELLOW_FEVER');
  });
  it('all needs every clause, any at least one, both given both; only the clauses that held are shown', () => {
    const when = { all: [{ fact: 'temperatureC' as const, op: '>=' as const, value: 37.5 }], any: [{ fact: 'symptoms' as const, op: 'includes' as const, value: 'cough' }, { fact: 'closeContact' as const, op: '=' as const, value: true }] };
    const r = evaluateStatus([rule({ code: 'MIX', nameZh: '发热伴咳嗽', nameEn: 'Fever with cough', when })], facts);
    expect(r.rule).toBe('MIX');
    expect(r.matched[0]!.clauses).toEqual([
      { fact: 'temperatureC', op: '>=', value: 37.5, actual: 37.6 },
      { fact: 'symptoms', op: 'includes', value: 'cough', actual: ['cough'] },
    ]);
    expect(r.explanation.zh).toBe('红码：规则「发热伴咳嗽」— 体温 ≥ 37.5（实际 37.6），症状 包含 咳嗽（实际 咳嗽）');
    expect(r.explanation.en).toBe('Red: rule “Fever with cough” — temperature (°C) ≥ 37.5 (actual 37.6); symptoms includes cough (actual cough)');
    expect(evaluateStatus([rule({ when })], { ...facts, symptoms: [] }).rule).toBe(DEFAULT_GREEN);
    expect(evaluateStatus([rule({ when })], { ...facts, temperatureC: 37.4 }).rule).toBe(DEFAULT_GREEN);
    expect(evaluateStatus([rule({ when: { any: when.any } })], { ...facts, symptoms: [], closeContact: true }).rule).toBe('R');
  });
  it('an empty condition never matches', () => {
    expect(evaluateStatus([rule({ when: {} })], facts).rule).toBe(DEFAULT_GREEN);
    expect(evaluateStatus([rule({ when: { all: [], any: [] } })], facts).rule).toBe(DEFAULT_GREEN);
  });
});

describe('clause operators', () => {
  it('numeric comparisons are false without a number', () => {
    for (const op of ['>=', '>', '<=', '<'] as const) expect(clauseHolds(op, null, 14)).toBe(false);
    expect(clauseHolds('<=', 14, 14)).toBe(true);
    expect(clauseHolds('<', 14, 14)).toBe(false);
    expect(clauseHolds('>', 37.4, 37.3)).toBe(true);
    expect(clauseHolds('>=', 36.1 + 1.2, 37.3)).toBe(true);
    expect(clauseHolds('>', 36.1 + 1.2, 37.3)).toBe(false);
  });
  it('= and != work for booleans, strings, numbers and null', () => {
    expect(clauseHolds('=', true, true)).toBe(true);
    expect(clauseHolds('=', false, true)).toBe(false);
    expect(clauseHolds('=', 'high', 'high')).toBe(true);
    expect(clauseHolds('=', null, null)).toBe(true);
    expect(clauseHolds('=', 36.1 + 1.2, 37.3)).toBe(true);
    expect(clauseHolds('!=', null, 'high')).toBe(true);
    expect(clauseHolds('!=', 'low', 'low')).toBe(false);
  });
  it('in, nonEmpty, empty, includes', () => {
    expect(clauseHolds('in', 'high', ['high', 'medium'])).toBe(true);
    expect(clauseHolds('in', 'low', ['high', 'medium'])).toBe(false);
    expect(clauseHolds('in', null, ['high'])).toBe(false);
    expect(clauseHolds('nonEmpty', ['cough'], undefined)).toBe(true);
    expect(clauseHolds('nonEmpty', [], undefined)).toBe(false);
    expect(clauseHolds('empty', [], undefined)).toBe(true);
    expect(clauseHolds('empty', ['other'], undefined)).toBe(false);
    expect(clauseHolds('includes', ['cough', 'fatigue'], 'fatigue')).toBe(true);
    expect(clauseHolds('includes', ['cough'], 'fatigue')).toBe(false);
    expect(clauseHolds('includes', null, 'fatigue')).toBe(false);
  });
});

describe('validateRule', () => {
  it('accepts a well-formed rule', () => expect(validateRule(rule())).toEqual([]));
  it('names every problem with its path', () => {
    expect(validateRule(null)).toEqual(['rule: not an object']);
    expect(validateRule({ ...rule(), when: {} })).toEqual(['when: empty condition (it would never match)']);
    expect(validateRule({ ...rule(), when: { all: [] } })).toEqual(['when: empty condition (it would never match)']);
    expect(validateRule({ ...rule(), when: { all: [{ fact: 'mood', op: '=', value: true }] } })).toEqual(['when.all[0].fact: unknown fact "mood"']);
    expect(validateRule({ ...rule(), when: { any: [{ fact: 'fever', op: 'like', value: true }] } })).toEqual(['when.any[0].op: unknown operator "like"']);
    expect(validateRule({ ...rule(), when: { all: [{ fact: 'fever', op: '>=', value: 1 }] } })).toEqual(['when.all[0].op: ">=" does not fit fever (use =, !=)']);
    expect(validateRule({ ...rule(), when: { all: [{ fact: 'symptoms', op: '=', value: 'cough' }] } })).toEqual(['when.all[0].op: "=" does not fit symptoms (use nonEmpty, empty, includes)']);
    expect(validateRule({ ...rule(), when: { all: [{ fact: 'temperatureC', op: '>=' }] } })).toEqual(['when.all[0].value: missing value']);
    expect(validateRule({ ...rule(), when: { all: [{ fact: 'temperatureC', op: '>=', value: '37.3' }] } })).toEqual(['when.all[0].value: must be a number']);
    expect(validateRule({ ...rule(), when: { all: [{ fact: 'temperatureC', op: '=', value: null }] } })).toEqual([]);
    expect(validateRule({ ...rule(), when: { all: [{ fact: 'closeContact', op: '=', value: 'yes' }] } })).toEqual(['when.all[0].value: must be true or false']);
    expect(validateRule({ ...rule(), when: { all: [{ fact: 'riskTravelLevel', op: 'in', value: ['high', 'extreme'] }] } })).toEqual(['when.all[0].value: must list only high, medium, low']);
    expect(validateRule({ ...rule(), when: { all: [{ fact: 'riskTravelLevel', op: 'in', value: [] }] } })).toEqual(['when.all[0].value: must be a non-empty list of high, medium, low']);
    expect(validateRule({ ...rule(), when: { all: [{ fact: 'riskTravelLevel', op: '=', value: 'severe' }] } })).toEqual(['when.all[0].value: must be one of high, medium, low or null']);
    expect(validateRule({ ...rule(), when: { all: [{ fact: 'symptoms', op: 'includes', value: 'sneeze' }] } })).toEqual(['when.all[0].value: unknown symptom code "sneeze"']);
    expect(validateRule({ ...rule(), when: { all: [{ fact: 'symptoms', op: 'nonEmpty', value: 'x' }] } })).toEqual(['when.all[0].value: "nonEmpty" takes no value']);
    expect(validateRule({ ...rule(), when: { all: 'fever' } })).toEqual(['when: empty condition (it would never match)', 'when.all: must be a list of clauses']);
  });
  it('checks the rule fields', () => {
    expect(validateRule({ code: '', nameZh: ' ', nameEn: 'x', status: 'blue', priority: 1.5, enabled: 'yes', when: { all: [{ fact: 'fever', op: '=', value: true }] }, extra: 1 })).toEqual([
      'extra: unknown field',
      'code: missing',
      'nameZh: missing',
      'status: must be one of green, yellow, red',
      'priority: must be a whole number',
      'enabled: must be true or false',
    ]);
    expect(validateRule({ ...rule(), code: DEFAULT_GREEN })).toEqual(['code: DEFAULT_GREEN is reserved for "no rule matched"']);
    expect(validateRule({ ...rule(), when: undefined })).toEqual(['when: missing condition']);
  });
});

// Arbitraries for the properties: any facts, and rules whose clauses are valid for their facts.
const colourArb = fc.constantFrom<HealthColour>('green', 'yellow', 'red');
const levelArb = fc.constantFrom<'high' | 'medium' | 'low' | null>('high', 'medium', 'low', null);
const factsArb: fc.Arbitrary<HealthFacts> = fc.record({
  temperatureC: fc.option(fc.integer({ min: 350, max: 415 }).map((t) => t / 10), { nil: null }),
  fever: fc.boolean(),
  symptoms: fc.subarray(symptomCodes.map((s) => s.code)),
  riskTravelDaysAgo: fc.option(fc.integer({ min: 0, max: 21 }), { nil: null }),
  riskTravelLevel: levelArb,
  closeContact: fc.boolean(),
  inQuarantine: fc.boolean(),
  suspectedCase: fc.boolean(),
  confirmedCase: fc.boolean(),
  declaredToday: fc.boolean(),
});
const clauseArb = fc.oneof(
  fc.record({ fact: fc.constantFrom('temperatureC' as const), op: fc.constantFrom('=' as const, '>=' as const, '>' as const, '<=' as const, '<' as const), value: fc.integer({ min: 360, max: 400 }).map((t) => t / 10) }),
  fc.record({ fact: fc.constantFrom('riskTravelDaysAgo' as const), op: fc.constantFrom('<=' as const, '<' as const, '!=' as const), value: fc.integer({ min: 0, max: 21 }) }),
  fc.record({ fact: fc.constantFrom('fever' as const, 'closeContact' as const, 'inQuarantine' as const, 'suspectedCase' as const, 'confirmedCase' as const, 'declaredToday' as const), op: fc.constantFrom('=' as const, '!=' as const), value: fc.boolean() }),
  fc.record({ fact: fc.constantFrom('symptoms' as const), op: fc.constantFrom('nonEmpty' as const, 'empty' as const) }),
  fc.record({ fact: fc.constantFrom('symptoms' as const), op: fc.constantFrom('includes' as const), value: fc.constantFrom(...symptomCodes.map((s) => s.code)) }),
  fc.record({ fact: fc.constantFrom('riskTravelLevel' as const), op: fc.constantFrom('in' as const), value: fc.subarray(['high', 'medium', 'low'], { minLength: 1 }) }),
);
const ruleArb = (i: number): fc.Arbitrary<StatusRule> =>
  fc.record({
    code: fc.constant(`R${i}`),
    nameZh: fc.constant(`规则${i}`),
    nameEn: fc.constant(`Rule ${i}`),
    status: colourArb,
    priority: fc.integer({ min: 0, max: 5 }),
    when: fc.record({ all: fc.array(clauseArb, { maxLength: 3 }), any: fc.array(clauseArb, { maxLength: 3 }) }, { requiredKeys: [] }),
    enabled: fc.boolean(),
  });
const rulesArb = fc.integer({ min: 0, max: 8 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => ruleArb(i))));

describe('properties', () => {
  it('generated rules are valid unless their condition is empty', () => {
    fc.assert(
      fc.property(ruleArb(0), (r) => {
        const empty = (r.when.all ?? []).length + (r.when.any ?? []).length === 0;
        expect(validateRule(r)).toEqual(empty ? ['when: empty condition (it would never match)'] : []);
      }),
    );
  });
  it('adding a matching red rule never makes the status less severe, and makes it red', () => {
    fc.assert(
      fc.property(rulesArb, factsArb, (rules, facts) => {
        const before = evaluateStatus(rules, facts);
        const red = rule({ code: 'ZZ_RED', priority: 999, when: { all: [{ fact: 'declaredToday', op: '=', value: facts.declaredToday }] } });
        const after = evaluateStatus([...rules, red], facts);
        expect(compareSeverity(after.status, before.status)).toBeLessThanOrEqual(0);
        expect(after.status).toBe('red');
        expect(after.matched.map((m) => m.rule)).toContain('ZZ_RED');
      }),
    );
  });
  it('the result is one of the matched rules, the most severe, or DEFAULT_GREEN when none matched', () => {
    fc.assert(
      fc.property(rulesArb, factsArb, (rules, facts) => {
        const r = evaluateStatus(rules, facts);
        if (r.matched.length === 0) {
          expect(r).toMatchObject({ status: 'green', rule: DEFAULT_GREEN });
          return;
        }
        expect(r.rule).toBe(r.matched[0]!.rule);
        expect(r.status).toBe(r.matched[0]!.status);
        for (const m of r.matched) {
          expect(compareSeverity(r.status, m.status)).toBeLessThanOrEqual(0);
          const source = rules.find((x) => x.code === m.rule)!;
          expect(source.enabled).toBe(true);
          expect(m.status).toBe(source.status);
          // Every clause shown held, with the fact's actual value.
          for (const c of m.clauses) {
            expect(c.actual).toEqual(facts[c.fact]);
            expect(clauseHolds(c.op, c.actual, c.value)).toBe(true);
          }
        }
        for (let i = 1; i < r.matched.length; i++) expect(compareSeverity(r.matched[i - 1]!.status, r.matched[i]!.status)).toBeLessThanOrEqual(0);
      }),
    );
  });
  it('the explanation names the deciding rule and its colour in both languages', () => {
    fc.assert(
      fc.property(rulesArb, factsArb, (rules, facts) => {
        const r = evaluateStatus(rules, facts);
        const decider = rules.find((x) => x.code === r.rule);
        const colour = { red: ['红码', 'Red'], yellow: ['黄码', 'Yellow'], green: ['绿码', 'Green'] }[r.status];
        expect(r.explanation.zh.startsWith(`${colour[0]}：`)).toBe(true);
        expect(r.explanation.en.startsWith(`${colour[1]}: `)).toBe(true);
        if (decider) {
          expect(r.explanation.zh).toContain(`「${decider.nameZh}」`);
          expect(r.explanation.en).toContain(`“${decider.nameEn}”`);
        } else expect(r.rule).toBe(DEFAULT_GREEN);
      }),
    );
  });
  it('the order of the rules does not change the result', () => {
    fc.assert(
      fc.property(rulesArb, factsArb, (rules, facts) => {
        expect(evaluateStatus([...rules].reverse(), facts)).toEqual(evaluateStatus(rules, facts));
      }),
    );
  });
  it('every operator is offered for some kind of fact', () => {
    expect(new Set(Object.values(opsByKind).flat())).toEqual(new Set(CLAUSE_OPS));
  });
});
