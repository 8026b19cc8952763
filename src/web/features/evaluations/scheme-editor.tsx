import { DeleteOutlined, PlusOutlined, ReloadOutlined, SaveOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Checkbox, Col, Empty, Flex, Form, Input, InputNumber, List, Radio, Row, Select, Space, Table, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../app/api-client';
import { useErrorMessage } from '../../app/errors';
import { usePermission } from '../../app/session';
import { LoadError, PageSpin } from '../../app/status-pages';
import { formatNumber } from '../benchmarking/format';
import { useIndicators } from '../indicators/queries';
import { useUnits } from '../units/queries';
import { unitName } from '../units/unit-tree';
import { useCreateScheme, useEvaluationSchemes, usePutScheme, useScorePreview, type CreateSchemeBody, type Grade, type PreviewInput, type Scheme, type SchemeIssue } from './queries';

type Method = Scheme['items'][number]['method'];
type RefKind = 'fixed' | 'benchmark' | 'peer-best' | 'peer-worst';
type Num = number | null;
type Params = Record<string, unknown>;

const methods: Method[] = ['efficacy', 'five-tier', 'add-deduct', 'pass-fail'];
const refKinds: RefKind[] = ['fixed', 'benchmark', 'peer-best', 'peer-worst'];
const grades: Grade[] = ['A', 'B', 'C', 'D', 'E'];
const tierNames = ['excellent', 'good', 'average', 'low', 'poor'] as const;

interface ItemDraft {
  key: string;
  indicator: string | undefined;
  method: Method;
  measure: 'value' | 'completionRate';
  weight: Num;
  validFrom: string;
  validTo: string | null;
  params: Params;
}

interface Draft {
  code: string;
  nameZh: string;
  nameEn: string;
  aggregation: Scheme['aggregation'];
  itemDecimals: Num;
  totalDecimals: Num;
  units: string[];
  items: ItemDraft[];
  gradingMethod: 'percentile' | 'bands';
  cuts: Num[];
  payMode: 'points' | 'grades';
  points: [Num, Num][];
  grades: Record<Grade, Num>;
  cadreOn: boolean;
  cadre: { multiplier: Num; min: Num; max: Num };
}

let keySeed = 0;
const newKey = () => `item-${++keySeed}`;

function defaultParams(method: Method): Params {
  switch (method) {
    case 'efficacy':
      return { satisfactory: { kind: 'peer-best' }, impermissible: { kind: 'peer-worst' } };
    case 'five-tier':
      return { tiers: [null, null, null, null, null] };
    case 'add-deduct':
      return { base: 100, basePoints: 10, perUnit: 1 };
    case 'pass-fail':
      return { threshold: null };
  }
}

const emptyDraft = (): Draft => ({
  code: '',
  nameZh: '',
  nameEn: '',
  aggregation: 'arithmetic',
  itemDecimals: 2,
  totalDecimals: 1,
  units: [],
  items: [{ key: newKey(), indicator: undefined, method: 'efficacy', measure: 'value', weight: 100, validFrom: `${new Date().getFullYear()}-01-01`, validTo: null, params: defaultParams('efficacy') }],
  gradingMethod: 'percentile',
  cuts: [0.2, 0.4, 0.6, 0.8],
  payMode: 'points',
  points: [
    [60, 0.8],
    [100, 1.2],
  ],
  grades: { A: 1.2, B: 1.1, C: 1, D: 0.9, E: 0.8 },
  cadreOn: false,
  cadre: { multiplier: 1, min: 0.8, max: 1.2 },
});

function fromScheme(s: Scheme): Draft {
  const grading = s.grading as { method?: string; cuts?: number[] };
  const pay = s.pay as { points?: [number, number][]; grades?: Record<Grade, number>; cadre?: { multiplier: number; min: number; max: number } };
  const bands = grading.method === 'bands';
  return {
    code: s.code,
    nameZh: s.nameZh,
    nameEn: s.nameEn,
    aggregation: s.aggregation,
    itemDecimals: s.itemDecimals,
    totalDecimals: s.totalDecimals,
    units: [...s.units],
    items: s.items.map((i) => ({ key: newKey(), indicator: i.indicator, method: i.method, measure: i.measure, weight: i.weight, validFrom: i.validFrom, validTo: i.validTo, params: structuredClone(i.params) })),
    gradingMethod: bands ? 'bands' : 'percentile',
    cuts: grading.cuts ? [...grading.cuts] : bands ? [0.6, 0.2, -0.2, -0.6] : [0.2, 0.4, 0.6, 0.8],
    payMode: pay.grades ? 'grades' : 'points',
    points: pay.points ? pay.points.map(([a, b]) => [a, b] as [Num, Num]) : [[60, 0.8], [100, 1.2]],
    grades: pay.grades ? { ...pay.grades } : { A: 1.2, B: 1.1, C: 1, D: 0.9, E: 0.8 },
    cadreOn: Boolean(pay.cadre),
    cadre: pay.cadre ? { ...pay.cadre } : { multiplier: 1, min: 0.8, max: 1.2 },
  };
}

/** Params as the server reads them: empty optional numbers left out. */
function cleanParams(params: Params): Params {
  return Object.fromEntries(Object.entries(params).filter(([k, v]) => !(v === null && ['cap', 'floor', 'perUnitWorse'].includes(k)) && v !== undefined));
}

function toBody(d: Draft): CreateSchemeBody {
  const grading = d.gradingMethod === 'bands' && d.cuts.every((c) => c === null) ? { method: 'bands' } : { method: d.gradingMethod, cuts: d.cuts };
  return {
    code: d.code.trim(),
    nameZh: d.nameZh,
    nameEn: d.nameEn,
    aggregation: d.aggregation,
    itemDecimals: d.itemDecimals ?? 2,
    totalDecimals: d.totalDecimals ?? 1,
    grading,
    pay: { ...(d.payMode === 'points' ? { points: d.points } : { grades: d.grades }), ...(d.cadreOn ? { cadre: d.cadre } : {}) },
    units: d.units,
    items: d.items.map((i) => ({ indicator: i.indicator ?? '', method: i.method, measure: i.measure, params: cleanParams(i.params), weight: i.weight ?? 0, validFrom: i.validFrom, validTo: i.validTo || null })),
  } as CreateSchemeBody;
}

/** Problems the form can see before asking the server (blank required fields). */
function localIssues(d: Draft, isNew: boolean): SchemeIssue[] {
  const out: SchemeIssue[] = [];
  if (isNew && !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(d.code.trim())) out.push({ path: 'code', code: 'PARAMS_INVALID', message: 'code' });
  if (!d.nameZh.trim()) out.push({ path: 'nameZh', code: 'PARAMS_INVALID', message: 'nameZh' });
  d.items.forEach((i, n) => {
    if (!i.indicator) out.push({ path: `items[${n}].indicator`, code: 'INDICATOR_NOT_FOUND', message: 'indicator' });
    if (i.weight === null) out.push({ path: `items[${n}].weight`, code: 'WEIGHT_NEGATIVE', message: 'weight' });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(i.validFrom)) out.push({ path: `items[${n}].validFrom`, code: 'VALIDITY_INVALID', message: 'validFrom' });
  });
  return out;
}

