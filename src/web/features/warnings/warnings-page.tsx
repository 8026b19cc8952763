import { CheckCircleOutlined, ReloadOutlined, SettingOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Empty, Flex, Form, Input, Modal, Select, Table, Tag, Typography, theme } from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDateTime } from '../../app/format';
import { useErrorMessage } from '../../app/errors';
import { usePermission } from '../../app/session';
import { LoadError, PageSpin } from '../../app/status-pages';
import { noValue } from '../benchmarking/format';
import { StatCards } from '../benchmarking/stat-cards';
import { useIndicatorMap } from '../indicators/queries';
import { UnitTreeSelect } from '../units/components/unit-tree-select';
import { useUnits } from '../units/queries';
import { unitName } from '../units/unit-tree';
import { isConfirmable, ruleFamilies, ruleFamily, useConfirmWarning, useScanWarnings, useWarnings, type RuleFamily, type ScanResult, type Warning, type WarningState } from './queries';

const filterStates: WarningState[] = ['firing', 'pending', 'resolved'];
const stateColors: Record<WarningState, string> = { firing: 'error', pending: 'warning', resolved: 'success', inactive: 'default' };
const familyColors: Record<RuleFamily, string> = { target: 'red', benchmark: 'purple', controlChart: 'blue', dataQuality: 'orange' };
/** Facts said in the sentence above the list, or shown elsewhere: not repeated in the list. */
const hiddenFacts = new Set(['rule', 'definition', 'points']);

const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** A figure with as many decimals as its size needs (limits and means come unrounded). */
function formatFigure(value: unknown, locale: string): string {
  const n = num(value);
  if (n === null) return noValue;
  const precision = Math.abs(n) >= 1000 ? 1 : Math.abs(n) >= 1 ? 3 : 6;
  return new Intl.NumberFormat(locale, { maximumFractionDigits: precision }).format(n);
}

/** Any fact, in words: numbers formatted, lists joined, nested facts as `key: value`. */
function formatFact(value: unknown, locale: string): string {
  if (value === null || value === undefined) return noValue;
  if (typeof value === 'number') return formatFigure(value, locale);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map((v) => formatFact(v, locale)).join(', ');
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([key, v]) => `${key}: ${formatFact(v, locale)}`)
      .join('; ');
  }
  return JSON.stringify(value);
}

/** The warning in one sentence, from the facts each rule family records. */
function useFactSentence(): (warning: Warning) => string | null {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  return (warning) => {
    const f = warning.facts;
    const fig = (key: string) => formatFigure(f[key], locale);
    const period = warning.period ?? noValue;
    switch (ruleFamily(warning.rule)) {
      case 'target': {
        const light = text(f.light);
        return t('warnings.explain.target', {
          period,
          value: fig('value'),
          target: fig('target'),
          floor: fig('floor'),
          stretch: fig('stretch'),
          light: light === 'green' || light === 'yellow' || light === 'red' ? t(`warnings.explain.lights.${light}`) : noValue,
        });
      }
      case 'benchmark':
        return t('warnings.explain.gap', { benchmark: formatFact(f.benchmark, locale), required: fig('required') });
      case 'controlChart': {
        const sentence = t('warnings.explain.controlChart', {
          period,
          value: fig('value'),
          mean: fig('mean'),
          ucl: fig('ucl'),
          lcl: fig('lcl'),
          sigma: fig('sigma'),
          baseline: text(f.baseline) ?? noValue,
        });
        const side = text(f.side);
        const sideWords = side === 'above' || side === 'below' ? t(`warnings.explain.side.${side}`) : null;
        const favourable = typeof f.favourable === 'boolean' ? t(f.favourable ? 'warnings.explain.favourable' : 'warnings.explain.unfavourable') : null;
        return [sentence, [sideWords, favourable].filter(Boolean).join(locale === 'en-US' ? ', ' : '，')].filter(Boolean).join(' ');
      }
      case 'dataQuality':
        if (warning.rule === 'DQ_RANGE') return t('warnings.explain.range', { value: fig('value'), min: fig('min'), max: fig('max') });
        if (warning.rule === 'DQ_STUCK') return t('warnings.explain.stuck', { value: fig('value'), runLength: fig('runLength') });
        if (warning.rule === 'DQ_JUMP') return t('warnings.explain.jump', { previous: fig('previous'), value: fig('value'), change: fig('change'), threshold: fig('threshold') });
        if (warning.rule === 'DQ_MISSING') return t('warnings.explain.missing', { period: text(f.period) ?? period });
        return null;
    }
  };
}

