import { Checkbox, Flex, Form, Input, InputNumber, Switch, Tag, Typography } from 'antd';
import type { Rule } from 'antd/es/form';
import { useTranslation } from 'react-i18next';
import { DEFAULT_FEVER_THRESHOLD_C, describeClause, describeValue, factKinds, factLabels, isFever, symptomCodes, type SymptomCode } from '../../../../domain/health/status-rules';
import type { ClauseOp, FactName } from '../../../../domain/health/types';
import { ApiError } from '../../../app/api-client';
import { useErrorMessage } from '../../../app/errors';
import { hasMessage } from '../../../app/i18n';
import type { healthCareZh } from '../../../i18n/health-care';
import type { HealthColour, RiskLevel, RuleView, StatusView, Transport } from './care-queries';
import './care.css';

/** The colours of the health code as antd tag colours (绿码 / 黄码 / 红码). */
export const colourTag = { green: 'green', yellow: 'gold', red: 'red' } satisfies Record<HealthColour, string>;
export const HEALTH_COLOURS = Object.keys(colourTag) as HealthColour[];
export const levelTag = { high: 'red', medium: 'orange', low: 'gold' } satisfies Record<RiskLevel, string>;
export const RISK_LEVELS = Object.keys(levelTag) as RiskLevel[];
// The server's list (travel.schemas.ts TRANSPORTS), spelled out so that the pages bundle no server code.
export const TRANSPORTS = Object.keys({ train: 1, plane: 1, bus: 1, car: 1, ship: 1, other: 1 } satisfies Record<Transport, 1>) as Transport[];
export { DEFAULT_FEVER_THRESHOLD_C };

/** The language of the domain's bilingual texts (labels, explanations). */
export function useLang(): 'zh' | 'en' {
  const { i18n } = useTranslation();
  return i18n.language === 'en-US' ? 'en' : 'zh';
}

export function ColourTag({ colour }: { colour: HealthColour }) {
  const { t } = useTranslation();
  return (
    <Tag color={colourTag[colour]} data-colour={colour}>
      {t(`healthCare.colours.${colour}`)}
    </Tag>
  );
}

export function LevelTag({ level }: { level: RiskLevel }) {
  const { t } = useTranslation();
  return <Tag color={levelTag[level]}>{t(`healthCare.levels.${level}`)}</Tag>;
}

/** A temperature as the thermometer shows it: one decimal. */
export function formatTemperature(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : `${value.toFixed(1)} °C`;
}

/** A temperature, red and bold from the fever threshold on (compared in tenths, like the server). */
export function Temperature({ value, threshold = DEFAULT_FEVER_THRESHOLD_C }: { value: number | null | undefined; threshold?: number }) {
  if (value === null || value === undefined) return <Typography.Text type="secondary">—</Typography.Text>;
  const fever = isFever(value, threshold);
  return (
    <Typography.Text type={fever ? 'danger' : undefined} strong={fever} data-fever={fever || undefined}>
      {formatTemperature(value)}
    </Typography.Text>
  );
}

/** Form rules of a body temperature: 30–45 °C with at most one decimal (the server refuses more; nothing is rounded silently). */
export function useTemperatureRules(): Rule[] {
  const { t } = useTranslation();
  return [
    { required: true, message: t('healthCare.form.temperatureRequired') },
    {
      validator: (_r, v: number | null | undefined) =>
        v === null || v === undefined || (v >= 30 && v <= 45 && Math.abs(v * 10 - Math.round(v * 10)) < 1e-9) ? Promise.resolve() : Promise.reject(new Error(t('healthCare.form.temperatureFormat'))),
    },
  ];
}

function isCareErrorCode(code: string): code is keyof typeof healthCareZh.errors {
  return hasMessage(`healthCare.errors.${code}`);
}

/** A sentence about an error: the health pages' own words for their codes, else the app's. */
export function useCareError(): (error: unknown) => string {
  const { t } = useTranslation();
  const describe = useErrorMessage();
  return (error) => (error instanceof ApiError && isCareErrorCode(error.code) ? t(`healthCare.errors.${error.code}`) : describe(error));
}

/** The problems a 422 answer lists in its details (strings, or objects with a message). */
export function detailProblems(error: unknown): string[] {
  if (!(error instanceof ApiError) || !Array.isArray(error.details)) return [];
  return (error.details as unknown[]).flatMap((d) => (typeof d === 'string' ? [d] : typeof d === 'object' && d !== null && typeof (d as { message?: unknown }).message === 'string' ? [(d as { message: string }).message] : []));
}

/** The values of the daily declaration form (shared by my card and the grid worker's on-behalf modal). */
export interface DeclarationFormValues {
  person: string;
  temperatureC: number | null;
  symptoms: SymptomCode[];
  location?: string;
  riskAreaContact: boolean;
  caseContact: boolean;
}