/** Issues at a path or under it. */
function issuesUnder(issues: readonly SchemeIssue[], path: string): SchemeIssue[] {
  return issues.filter((i) => i.path === path || i.path.startsWith(`${path}.`) || i.path.startsWith(`${path}[`));
}

/** The live score of one value by an item's rule (POST /api/scoring/preview; pass/fail here). */
function ItemPreview({ item, direction }: { item: ItemDraft; direction: string | undefined }) {
  const { t, i18n } = useTranslation();
  const describeError = useErrorMessage();
  const [value, setValue] = useState<Num>(null);
  const p = item.params as Record<string, unknown>;
  const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  let input: PreviewInput | null = null;
  let note: string | null = null;
  if (value !== null) {
    if (item.method === 'efficacy') {
      const [s, i] = [p.satisfactory as { kind: RefKind; value?: number }, p.impermissible as { kind: RefKind; value?: number }];
      if (s?.kind === 'fixed' && i?.kind === 'fixed' && num(s.value) && num(i.value)) input = { method: 'efficacy', value, satisfactory: s.value, impermissible: i.value };
      else note = t('evaluationExtras.scheme.previewNeedsFixed');
    } else if (item.method === 'five-tier') {
      const tiers = p.tiers as unknown[];
      if (Array.isArray(tiers) && tiers.every(num)) input = { method: 'five-tier', value, weight: 100, tiers: tiers as [number, number, number, number, number] };
    } else if (item.method === 'add-deduct') {
      if (num(p.base) && num(p.basePoints) && num(p.perUnit)) {
        const lower = (p.direction ?? (item.measure === 'completionRate' ? 'higher' : direction)) === 'lower';
        input = { method: 'add-deduct', value, base: p.base, basePoints: p.basePoints, perUnit: lower ? -p.perUnit : p.perUnit, cap: num(p.cap) ? p.cap : null, floor: num(p.floor) ? p.floor : null };
      }
    } else if (num(p.threshold)) {
      const lower = (p.direction ?? direction) === 'lower';
      note = (lower ? value <= p.threshold : value >= p.threshold) ? t('evaluationExtras.scheme.previewPass') : t('evaluationExtras.scheme.previewFail');
    }
  }
  const preview = useScorePreview(input);
  const locale = i18n.language;
  let result: ReactNode = note ? <Typography.Text type="secondary">{note}</Typography.Text> : null;
  if (input && preview.data) {
    const outOf100 = item.method === 'add-deduct' && num(p.basePoints) ? (preview.data.score * 100) / p.basePoints : preview.data.score;
    result = (
      <Tooltip title={preview.data.explanation.arithmetic}>
        <Typography.Text>{t('evaluationExtras.scheme.previewScore', { score: formatNumber(preview.data.score, locale, 2), outOf100: formatNumber(outOf100, locale, 2) })}</Typography.Text>
      </Tooltip>
    );
  } else if (input && preview.error) result = <Typography.Text type="danger">{describeError(preview.error)}</Typography.Text>;
  return (
    <Flex vertical gap={2}>
      <InputNumber size="small" value={value} onChange={(v) => setValue(typeof v === 'number' ? v : null)} placeholder={t('evaluationExtras.scheme.previewValue')} aria-label={t('evaluationExtras.scheme.previewValue')} style={{ width: 120 }} />
      {result}
    </Flex>
  );
}

