import { CalculatorOutlined, EditOutlined, PlusOutlined, SyncOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Checkbox, Descriptions, Flex, Form, InputNumber, Popconfirm, Select, Switch, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeValue, factLabels, FACT_NAMES, symptomCodes, type SymptomCode } from '../../../../domain/health/status-rules';
import type { FactName } from '../../../../domain/health/types';
import { formatDateTime } from '../../../app/format';
import { usePermission } from '../../../app/session';
import { LoadError } from '../../../app/status-pages';
import { ColourTag, conditionWords, detailProblems, MatchedRules, RISK_LEVELS, StatusPanel, useCareError, useLang } from './care-parts';
import { useActiveIncident, useRecompute, useRules, useRuleTest, useSaveRule, type CreateRuleBody, type RecomputeResult, type RiskLevel, type RuleTestBody, type RuleView } from './care-queries';
import { RuleEditor } from './rule-editor';

/**
 * 健康状态规则: the rules that turn facts into green, yellow or red, edited by the health admin
 * (each write recomputes the statuses), and the test bench: facts in, the colour, the deciding rule
 * and every matching rule with the values it saw out, as you type.
 */
export function StatusRulesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const lang = useLang();
  const describe = useCareError();
  const can = usePermission();
  const admin = can('health.admin');
  const rules = useRules();
  const save = useSaveRule();
  const recompute = useRecompute();
  const [editing, setEditing] = useState<RuleView | 'new' | null>(null);
  const [draft, setDraft] = useState<CreateRuleBody | null>(null);
  const [recomputed, setRecomputed] = useState<RecomputeResult | null>(null);
  const rows = rules.data?.rows ?? [];
  const nextPriority = rows.reduce((m, r) => Math.max(m, r.priority), 0) + 10;

  const toggle = (r: RuleView, enabled: boolean) =>
    save.mutateAsync({ code: r.code, body: { nameZh: r.nameZh, nameEn: r.nameEn, status: r.status, priority: r.priority, when: r.when, enabled, version: r.version } }).then(
      (w) => void message.success(t(enabled ? 'healthCare.rules.enabledOn' : 'healthCare.rules.enabledOff', { code: r.code, recomputed: w.recomputed, changed: w.changed })),
      (e: unknown) => void message.error(detailProblems(e)[0] ?? describe(e)),
    );

  const columns: ColumnsType<RuleView> = [
    { title: t('healthCare.rules.colour'), dataIndex: 'status', width: 80, render: (s: RuleView['status']) => <ColourTag colour={s} /> },
    { title: t('healthCare.rules.priority'), dataIndex: 'priority', width: 70, align: 'right' },
    {
      title: t('healthCare.rules.name'),
      key: 'name',
      render: (_v, r) => (
        <Flex vertical>
          <Typography.Text strong>{lang === 'zh' ? r.nameZh : r.nameEn}</Typography.Text>
          <Typography.Text type="secondary" code style={{ fontSize: 12 }}>
            {r.code}
          </Typography.Text>
        </Flex>
      ),
    },
    { title: t('healthCare.rules.condition'), key: 'when', render: (_v, r) => conditionWords(r.when, lang) },
    {
      title: t('healthCare.rules.enabled'),
      key: 'enabled',
      width: 80,
      render: (_v, r) =>
        admin ? (
          <Popconfirm
            title={r.enabled ? t('healthCare.rules.disableConfirm', { code: r.code }) : t('healthCare.rules.enableConfirm', { code: r.code })}
            description={t('healthCare.rules.recomputeNote')}
            okText={t('common.confirm')}
            cancelText={t('common.cancel')}
            onConfirm={() => toggle(r, !r.enabled)}
          >
            <Switch checked={r.enabled} size="small" aria-label={t('healthCare.rules.enabledFor', { code: r.code })} loading={save.isPending && save.variables.code === r.code} />
          </Popconfirm>
        ) : (
          <Switch checked={r.enabled} size="small" disabled aria-label={t('healthCare.rules.enabledFor', { code: r.code })} />
        ),
    },
    { title: t('healthCare.rules.updatedAt'), dataIndex: 'updatedAt', render: (v: string) => formatDateTime(v).slice(0, 16) },
    ...(admin
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_v: unknown, r: RuleView) => (
              <Button size="small" icon={<EditOutlined aria-hidden />} onClick={() => setEditing(r)} disabled={editing !== null}>
                {t('common.edit')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <Flex vertical gap={16}>
      <Flex gap={8} wrap align="center" justify="space-between">
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('healthCare.rules.title')}
        </Typography.Title>
        {admin ? (
          <Flex gap={8} wrap>
            <Popconfirm
              title={t('healthCare.rules.recomputeConfirm')}
              okText={t('healthCare.rules.recompute')}
              cancelText={t('common.cancel')}
              onConfirm={() =>
                recompute.mutateAsync().then(
                  (r) => {
                    setRecomputed(r);
                    void message.success(t('healthCare.rules.recomputed', { recomputed: r.recomputed, changed: r.changed }));
                  },
                  (e: unknown) => void message.error(describe(e)),
                )
              }
            >
              <Button icon={<SyncOutlined aria-hidden />} loading={recompute.isPending}>
                {t('healthCare.rules.recompute')}
              </Button>
            </Popconfirm>
            <Button type="primary" icon={<PlusOutlined aria-hidden />} disabled={editing !== null} onClick={() => setEditing('new')}>
              {t('healthCare.rules.add')}
            </Button>
          </Flex>
        ) : null}
      </Flex>
      <Typography.Text type="secondary">{t('healthCare.rules.intro')}</Typography.Text>
      {recomputed ? (
        <Alert type="success" showIcon closable={{ onClose: () => setRecomputed(null) }} data-testid="recompute-result" title={t('healthCare.rules.recomputed', { recomputed: recomputed.recomputed, changed: recomputed.changed })} />
      ) : null}
      {rules.isError ? (
        <LoadError error={rules.error} onRetry={() => void rules.refetch()} />
      ) : (
        <Card size="small">
          <Table<RuleView>
            size="small"
            rowKey="code"
            loading={rules.isPending}
            dataSource={rows}
            columns={columns}
            scroll={{ x: 'max-content' }}
            pagination={false}
            rowClassName={(r) => (r.enabled ? '' : 'care-rule-disabled')}
            locale={{ emptyText: t('healthCare.rules.empty') }}
          />
        </Card>
      )}
      {editing !== null ? (
        <RuleEditor
          key={editing === 'new' ? 'new' : editing.code}
          rule={editing === 'new' ? null : editing}
          nextPriority={nextPriority}
          onDraft={setDraft}
          onClose={() => {
            setDraft(null);
            setEditing(null);
          }}
        />
      ) : null}
      <TestBench rules={rows} draft={editing !== null ? draft : null} />
    </Flex>
  );
}