/** Why the warning is there: a sentence, the months involved, the rule's definition and every fact. */
function WarningFacts({ warning }: { warning: Warning }) {
  const { t, i18n } = useTranslation();
  const sentence = useFactSentence()(warning);
  const points = Array.isArray(warning.facts.points) ? (warning.facts.points as unknown[]).map(String) : [];
  const definition = text(warning.facts.definition);
  const facts = Object.entries(warning.facts).filter(([key]) => !hiddenFacts.has(key));
  return (
    <Flex vertical gap={8} style={{ padding: '4px 8px', maxWidth: 900 }}>
      {sentence ? <Typography.Text>{sentence}</Typography.Text> : null}
      {points.length ? (
        <div>
          <Typography.Text strong>{t('warnings.points')}：</Typography.Text>
          {points.map((point) => (
            <Tag key={point} className="num">
              {point}
            </Tag>
          ))}
        </div>
      ) : null}
      {warning.suspectPeriods.length ? (
        <Typography.Text type="warning">
          {t('warnings.suspect')}：{warning.suspectPeriods.join(', ')}
        </Typography.Text>
      ) : null}
      {definition ? (
        <Typography.Text type="secondary">
          {t('warnings.definition')}：{definition}
        </Typography.Text>
      ) : null}
      {warning.confirmedReason ? <Typography.Text>{t('warnings.confirmedBy', { by: warning.confirmedBy ?? noValue, reason: warning.confirmedReason })}</Typography.Text> : null}
      {facts.length ? (
        <Descriptions
          size="small"
          bordered
          column={{ xs: 1, md: 2, xl: 3 }}
          title={<Typography.Text strong>{t('warnings.facts')}</Typography.Text>}
          items={facts.map(([key, value]) => ({ key, label: key, children: <span className="num">{formatFact(value, i18n.language)}</span> }))}
        />
      ) : null}
    </Flex>
  );
}