/** A small labelled field that shows the server's (or the form's) problems at it. */
function Field({ label, issues, children }: { label?: string; issues: readonly SchemeIssue[]; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Form.Item
      label={label}
      style={{ marginBottom: 4 }}
      validateStatus={issues.length ? 'error' : undefined}
      help={issues.length ? issues.map((i) => t(`evaluationExtras.scheme.issues.${i.code}`, { defaultValue: i.message })).join('; ') : undefined}
    >
      {children}
    </Form.Item>
  );
}

/** The method-specific parameter inputs of one item. */
function ParamsEditor({ item, base, issues, onChange, disabled }: { item: ItemDraft; base: string; issues: readonly SchemeIssue[]; onChange: (params: Params) => void; disabled: boolean }) {
  const { t } = useTranslation();
  const p = item.params;
  const at = (field: string) => issuesUnder(issues, `${base}.params.${field}`);
  const set = (field: string, value: unknown) => onChange({ ...p, [field]: value });
  const numberInput = (field: string, label: string, optional = false) => (
    <Field key={field} label={label} issues={at(field)}>
      <InputNumber size="small" disabled={disabled} value={(p[field] as Num) ?? null} onChange={(v) => set(field, typeof v === 'number' ? v : null)} placeholder={optional ? '—' : undefined} style={{ width: 110 }} />
    </Field>
  );
  const directionInput = (
    <Field key="direction" label={t('evaluationExtras.scheme.direction')} issues={at('direction')}>
      <Select
        size="small"
        disabled={disabled}
        value={(p.direction as string | undefined) ?? 'auto'}
        onChange={(v) => onChange(v === 'auto' ? Object.fromEntries(Object.entries(p).filter(([k]) => k !== 'direction')) : { ...p, direction: v })}
        options={(['auto', 'higher', 'lower'] as const).map((d) => ({ value: d, label: t(`evaluationExtras.scheme.directions.${d}`) }))}
        style={{ width: 120 }}
      />
    </Field>
  );
  switch (item.method) {
    case 'efficacy': {
      const ref = (field: 'satisfactory' | 'impermissible') => {
        const r = (p[field] as { kind: RefKind; value?: number } | undefined) ?? { kind: 'peer-best' };
        return (
          <Field key={field} label={t(`evaluationExtras.scheme.${field}`)} issues={at(field)}>
            <Space.Compact size="small">
              <Select
                size="small"
                disabled={disabled}
                value={r.kind}
                onChange={(kind: RefKind) => set(field, kind === 'fixed' ? { kind, value: r.value ?? null } : { kind })}
                options={refKinds.map((k) => ({ value: k, label: t(`evaluationExtras.scheme.sources.${k}`) }))}
                style={{ width: 110 }}
              />
              {r.kind === 'fixed' ? <InputNumber size="small" disabled={disabled} value={r.value ?? null} onChange={(v) => set(field, { kind: 'fixed', value: typeof v === 'number' ? v : null })} style={{ width: 100 }} /> : null}
            </Space.Compact>
          </Field>
        );
      };
      return (
        <Flex gap={8} wrap>
          {ref('satisfactory')}
          {ref('impermissible')}
          {numberInput('cap', t('evaluationExtras.scheme.cap'), true)}
          {numberInput('floor', t('evaluationExtras.scheme.floor'), true)}
        </Flex>
      );
    }
    case 'five-tier': {
      const tiers = (Array.isArray(p.tiers) ? p.tiers : [null, null, null, null, null]) as Num[];
      return (
        <Flex gap={8} wrap>
          {tiers.map((v, i) => (
            <Field key={i} label={t(`evaluationExtras.scheme.tierNames.${tierNames[i]!}`)} issues={at(`tiers[${i}]`)}>
              <InputNumber
                size="small"
                disabled={disabled}
                value={v}
                onChange={(x) => set('tiers', tiers.map((old, k) => (k === i ? (typeof x === 'number' ? x : null) : old)))}
                style={{ width: 90 }}
              />
            </Field>
          ))}
          {issuesUnder(issues, `${base}.params.tiers`).length && !tiers.some((_, i) => at(`tiers[${i}]`).length) ? <Field issues={at('tiers')}>{null}</Field> : null}
        </Flex>
      );
    }
    case 'add-deduct':
      return (
        <Flex gap={8} wrap>
          {numberInput('base', t('evaluationExtras.scheme.base'))}
          {numberInput('basePoints', t('evaluationExtras.scheme.basePoints'))}
          {numberInput('perUnit', t('evaluationExtras.scheme.perUnit'))}
          {numberInput('perUnitWorse', t('evaluationExtras.scheme.perUnitWorse'), true)}
          {directionInput}
          {numberInput('cap', t('evaluationExtras.scheme.cap'), true)}
          {numberInput('floor', t('evaluationExtras.scheme.floor'), true)}
        </Flex>
      );
    case 'pass-fail':
      return (
        <Flex gap={8} wrap>
          {numberInput('threshold', t('evaluationExtras.scheme.threshold'))}
          {directionInput}
        </Flex>
      );
  }
}