/** The fields of the daily declaration: temperature, symptoms, where one is, contacts. */
export function DeclarationFields({ idPrefix }: { idPrefix: string }) {
  const { t } = useTranslation();
  const lang = useLang();
  const temperatureRules = useTemperatureRules();
  return (
    <>
      <Form.Item name="temperatureC" label={t('healthCare.form.temperature')} rules={temperatureRules} extra={t('healthCare.form.temperatureHint')}>
        <InputNumber<number>
          min={30}
          max={45}
          step={0.1}
          precision={1}
          inputMode="decimal"
          suffix="°C"
          placeholder="36.5"
          style={{ width: '100%', maxWidth: 220 }}
        />
      </Form.Item>
      <Form.Item name="symptoms" label={t('healthCare.form.symptoms')} extra={t('healthCare.form.symptomsHint')}>
        <Checkbox.Group className="care-symptoms" options={symptomCodes.map((s) => ({ value: s.code, label: s[lang] }))} />
      </Form.Item>
      <Form.Item name="location" label={t('healthCare.form.location')} extra={t('healthCare.form.locationHint')}>
        <Input maxLength={200} placeholder={t('healthCare.form.locationPlaceholder')} />
      </Form.Item>
      <Flex vertical gap={4} style={{ marginBottom: 16 }}>
        <Flex gap={8} align="center">
          <Form.Item name="riskAreaContact" valuePropName="checked" noStyle>
            <Switch id={`${idPrefix}-risk`} size="small" />
          </Form.Item>
          <label htmlFor={`${idPrefix}-risk`}>{t('healthCare.form.riskAreaContact')}</label>
        </Flex>
        <Flex gap={8} align="center">
          <Form.Item name="caseContact" valuePropName="checked" noStyle>
            <Switch id={`${idPrefix}-case`} size="small" />
          </Form.Item>
          <label htmlFor={`${idPrefix}-case`}>{t('healthCare.form.caseContact')}</label>
        </Flex>
      </Flex>
    </>
  );
}

/** The request body of a declaration form's values. */
export function declarationBody(v: DeclarationFormValues, date: string) {
  const location = v.location?.trim();
  return {
    person: v.person,
    date,
    // The form requires it before it submits.
    temperatureC: v.temperatureC ?? Number.NaN,
    symptoms: v.symptoms,
    ...(location ? { location } : {}),
    riskAreaContact: v.riskAreaContact,
    caseContact: v.caseContact,
  };
}

export const emptyDeclaration = { temperatureC: null, symptoms: [], riskAreaContact: false, caseContact: false } as const;

type Matched = StatusView['matched'][number];

/** Every rule that matched, most severe first, each with its clauses and the actual values seen. */
export function MatchedRules({ matched, rules }: { matched: readonly Matched[]; rules?: readonly Pick<RuleView, 'code' | 'nameZh' | 'nameEn'>[] }) {
  const { t } = useTranslation();
  const lang = useLang();
  if (matched.length === 0) return <Typography.Text type="secondary">{t('healthCare.status.noneMatched')}</Typography.Text>;
  return (
    <Flex vertical gap={6} data-testid="matched-rules">
      {matched.map((m, i) => {
        const rule = rules?.find((r) => r.code === m.rule);
        return (
          <Flex key={m.rule} vertical gap={2} className="care-matched">
            <Flex gap={6} align="center" wrap>
              <ColourTag colour={m.status} />
              <Typography.Text strong>{rule ? (lang === 'zh' ? rule.nameZh : rule.nameEn) : m.rule}</Typography.Text>
              <Typography.Text type="secondary" code>
                {m.rule}
              </Typography.Text>
              {i === 0 ? <Tag color="blue">{t('healthCare.status.deciding')}</Tag> : null}
            </Flex>
            <ul className="care-clauses">
              {m.clauses.map((c, j) => (
                <li key={j}>{describeClause({ fact: c.fact as FactName, op: c.op as ClauseOp, value: c.value, actual: c.actual }, lang)}</li>
              ))}
            </ul>
          </Flex>
        );
      })}
    </Flex>
  );
}

/** A clause of a rule in words, without actual values: "体温 ≥ 37.3", "症状 非空". */
export function clauseWords(c: { fact: string; op: string; value?: unknown }, lang: 'zh' | 'en'): string {
  const fact = c.fact as FactName;
  const label = factLabels[fact]?.[lang] ?? c.fact;
  const op = opWords[c.op as ClauseOp]?.[lang] ?? c.op;
  if (c.op === 'nonEmpty' || c.op === 'empty') return `${label} ${op}`;
  return `${label} ${op} ${fact in factKinds ? describeValue(fact, c.value ?? null, lang) : String(c.value)}`;
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
export const opLabel = (op: ClauseOp, lang: 'zh' | 'en') => opWords[op][lang];

/** A rule's condition in words: all clauses joined by "and", the any-clauses as "one of (…)". */
export function conditionWords(when: { all?: { fact: string; op: string; value?: unknown }[]; any?: { fact: string; op: string; value?: unknown }[] }, lang: 'zh' | 'en'): string {
  const and = lang === 'zh' ? ' 且 ' : ' and ';
  const or = lang === 'zh' ? ' 或 ' : ' or ';
  const parts = (when.all ?? []).map((c) => clauseWords(c, lang));
  const any = (when.any ?? []).map((c) => clauseWords(c, lang));
  if (any.length === 1) parts.push(any[0]!);
  else if (any.length > 1) parts.push(`(${any.join(or)})`);
  return parts.join(and) || '—';
}

/** The big colour of a status with its explanation (the phone card, the declaration result). */
export function StatusPanel({ colour, explanation, caption }: { colour: HealthColour; explanation?: string | null; caption?: string }) {
  const { t } = useTranslation();
  return (
    <div className={`care-status care-status-${colour}`} data-testid="health-status" data-colour={colour} role="status">
      <div className="care-status-colour">{t(`healthCare.colours.${colour}`)}</div>
      {caption ? <div className="care-status-caption">{caption}</div> : null}
      {explanation ? <div className="care-status-explanation">{explanation}</div> : null}
    </div>
  );
}

/** A person as the server sends them: the masked name with the code beside it. */
export function PersonName({ person }: { person: { code: string; name: string } }) {
  return (
    <span>
      <Typography.Text strong>{person.name}</Typography.Text> <Typography.Text type="secondary">{person.code}</Typography.Text>
    </span>
  );
}