/** Confirms the values a firing data-quality warning holds back, with a required reason. */
function ConfirmModal({ warning, indicatorName, onClose }: { warning: Warning; indicatorName: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const describeError = useErrorMessage();
  const confirm = useConfirmWarning();
  const [form] = Form.useForm<{ reason: string }>();
  const submit = ({ reason }: { reason: string }) =>
    confirm.mutate(
      { id: warning.id, reason: reason.trim(), version: warning.version },
      {
        onSuccess: () => {
          void message.success(t('warnings.confirmed'));
          onClose();
        },
      },
    );
  return (
    <Modal
      open
      title={t('warnings.confirmTitle', { indicator: indicatorName })}
      okText={t('warnings.confirm')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={confirm.isPending}
      destroyOnHidden
      mask={{ closable: false }}
    >
      <Typography.Paragraph type="secondary">{t('warnings.confirmHint', { periods: warning.suspectPeriods.join(', ') || warning.period || noValue })}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={submit} onValuesChange={() => confirm.error && confirm.reset()}>
        <Form.Item label={t('warnings.reason')} name="reason" rules={[{ required: true, whitespace: true, message: t('warnings.reasonRequired') }, { max: 1000 }]}>
          <Input.TextArea rows={3} placeholder={t('warnings.reasonPlaceholder')} />
        </Form.Item>
      </Form>
      {confirm.error ? <Alert type="error" showIcon role="alert" title={describeError(confirm.error)} /> : null}
    </Modal>
  );
}

/** 预警: the warnings of the units in the user's scope, why each fired, confirming suspect data, scanning now. */
export function WarningsPage() {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  const can = usePermission();
  const describeError = useErrorMessage();
  const locale = i18n.language;
  const [unit, setUnit] = useState<string | null>(null);
  const [state, setState] = useState<WarningState | undefined>(undefined);
  const [family, setFamily] = useState<RuleFamily | undefined>(undefined);
  const [confirming, setConfirming] = useState<Warning | null>(null);
  const [scanned, setScanned] = useState<ScanResult | null>(null);
  const warnings = useWarnings({ unit: unit ?? undefined, state });
  const firing = useWarnings({ unit: unit ?? undefined, state: 'firing' });
  const scan = useScanWarnings();
  const indicators = useIndicatorMap();
  const units = useUnits();
  const unitByCode = useMemo(() => new Map((units.data ?? []).map((u) => [u.code, u])), [units.data]);
  const canConfirm = can('measurement.enter');
  const canScan = can('indicator.write');

  const indicatorName = (code: string) => {
    const indicator = indicators.get(code);
    return indicator ? (locale === 'en-US' && indicator.nameEn ? indicator.nameEn : indicator.nameZh) : code;
  };
  const rows = useMemo(() => (warnings.data ?? []).filter((w) => !family || ruleFamily(w.rule) === family), [warnings.data, family]);
  const cards = ruleFamilies.map((key) => ({
    key,
    title: t('warnings.familyFiring', { family: t(`warnings.families.${key}`) }),
    value: firing.data ? firing.data.filter((w) => ruleFamily(w.rule) === key).length : noValue,
    color: firing.data?.some((w) => ruleFamily(w.rule) === key) ? token.colorError : undefined,
    detail: t('warnings.firingDetail'),
  }));

  const columns: TableColumnsType<Warning> = [
    {
      key: 'unit',
      title: t('warnings.unit'),
      width: 150,
      render: (_v, w) => {
        const u = unitByCode.get(w.unit);
        return (
          <Flex vertical>
            <span>{u ? unitName(u, locale) : w.unit}</span>
            <Typography.Text type="secondary" style={{ fontSize: token.fontSizeSM }}>
              {w.unit}
            </Typography.Text>
          </Flex>
        );
      },
    },
    {
      key: 'indicator',
      title: t('warnings.indicator'),
      width: 200,
      render: (_v, w) => (
        <Flex vertical>
          <span style={{ fontWeight: 500 }}>{indicatorName(w.indicator)}</span>
          <Typography.Text type="secondary" style={{ fontSize: token.fontSizeSM }}>
            {w.indicator}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      key: 'rule',
      title: t('warnings.rule'),
      width: 260,
      render: (_v, w) => (
        <Flex gap={4} align="center" wrap>
          <Tag color={familyColors[ruleFamily(w.rule)]}>{w.rule}</Tag>
          <span>{t(`warnings.rules.${w.rule}`, { defaultValue: w.rule })}</span>
          {ruleFamily(w.rule) === 'controlChart' ? (
            <Link to={`/control-chart?${new URLSearchParams({ unit: w.unit, indicator: w.indicator, rules: w.rule }).toString()}`} aria-label={t('evaluationExtras.controlChart.openLabel', { unit: w.unit, indicator: w.indicator })}>
              {t('evaluationExtras.controlChart.open')}
            </Link>
          ) : null}
        </Flex>
      ),
    },
    { key: 'state', title: t('warnings.state'), width: 90, render: (_v, w) => <Tag color={stateColors[w.state]}>{t(`warnings.states.${w.state}`)}</Tag> },
    { key: 'since', title: t('warnings.since'), width: 150, render: (_v, w) => <span className="num">{w.since ? formatDateTime(w.since) : noValue}</span> },
    { key: 'period', title: t('warnings.period'), width: 90, render: (_v, w) => <span className="num">{w.period ?? noValue}</span> },
  ];
  if (canConfirm) {
    columns.push({
      key: 'actions',
      title: t('common.actions'),
      width: 110,
      render: (_v, w) =>
        isConfirmable(w) ? (
          <Button size="small" icon={<CheckCircleOutlined aria-hidden />} aria-label={t('warnings.confirmLabel', { unit: w.unit, indicator: w.indicator })} onClick={() => setConfirming(w)}>
            {t('warnings.confirm')}
          </Button>
        ) : null,
    });
  }

  return (
    <Flex vertical gap={16}>
      <Flex gap={8} wrap justify="space-between" align="center">
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('warnings.title')}
        </Typography.Title>
        <Flex gap={12} align="center" wrap>
          <Link to="/warnings/rules">
            <SettingOutlined aria-hidden /> {t('warningRules.open')}
          </Link>
          {canScan ? (
            <Button
              type="primary"
              icon={<ReloadOutlined aria-hidden />}
              loading={scan.isPending}
              onClick={() => {
                setScanned(null);
                scan.mutate(undefined, { onSuccess: setScanned });
              }}
            >
              {t('warnings.scan')}
            </Button>
          ) : null}
        </Flex>
      </Flex>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('warnings.intro')}
      </Typography.Paragraph>
      {scanned ? <Alert type="success" showIcon closable onClose={() => setScanned(null)} title={t('warnings.scanDone', { ...scanned })} /> : null}
      {scan.error ? <Alert type="error" showIcon role="alert" title={describeError(scan.error)} /> : null}
      <StatCards cards={cards} span={{ xs: 12, md: 6 }} />
      <Form layout="inline" style={{ rowGap: 8 }}>
        <Form.Item label={t('warnings.unit')} htmlFor="warnings-unit">
          <UnitTreeSelect id="warnings-unit" valueField="code" value={unit} onChange={setUnit} allowClear placeholder={t('warnings.allUnits')} style={{ width: 240 }} />
        </Form.Item>
        <Form.Item label={t('warnings.state')} htmlFor="warnings-state">
          <Select<WarningState | undefined>
            id="warnings-state"
            value={state}
            onChange={setState}
            allowClear
            placeholder={t('warnings.allStates')}
            options={filterStates.map((s) => ({ value: s, label: t(`warnings.states.${s}`) }))}
            style={{ width: 170 }}
          />
        </Form.Item>
        <Form.Item label={t('warnings.family')} htmlFor="warnings-family">
          <Select<RuleFamily | undefined>
            id="warnings-family"
            value={family}
            onChange={setFamily}
            allowClear
            placeholder={t('warnings.allFamilies')}
            options={ruleFamilies.map((f) => ({ value: f, label: t(`warnings.families.${f}`) }))}
            style={{ width: 150 }}
          />
        </Form.Item>
      </Form>
      {warnings.isError ? (
        <LoadError error={warnings.error} onRetry={() => void warnings.refetch()} />
      ) : !warnings.data ? (
        <PageSpin />
      ) : rows.length === 0 ? (
        <Card>
          <Empty description={t('warnings.empty')} />
        </Card>
      ) : (
        <Table<Warning>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={rows}
          loading={warnings.isFetching}
          scroll={{ x: 1050 }}
          pagination={{ defaultPageSize: 50, showSizeChanger: true, showTotal: (total) => t('common.total', { total }) }}
          expandable={{ expandedRowRender: (w) => <WarningFacts warning={w} /> }}
        />
      )}
      {confirming ? <ConfirmModal warning={confirming} indicatorName={indicatorName(confirming.indicator)} onClose={() => setConfirming(null)} /> : null}
    </Flex>
  );
}