/** Edits one scheme whole; the server checks it and answers every problem at its field. */
function SchemeForm({ scheme, onSaved }: { scheme: Scheme | null; onSaved: (code: string) => void }) {
  const { t, i18n } = useTranslation();
  const { modal, message } = App.useApp();
  const describeError = useErrorMessage();
  const can = usePermission();
  const editable = can('evaluation.write');
  const locale = i18n.language;
  const indicators = useIndicators();
  const units = useUnits();
  const create = useCreateScheme();
  const put = usePutScheme();
  const [draft, setDraft] = useState<Draft>(() => (scheme ? fromScheme(scheme) : emptyDraft()));
  const [issues, setIssues] = useState<SchemeIssue[]>([]);
  const [failure, setFailure] = useState<unknown>(null);
  const [stale, setStale] = useState(false);
  const isNew = scheme === null;
  const indicatorByCode = useMemo(() => new Map((indicators.data ?? []).map((i) => [i.code, i])), [indicators.data]);

  const update = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const updateItem = (key: string, patch: Partial<ItemDraft>) => setDraft((d) => ({ ...d, items: d.items.map((i) => (i.key === key ? { ...i, ...patch } : i)) }));
  const at = (path: string) => issuesUnder(issues, path);
  const weightSum = draft.items.reduce((a, i) => a + (i.weight ?? 0), 0);

  const save = () => {
    const local = localIssues(draft, isNew);
    if (local.length) {
      setIssues(local);
      return;
    }
    const body = toBody(draft);
    modal.confirm({
      title: t('evaluationExtras.scheme.confirmTitle', { code: body.code || scheme?.code }),
      content: t('evaluationExtras.scheme.confirmText'),
      okText: t('evaluationExtras.scheme.save'),
      cancelText: t('common.cancel'),
      onOk: async () => {
        setIssues([]);
        setFailure(null);
        try {
          const { code: _code, ...rest } = body;
          const saved = isNew ? await create.mutateAsync(body) : await put.mutateAsync({ code: scheme.code, body: { ...rest, version: scheme.version } });
          void message.success(t('evaluationExtras.scheme.saved', { code: saved.code, version: saved.version }));
          onSaved(saved.code);
        } catch (e) {
          if (e instanceof ApiError && e.code === 'SCHEME_INVALID') setIssues(((e.details as { issues?: SchemeIssue[] } | undefined)?.issues ?? []).slice());
          else if (e instanceof ApiError && e.code === 'STALE_VERSION') setStale(true);
          else setFailure(e);
        }
      },
    });
  };

  const itemColumns: TableColumnsType<ItemDraft> = [
    {
      key: 'indicator',
      title: t('evaluationExtras.scheme.indicator'),
      width: 220,
      render: (_v, item, n) => (
        <Flex vertical gap={4}>
          <Field issues={at(`items[${n}].indicator`)}>
            <Select
              size="small"
              showSearch={{ optionFilterProp: 'label' }}
              disabled={!editable}
              value={item.indicator}
              onChange={(v: string) => updateItem(item.key, { indicator: v })}
              options={(indicators.data ?? []).map((i) => ({ value: i.code, label: `${locale === 'en-US' && i.nameEn ? i.nameEn : i.nameZh} (${i.code})` }))}
              style={{ width: 210 }}
              popupMatchSelectWidth={false}
              aria-label={t('evaluationExtras.scheme.indicator')}
            />
          </Field>
          <Select
            size="small"
            disabled={!editable}
            value={item.method}
            onChange={(m: Method) => updateItem(item.key, { method: m, params: defaultParams(m) })}
            options={methods.map((m) => ({ value: m, label: t(`evaluations.methods.${m}`) }))}
            aria-label={t('evaluationExtras.scheme.method')}
            style={{ width: 210 }}
          />
          <Select
            size="small"
            disabled={!editable}
            value={item.measure}
            onChange={(m: ItemDraft['measure']) => updateItem(item.key, { measure: m })}
            options={(['value', 'completionRate'] as const).map((m) => ({ value: m, label: t(`evaluationExtras.scheme.measures.${m}`) }))}
            aria-label={t('evaluationExtras.scheme.measure')}
            style={{ width: 210 }}
          />
        </Flex>
      ),
    },
    {
      key: 'params',
      title: t('evaluationExtras.scheme.params'),
      render: (_v, item, n) => (
        <Flex vertical gap={4}>
          <ParamsEditor item={item} base={`items[${n}]`} issues={issues} disabled={!editable} onChange={(params) => updateItem(item.key, { params })} />
          {issues.filter((i) => i.path === `items[${n}].params`).map((i) => (
            <Typography.Text key={i.code} type="danger">
              {t(`evaluationExtras.scheme.issues.${i.code}`, { defaultValue: i.message })}: {i.message}
            </Typography.Text>
          ))}
        </Flex>
      ),
    },
    {
      key: 'weight',
      title: t('evaluationExtras.scheme.weight'),
      width: 110,
      render: (_v, item, n) => (
        <Field issues={at(`items[${n}].weight`)}>
          <InputNumber size="small" disabled={!editable} value={item.weight} onChange={(v) => updateItem(item.key, { weight: typeof v === 'number' ? v : null })} style={{ width: 90 }} aria-label={t('evaluationExtras.scheme.weight')} />
        </Field>
      ),
    },
    {
      key: 'validity',
      title: `${t('evaluationExtras.scheme.validFrom')} / ${t('evaluationExtras.scheme.validTo')}`,
      width: 170,
      render: (_v, item, n) => (
        <Flex vertical gap={4}>
          <Field issues={at(`items[${n}].validFrom`)}>
            <Input size="small" type="date" disabled={!editable} value={item.validFrom} onChange={(e) => updateItem(item.key, { validFrom: e.target.value })} aria-label={t('evaluationExtras.scheme.validFrom')} />
          </Field>
          <Field issues={at(`items[${n}].validTo`)}>
            <Input size="small" type="date" disabled={!editable} value={item.validTo ?? ''} placeholder={t('evaluationExtras.scheme.openEnded')} onChange={(e) => updateItem(item.key, { validTo: e.target.value || null })} aria-label={t('evaluationExtras.scheme.validTo')} />
          </Field>
        </Flex>
      ),
    },
    {
      key: 'preview',
      title: t('evaluationExtras.scheme.preview'),
      width: 170,
      render: (_v, item) => <ItemPreview item={item} direction={item.indicator ? indicatorByCode.get(item.indicator)?.direction : undefined} />,
    },
  ];
  if (editable) {
    itemColumns.push({
      key: 'remove',
      width: 50,
      render: (_v, item) => (
        <Button size="small" type="text" danger icon={<DeleteOutlined aria-hidden />} aria-label={t('evaluationExtras.scheme.removeItem')} onClick={() => setDraft((d) => ({ ...d, items: d.items.filter((i) => i.key !== item.key) }))} />
      ),
    });
  }

  const cutLabels = ['A', 'B', 'C', 'D'];
  return (
    <Form layout="vertical" disabled={!editable} component="div">
      <Flex vertical gap={12}>
        {!editable ? <Alert type="info" showIcon title={t('evaluationExtras.scheme.readOnly')} /> : null}
        {stale ? (
          <Alert
            type="warning"
            showIcon
            role="alert"
            title={t('evaluationExtras.scheme.stale')}
            action={
              <Button size="small" icon={<ReloadOutlined aria-hidden />} onClick={() => window.location.reload()}>
                {t('evaluationExtras.scheme.reload')}
              </Button>
            }
          />
        ) : null}
        {issues.length ? (
          <Alert
            type="error"
            showIcon
            role="alert"
            title={t('evaluationExtras.scheme.invalid', { count: issues.length })}
            description={
              <List
                size="small"
                dataSource={issues}
                renderItem={(i) => (
                  <List.Item>
                    <Typography.Text code>{i.path}</Typography.Text> {t(`evaluationExtras.scheme.issues.${i.code}`, { defaultValue: i.message })}
                  </List.Item>
                )}
              />
            }
          />
        ) : null}
        {failure ? <Alert type="error" showIcon role="alert" title={describeError(failure)} /> : null}
        <Card size="small">
          <Row gutter={12}>
            <Col xs={24} md={6}>
              <Field label={t('evaluationExtras.scheme.code')} issues={at('code')}>
                <Input value={draft.code} disabled={!isNew || !editable} onChange={(e) => update({ code: e.target.value })} maxLength={64} />
              </Field>
            </Col>
            <Col xs={24} md={9}>
              <Field label={t('evaluationExtras.scheme.nameZh')} issues={at('nameZh')}>
                <Input value={draft.nameZh} onChange={(e) => update({ nameZh: e.target.value })} maxLength={200} />
              </Field>
            </Col>
            <Col xs={24} md={9}>
              <Field label={t('evaluationExtras.scheme.nameEn')} issues={at('nameEn')}>
                <Input value={draft.nameEn} onChange={(e) => update({ nameEn: e.target.value })} maxLength={200} />
              </Field>
            </Col>
            <Col xs={24} md={8}>
              <Field label={t('evaluationExtras.scheme.aggregation')} issues={at('aggregation')}>
                <Select value={draft.aggregation} onChange={(v: Draft['aggregation']) => update({ aggregation: v })} options={(['arithmetic', 'geometric', 'sum'] as const).map((a) => ({ value: a, label: t(`evaluationExtras.scheme.aggregations.${a}`) }))} />
              </Field>
            </Col>
            <Col xs={12} md={4}>
              <Field label={t('evaluationExtras.scheme.itemDecimals')} issues={at('itemDecimals')}>
                <InputNumber value={draft.itemDecimals} min={0} max={10} precision={0} onChange={(v) => update({ itemDecimals: typeof v === 'number' ? v : null })} />
              </Field>
            </Col>
            <Col xs={12} md={4}>
              <Field label={t('evaluationExtras.scheme.totalDecimals')} issues={at('totalDecimals')}>
                <InputNumber value={draft.totalDecimals} min={0} max={10} precision={0} onChange={(v) => update({ totalDecimals: typeof v === 'number' ? v : null })} />
              </Field>
            </Col>
            <Col xs={24} md={8}>
              <Field label={t('evaluationExtras.scheme.units')} issues={at('units')}>
                <Select
                  mode="multiple"
                  value={draft.units}
                  onChange={(v: string[]) => update({ units: v })}
                  showSearch={{ optionFilterProp: 'label' }}
                  options={(units.data ?? []).map((u) => ({ value: u.code, label: `${unitName(u, locale)} (${u.code})` }))}
                />
              </Field>
            </Col>
          </Row>
        </Card>
        <Card
          size="small"
          title={t('evaluationExtras.scheme.items')}
          extra={<Typography.Text type={weightSum > 0 ? 'secondary' : 'danger'}>{t('evaluationExtras.scheme.weightSum', { sum: formatNumber(weightSum, locale) })}</Typography.Text>}
        >
          {at('items')
            .filter((i) => i.path === 'items')
            .map((i) => (
              <Alert key={i.code} type="error" showIcon title={t(`evaluationExtras.scheme.issues.${i.code}`, { defaultValue: i.message })} style={{ marginBottom: 8 }} />
            ))}
          <Table<ItemDraft> rowKey="key" size="small" columns={itemColumns} dataSource={draft.items} pagination={false} scroll={{ x: 1000 }} />
          {editable ? (
            <Button
              style={{ marginTop: 8 }}
              icon={<PlusOutlined aria-hidden />}
              onClick={() => setDraft((d) => ({ ...d, items: [...d.items, { key: newKey(), indicator: undefined, method: 'pass-fail', measure: 'value', weight: 10, validFrom: d.items[0]?.validFrom ?? '2020-01-01', validTo: null, params: defaultParams('pass-fail') }] }))}
            >
              {t('evaluationExtras.scheme.addItem')}
            </Button>
          ) : null}
        </Card>
        <Row gutter={[12, 12]}>
          <Col xs={24} lg={10}>
            <Card size="small" title={t('evaluationExtras.scheme.grading')} style={{ height: '100%' }}>
              <Radio.Group
                value={draft.gradingMethod}
                onChange={(e) => update({ gradingMethod: e.target.value as Draft['gradingMethod'], cuts: e.target.value === 'bands' ? [0.6, 0.2, -0.2, -0.6] : [0.2, 0.4, 0.6, 0.8] })}
                options={(['percentile', 'bands'] as const).map((m) => ({ value: m, label: t(`evaluationExtras.scheme.gradingMethods.${m}`) }))}
              />
              <Typography.Paragraph type="secondary" style={{ margin: '8px 0 4px' }}>
                {t(draft.gradingMethod === 'bands' ? 'evaluationExtras.scheme.cutsBands' : 'evaluationExtras.scheme.cutsPercentile')}
              </Typography.Paragraph>
              <Flex gap={8} wrap>
                {draft.cuts.map((c, i) => (
                  <Field key={i} label={cutLabels[i]} issues={issues.filter((x) => x.path === `grading.cuts[${i}]` || (i === 0 && (x.path === 'grading' || x.path === 'grading.cuts')))}>
                    <InputNumber size="small" step={0.1} value={c} onChange={(v) => update({ cuts: draft.cuts.map((old, k) => (k === i ? (typeof v === 'number' ? v : null) : old)) })} style={{ width: 80 }} />
                  </Field>
                ))}
              </Flex>
            </Card>
          </Col>
          <Col xs={24} lg={14}>
            <Card size="small" title={t('evaluationExtras.scheme.pay')} style={{ height: '100%' }}>
              <Radio.Group value={draft.payMode} onChange={(e) => update({ payMode: e.target.value as Draft['payMode'] })} options={(['points', 'grades'] as const).map((m) => ({ value: m, label: t(`evaluationExtras.scheme.payModes.${m}`) }))} />
              {issues.filter((x) => x.path === 'pay').map((x) => (
                <Typography.Paragraph key={x.code} type="danger" style={{ margin: '4px 0' }}>
                  {t(`evaluationExtras.scheme.issues.${x.code}`, { defaultValue: x.message })}
                </Typography.Paragraph>
              ))}
              <Flex gap={8} wrap style={{ marginTop: 8 }}>
                {draft.payMode === 'points'
                  ? draft.points.map(([score, coefficient], i) => (
                      <Field key={i} issues={at(`pay.points[${i}]`)}>
                        <Space.Compact size="small">
                          <InputNumber size="small" value={score} addonBefore={t('evaluationExtras.scheme.score')} onChange={(v) => update({ points: draft.points.map((old, k) => (k === i ? [typeof v === 'number' ? v : null, old[1]] : old)) })} style={{ width: 130 }} />
                          <InputNumber size="small" value={coefficient} step={0.05} onChange={(v) => update({ points: draft.points.map((old, k) => (k === i ? [old[0], typeof v === 'number' ? v : null] : old)) })} style={{ width: 80 }} aria-label={t('evaluationExtras.scheme.coefficient')} />
                          {editable && draft.points.length > 1 ? <Button size="small" icon={<DeleteOutlined aria-hidden />} aria-label={t('evaluationExtras.scheme.removePoint')} onClick={() => update({ points: draft.points.filter((_, k) => k !== i) })} /> : null}
                        </Space.Compact>
                      </Field>
                    ))
                  : grades.map((g) => (
                      <Field key={g} label={g} issues={at(`pay.grades.${g}`)}>
                        <InputNumber size="small" step={0.05} value={draft.grades[g]} onChange={(v) => update({ grades: { ...draft.grades, [g]: typeof v === 'number' ? v : null } })} style={{ width: 80 }} />
                      </Field>
                    ))}
                {draft.payMode === 'points' && editable ? (
                  <Button size="small" icon={<PlusOutlined aria-hidden />} onClick={() => update({ points: [...draft.points, [null, null]] })}>
                    {t('evaluationExtras.scheme.addPoint')}
                  </Button>
                ) : null}
              </Flex>
              <Typography.Title level={5} style={{ marginTop: 12 }}>
                {t('evaluationExtras.scheme.cadre')}
              </Typography.Title>
              <Checkbox checked={draft.cadreOn} onChange={(e) => update({ cadreOn: e.target.checked })}>
                {t('evaluationExtras.scheme.cadreEnabled')}
              </Checkbox>
              {draft.cadreOn ? (
                <Flex gap={8} wrap style={{ marginTop: 8 }}>
                  {(['multiplier', 'min', 'max'] as const).map((f) => (
                    <Field key={f} label={t(`evaluationExtras.scheme.${f}`)} issues={at(`pay.cadre.${f}`)}>
                      <InputNumber size="small" step={0.05} value={draft.cadre[f]} onChange={(v) => update({ cadre: { ...draft.cadre, [f]: typeof v === 'number' ? v : null } })} style={{ width: 90 }} />
                    </Field>
                  ))}
                </Flex>
              ) : null}
            </Card>
          </Col>
        </Row>
        {editable ? (
          <Flex justify="flex-end">
            <Button type="primary" icon={<SaveOutlined aria-hidden />} loading={create.isPending || put.isPending} onClick={save} disabled={false}>
              {t('evaluationExtras.scheme.save')}
            </Button>
          </Flex>
        ) : null}
      </Flex>
    </Form>
  );
}