interface BenchForm {
  temperatureC: number | null;
  symptoms: SymptomCode[];
  riskTravelDaysAgo: number | null;
  riskTravelLevel: RiskLevel | 'none';
  closeContact: boolean;
  inQuarantine: boolean;
  suspectedCase: boolean;
  confirmedCase: boolean;
  declaredToday: boolean;
}
const benchDefaults: BenchForm = {
  temperatureC: null,
  symptoms: [],
  riskTravelDaysAgo: null,
  riskTravelLevel: 'none',
  closeContact: false,
  inQuarantine: false,
  suspectedCase: false,
  confirmedCase: false,
  declaredToday: true,
};
const flags = ['closeContact', 'inQuarantine', 'suspectedCase', 'confirmedCase', 'declaredToday'] as const;

/** A value that follows `value` once it has stood still for `ms` (typing into the bench asks once). */
function useDebounced(value: string, ms: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** The test bench: facts → the colour, the deciding rule and every matched rule, live as you type. */
function TestBench({ rules, draft }: { rules: readonly RuleView[]; draft: CreateRuleBody | null }) {
  const { t } = useTranslation();
  const lang = useLang();
  const describe = useCareError();
  const incident = useActiveIncident();
  const [form] = Form.useForm<BenchForm>();
  const watched = Form.useWatch((v: BenchForm) => v, form) as Partial<BenchForm> | undefined;
  const [useDraft, setUseDraft] = useState(true);
  const draftRules = useMemo(() => {
    if (!draft || !useDraft) return null;
    const stored = rules.map((r) => ({ code: r.code, nameZh: r.nameZh, nameEn: r.nameEn, status: r.status, priority: r.priority, when: r.when, enabled: r.enabled }));
    return [...stored.filter((r) => r.code !== draft.code), draft];
  }, [rules, draft, useDraft]);

  const v = { ...benchDefaults, ...watched };
  const body: RuleTestBody = {
    facts: {
      temperatureC: typeof v.temperatureC === 'number' ? v.temperatureC : null,
      symptoms: v.symptoms ?? [],
      riskTravelDaysAgo: typeof v.riskTravelDaysAgo === 'number' ? v.riskTravelDaysAgo : null,
      riskTravelLevel: v.riskTravelLevel === 'none' ? null : v.riskTravelLevel,
      closeContact: v.closeContact,
      inQuarantine: v.inQuarantine,
      suspectedCase: v.suspectedCase,
      confirmedCase: v.confirmedCase,
      declaredToday: v.declaredToday,
    },
    ...(draftRules ? { rules: draftRules } : {}),
  };
  const settled = useDebounced(JSON.stringify(body), 250);
  const test = useRuleTest(useMemo(() => JSON.parse(settled) as RuleTestBody, [settled]));
  const result = test.data;
  const threshold = incident.data?.settings.feverThresholdC;
  const names = rules.map((r) => ({ code: r.code, nameZh: r.nameZh, nameEn: r.nameEn }));
  if (draft) names.push({ code: draft.code, nameZh: draft.nameZh, nameEn: draft.nameEn });

  return (
    <Card size="small" title={t('healthCare.bench.title')} extra={<CalculatorOutlined aria-hidden />}>
      <Flex gap={24} wrap align="flex-start">
        <Form<BenchForm> name="bench" form={form} layout="vertical" initialValues={benchDefaults} style={{ flex: '1 1 320px', maxWidth: 460 }}>
          <Typography.Paragraph type="secondary">{t('healthCare.bench.intro', { threshold: (threshold ?? 37.3).toFixed(1) })}</Typography.Paragraph>
          <Form.Item name="temperatureC" label={t('healthCare.bench.temperature')}>
            <InputNumber<number> min={30} max={45} step={0.1} precision={1} suffix="°C" style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="symptoms" label={factLabels.symptoms[lang]}>
            <Checkbox.Group className="care-symptoms" options={symptomCodes.map((s) => ({ value: s.code, label: s[lang] }))} />
          </Form.Item>
          <Flex gap={8} wrap>
            <Form.Item name="riskTravelDaysAgo" label={factLabels.riskTravelDaysAgo[lang]} extra={t('healthCare.bench.daysHint')}>
              <InputNumber<number> min={0} max={366} precision={0} style={{ width: 140 }} />
            </Form.Item>
            <Form.Item name="riskTravelLevel" label={factLabels.riskTravelLevel[lang]}>
              <Select style={{ width: 140 }} options={[{ value: 'none', label: t('healthCare.rules.noLevel') }, ...RISK_LEVELS.map((l) => ({ value: l, label: t(`healthCare.levels.${l}`) }))]} />
            </Form.Item>
          </Flex>
          <Flex vertical gap={6}>
            {flags.map((f) => (
              <Flex key={f} gap={8} align="center">
                <Form.Item name={f} valuePropName="checked" noStyle>
                  <Switch id={`bench-${f}`} size="small" />
                </Form.Item>
                <label htmlFor={`bench-${f}`}>{factLabels[f][lang]}</label>
              </Flex>
            ))}
          </Flex>
          {draft ? (
            <Checkbox checked={useDraft} onChange={(e) => setUseDraft(e.target.checked)} style={{ marginTop: 12 }}>
              {t('healthCare.bench.useDraft', { code: draft.code || '…' })}
            </Checkbox>
          ) : null}
        </Form>
        <Flex vertical gap={12} style={{ flex: '1 1 320px', minWidth: 0 }} data-testid="bench-result" data-colour={result?.status} aria-busy={test.isFetching}>
          {test.isError ? (
            <Alert type="error" showIcon title={describe(test.error)} description={detailProblems(test.error).join('; ') || undefined} />
          ) : result ? (
            <>
              <StatusPanel colour={result.status} explanation={result.explanation[lang]} caption={t('healthCare.bench.deciding', { rule: result.rule })} />
              <Descriptions size="small" column={{ xs: 1, sm: 2 }} bordered title={t('healthCare.bench.facts')}>
                {FACT_NAMES.map((f: FactName) => (
                  <Descriptions.Item key={f} label={factLabels[f][lang]}>
                    {describeValue(f, result.facts[f], lang)}
                  </Descriptions.Item>
                ))}
              </Descriptions>
              <Typography.Text strong>{t('healthCare.bench.matched', { count: result.matched.length })}</Typography.Text>
              <MatchedRules matched={result.matched} rules={names} />
            </>
          ) : (
            <Card loading size="small" />
          )}
        </Flex>
      </Flex>
    </Card>
  );
}