/** 考核方案: pick a scheme (or start a new one) and edit it. */
export function SchemesTab({ initial }: { initial: string | undefined }) {
  const { t, i18n } = useTranslation();
  const can = usePermission();
  const schemes = useEvaluationSchemes();
  const [chosen, setChosen] = useState<string | 'new' | undefined>(initial);
  const code = chosen ?? schemes.data?.[0]?.code;
  const scheme = code === 'new' ? null : schemes.data?.find((s) => s.code === code);
  if (schemes.isError) return <LoadError error={schemes.error} onRetry={() => void schemes.refetch()} />;
  if (!schemes.data) return <PageSpin />;
  return (
    <Flex vertical gap={12}>
      <Flex gap={8} wrap align="center">
        <Select
          value={code === 'new' ? undefined : code}
          onChange={(v: string) => setChosen(v)}
          placeholder={t('evaluationExtras.scheme.pick')}
          options={schemes.data.map((s) => ({ value: s.code, label: `${i18n.language === 'en-US' ? s.nameEn || s.nameZh : s.nameZh} (${s.code})` }))}
          style={{ width: 320 }}
          aria-label={t('evaluationExtras.scheme.pick')}
          popupMatchSelectWidth={false}
        />
        {can('evaluation.write') ? (
          <Button icon={<PlusOutlined aria-hidden />} onClick={() => setChosen('new')}>
            {t('evaluationExtras.scheme.new')}
          </Button>
        ) : null}
      </Flex>
      {code === 'new' ? (
        <SchemeForm key="new" scheme={null} onSaved={setChosen} />
      ) : scheme ? (
        <SchemeForm key={`${scheme.code}/${scheme.version}`} scheme={scheme} onSaved={setChosen} />
      ) : (
        <Card>
          <Empty description={t('evaluations.noSchemes')} />
        </Card>
      )}
    </Flex>
  );
}
