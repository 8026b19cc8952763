import { ArrowDownOutlined, ArrowUpOutlined, ColumnWidthOutlined } from '@ant-design/icons';
import { Alert, App, Button, Checkbox, Col, Drawer, Flex, Form, Grid, Input, InputNumber, Radio, Row, Skeleton, Table, Tag, Typography, theme } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Indicator } from '../../../../server/modules/indicators/indicators.schemas';
import { ApiError } from '../../../app/api-client';
import { useErrorMessage } from '../../../app/errors';
import { LoadError } from '../../../app/status-pages';
import { formatNumber, noValue } from '../../benchmarking/format';
import { useScorecard } from '../../scorecard/queries';
import { usePutTargets, useTargetAssistant, type PutTargetsInput } from '../queries';
import {
  annualBases,
  levelProblem,
  monthsOfYear,
  previewSpread,
  profileWeights,
  proposalBasis,
  proposedLevels,
  spreadBasisSuffix,
  type AnnualBase,
  type SpreadChoice,
  type TargetLevels,
  withoutSpreadSuffix,
} from '../target-levels';
import { BasesChart } from './bases-chart';
import { indicatorName, type TargetsRow } from './targets-table';

interface FormValues {
  floor: number | null;
  target: number | null;
  stretch: number | null;
  basis: string;
  spread: SpreadChoice;
  overwriteMonths: boolean;
}

const baseKeys = ['lastYear', 'lastPeriod', 'historicalBest', 'benchmark', 'industry', 'plan'] as const;
type BaseKey = (typeof baseKeys)[number];
const isBaseKey = (key: string): key is BaseKey => (baseKeys as readonly string[]).includes(key);
const spreadChoices: SpreadChoice[] = ['days', 'equal', 'profile', 'none'];
const orNull = (value: number | null | undefined): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/** The `details` of a VALIDATION_FAILED answer as lines: which field, what is wrong. */
function validationLines(error: unknown): string[] {
  if (!(error instanceof ApiError) || error.code !== 'VALIDATION_FAILED' || !Array.isArray(error.details)) return [];
  return error.details
    .filter((d): d is { path?: unknown; message?: unknown } => typeof d === 'object' && d !== null)
    .map((d) => `${typeof d.path === 'string' ? d.path : ''} ${typeof d.message === 'string' ? d.message : ''}`.trim());
}

/**
 * 设定目标: the assistant's bases side by side, a proposal (base ± amplitude), the three levels with
 * their basis, and for quantities how the year goes to the months. Mounted while open.
 */
export function TargetDrawer({
  unit,
  unitName,
  year,
  row,
  onClose,
  onSaved,
}: {
  unit: string;
  unitName: string;
  year: number;
  row: TargetsRow & { indicator: Indicator };
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  const screens = Grid.useBreakpoint();
  const describeError = useErrorMessage();
  const { message } = App.useApp();
  const locale = i18n.language;
  const indicator = row.indicator;
  const { direction, aggregation, precision, uom } = indicator;
  const quantity = aggregation === 'sum';
  const format = (value: number | null | undefined) => formatNumber(value ?? null, locale, precision);
  const withUom = (value: number | null | undefined) => (value === null || value === undefined ? noValue : `${format(value)}${uom ? ` ${uom}` : ''}`);

  const assistant = useTargetAssistant(unit, row.code, year);
  // Last year's monthly actuals give the profile of a quantity's year (the scorecard's 13-month trend).
  const lastYear = useScorecard(unit, quantity ? `${year - 1}-12` : undefined, 'period');
  const save = usePutTargets();

  const current = row.view.annual;
  const [form] = Form.useForm<FormValues>();
  const [chosenBase, setChosenBase] = useState<string | null>(null);
  const [amplitude, setAmplitude] = useState<number | null>(direction === 'band' ? 0 : 1);

  const bases: AnnualBase[] = assistant.data ? annualBases(assistant.data.bases, indicator, year, current?.target ?? null) : [];
  const baseName = (base: AnnualBase) => (isBaseKey(base.key) ? t(`targets.baseNames.${base.key}`) : locale === 'en-US' ? base.labelEn : base.label);
  const baseKey = chosenBase ?? bases.find((base) => base.value !== null)?.key ?? null;
  const base = bases.find((candidate) => candidate.key === baseKey && candidate.value !== null) ?? null;
  const proposal = base ? proposedLevels(base.value!, amplitude ?? 0, indicator) : null;
  const proposalText = base ? proposalBasis(base.annualised ? `${base.label}×12` : base.label, amplitude ?? 0, direction) : '';

  const floor = orNull(Form.useWatch('floor', form));
  const target = orNull(Form.useWatch('target', form));
  const stretch = orNull(Form.useWatch('stretch', form));
  const spread = (Form.useWatch('spread', form) as SpreadChoice | undefined) ?? (quantity ? 'days' : 'none');
  const orderProblem = levelProblem(direction, { floor, target, stretch });
  // A missing target is the form's own required-field message.
  const shownProblem = orderProblem === 'targetMissing' ? null : orderProblem;

  const lastYearRow = lastYear.data?.rows.find((r) => r.indicator === row.code);
  const lastYearMonths = new Map((lastYearRow?.trend ?? []).map((point) => [point.period, point.value]));
  const weights = profileWeights(monthsOfYear(year - 1).map((m) => lastYearMonths.get(m) ?? null));
  const annualLevels: TargetLevels | null = target === null ? null : { floor, target, stretch };
  const preview = annualLevels ? previewSpread(year, annualLevels, indicator, spread, weights) : null;
  const previewTotal = preview?.reduce((sum, m) => sum + m.levels.target, 0) ?? null;
  const currentMonthsTotal = row.view.months.every((m) => m.levels) ? row.view.months.reduce((sum, m) => sum + (m.levels?.target ?? 0), 0) : null;

  const applyProposal = () => {
    if (!proposal) return;
    form.setFieldsValue({ ...proposal, basis: proposalText });
  };

  const submit = (values: FormValues) => {
    const levels = { floor: orNull(values.floor), target: orNull(values.target), stretch: orNull(values.stretch) };
    const found = levelProblem(direction, levels);
    if (found) {
      void message.error(t(`targets.problems.${found}`));
      return;
    }
    const basis = (values.basis ?? '').trim();
    const annual = { indicator: row.code, period: String(year), ...levels, target: levels.target!, basis };
    const body: PutTargetsInput = { unit, targets: [annual], spread: 'none' };
    if (quantity && (values.spread === 'days' || values.spread === 'equal')) {
      // The server spreads these itself, with the same rounding as the preview.
      body.spread = values.spread;
    } else if (quantity && values.spread === 'profile') {
      const months = previewSpread(year, { ...levels, target: levels.target! }, indicator, 'profile', weights);
      if (!months) return;
      body.targets.push(...months.map((m) => ({ indicator: row.code, period: m.period, ...m.levels, basis: `${basis}${spreadBasisSuffix.profile}` })));
    } else if (!quantity && values.overwriteMonths) {
      body.targets.push(...monthsOfYear(year).map((period) => ({ indicator: row.code, period, ...levels, target: levels.target!, basis })));
    }
    save.mutate(body, { onSuccess: onSaved });
  };

  const directionIcon = direction === 'higher' ? <ArrowUpOutlined aria-hidden /> : direction === 'lower' ? <ArrowDownOutlined aria-hidden /> : <ColumnWidthOutlined aria-hidden />;
  const previewColumns: TableColumnsType<{ period: string; levels: TargetLevels }> = [
    { key: 'period', title: t('targets.month'), dataIndex: 'period', width: 80, render: (period: string) => <span className="num">{period}</span> },
    // The months' targets in force, for comparison; a phone has no room for them.
    ...(screens.sm
      ? [
          {
            key: 'current',
            title: t('targets.currentTarget'),
            align: 'right' as const,
            render: (_v: unknown, _m: unknown, index: number) => (
              <Typography.Text type="secondary" className="num">
                {format(row.view.months[index]?.levels?.target)}
              </Typography.Text>
            ),
          },
        ]
      : []),
    { key: 'floor', title: t('targets.floor'), align: 'right', render: (_v, m) => <span className="num">{format(m.levels.floor)}</span> },
    { key: 'target', title: t('targets.target'), align: 'right', render: (_v, m) => <strong className="num">{format(m.levels.target)}</strong> },
    { key: 'stretch', title: t('targets.stretch'), align: 'right', render: (_v, m) => <span className="num">{format(m.levels.stretch)}</span> },
  ];
  const half = { xs: 24, sm: 8 };

  return (
    <Drawer
      open
      size={screens.md ? 760 : '100%'}
      onClose={onClose}
      destroyOnHidden
      mask={{ closable: false }}
      title={
        <Flex gap={8} align="baseline" wrap>
          <span>{t('targets.drawerTitle', { name: indicatorName(row, locale) })}</span>
          <Typography.Text type="secondary" style={{ fontSize: token.fontSizeSM, fontWeight: 'normal' }}>
            {unitName} · {year} · {row.code}
            {uom ? ` · ${uom}` : ''}
          </Typography.Text>
        </Flex>
      }
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()}>
            {t('common.save')}
          </Button>
        </Flex>
      }
    >
      <Flex vertical gap={16}>
        <Flex vertical gap={4}>
          <Flex gap={8} wrap align="center">
            <Tag color={direction === 'band' ? 'default' : 'blue'} icon={directionIcon}>
              {t(`benchmarking.directions.${direction}`)}
            </Tag>
            <Typography.Text type="secondary">{t(`targets.directionHint.${direction}`)}</Typography.Text>
          </Flex>
          <Typography.Text type="secondary">{t(quantity ? 'targets.quantityHint' : 'targets.levelHint')}</Typography.Text>
        </Flex>

        <section aria-labelledby="target-assistant-title">
          <Typography.Title level={5} id="target-assistant-title">
            {t('targets.assistant')}
          </Typography.Title>
          {assistant.isError ? (
            <LoadError error={assistant.error} onRetry={() => void assistant.refetch()} />
          ) : !assistant.data ? (
            <Skeleton active paragraph={{ rows: 4 }} />
          ) : (
            <Flex vertical gap={12}>
              <BasesChart
                bases={bases.map((candidate) => ({ key: candidate.key, name: baseName(candidate), value: candidate.value }))}
                selected={base?.key ?? null}
                current={current?.target ?? null}
                proposal={proposal?.target ?? null}
                precision={precision}
                label={t('targets.chart.label', { name: indicatorName(row, locale) })}
                onSelect={setChosenBase}
              />
              <Radio.Group value={base?.key ?? null} onChange={(event) => setChosenBase(event.target.value as string)} aria-label={t('targets.bases')} style={{ width: '100%' }}>
                <Flex vertical gap={6}>
                  {bases.map((candidate) => (
                    <Radio key={candidate.key} value={candidate.key} disabled={candidate.value === null}>
                      <Flex gap={8} wrap align="baseline">
                        <span style={{ minWidth: 96 }}>{baseName(candidate)}</span>
                        <strong className="num">{candidate.value === null ? t('targets.noValue') : withUom(candidate.value)}</strong>
                        {candidate.period ? (
                          <Typography.Text type="secondary" className="num" style={{ fontSize: token.fontSizeSM }}>
                            {candidate.period}
                          </Typography.Text>
                        ) : null}
                        {candidate.annualised ? (
                          <Typography.Text type="secondary" style={{ fontSize: token.fontSizeSM }}>
                            {t('targets.annualised', { value: format(candidate.rawValue) })}
                          </Typography.Text>
                        ) : null}
                      </Flex>
                    </Radio>
                  ))}
                </Flex>
              </Radio.Group>
              <Flex gap={16} wrap align="flex-end">
                <Flex vertical gap={4}>
                  <label htmlFor="target-amplitude">{t('targets.amplitude')}</label>
                  <InputNumber<number>
                    id="target-amplitude"
                    value={amplitude}
                    onChange={(value) => setAmplitude(value)}
                    min={-100}
                    max={100}
                    step={0.5}
                    suffix="%"
                    disabled={direction === 'band'}
                    style={{ width: 140 }}
                  />
                </Flex>
                <Flex vertical gap={0} style={{ minWidth: 0 }}>
                  <Typography.Text type="secondary">{t('targets.proposal')}</Typography.Text>
                  <Typography.Text strong className="num" style={{ fontSize: token.fontSizeLG }} data-testid="target-proposal">
                    {proposal ? withUom(proposal.target) : t('targets.pickBase')}
                  </Typography.Text>
                </Flex>
                <Button onClick={applyProposal} disabled={!proposal}>
                  {t('targets.applyProposal')}
                </Button>
              </Flex>
              <Typography.Text type="secondary" style={{ fontSize: token.fontSizeSM }}>
                {direction === 'band' ? t('targets.amplitudeBand') : t('targets.amplitudeHint')}
                {proposal && direction !== 'band'
                  ? ` ${t('targets.proposalLevels', { floor: format(proposal.floor), target: format(proposal.target), stretch: format(proposal.stretch) })}`
                  : ''}
                {proposalText ? ` ${t('targets.proposalBasis', { basis: proposalText })}` : ''}
              </Typography.Text>
            </Flex>
          )}
        </section>

        <Form<FormValues>
          form={form}
          layout="vertical"
          requiredMark={false}
          initialValues={{
            floor: current?.floor ?? null,
            target: current?.target ?? null,
            stretch: current?.stretch ?? null,
            basis: row.view.annualSource === 'none' ? '' : withoutSpreadSuffix(row.view.basis),
            spread: quantity ? 'days' : 'none',
            overwriteMonths: false,
          }}
          onFinish={submit}
        >
          <Typography.Title level={5}>{t('targets.levels', { year })}</Typography.Title>
          <Row gutter={12}>
            <Col {...half}>
              <Form.Item name="floor" label={t('targets.floor')} htmlFor="target-floor">
                <InputNumber<number> id="target-floor" style={{ width: '100%' }} step={10 ** -precision} suffix={uom || undefined} />
              </Form.Item>
            </Col>
            <Col {...half}>
              <Form.Item name="target" label={t('targets.target')} htmlFor="target-target" rules={[{ required: true, message: t('targets.problems.targetMissing') }]}>
                <InputNumber<number> id="target-target" style={{ width: '100%' }} step={10 ** -precision} suffix={uom || undefined} />
              </Form.Item>
            </Col>
            <Col {...half}>
              <Form.Item name="stretch" label={t('targets.stretch')} htmlFor="target-stretch">
                <InputNumber<number> id="target-stretch" style={{ width: '100%' }} step={10 ** -precision} suffix={uom || undefined} />
              </Form.Item>
            </Col>
          </Row>
          {direction !== 'band' ? (
            <Typography.Paragraph type={shownProblem ? 'danger' : 'secondary'} style={{ fontSize: token.fontSizeSM, marginTop: -8 }} role={shownProblem ? 'alert' : undefined}>
              {shownProblem ? `${t(`targets.problems.${shownProblem}`)} ` : ''}
              {t(`targets.orderRule.${direction}`)}
            </Typography.Paragraph>
          ) : null}
          <Form.Item name="basis" label={t('targets.basis')} htmlFor="target-basis">
            <Input id="target-basis" maxLength={500} placeholder={t('targets.basisPlaceholder')} />
          </Form.Item>

          {quantity ? (
            <>
              <Form.Item name="spread" label={t('targets.spread')}>
                <Radio.Group
                  options={spreadChoices.map((choice) => ({
                    value: choice,
                    label: t(`targets.spreadChoices.${choice}`),
                    disabled: choice === 'profile' && !weights,
                    title: choice === 'profile' && !weights ? t('targets.profileUnavailable') : undefined,
                  }))}
                />
              </Form.Item>
              {spread === 'profile' && !weights ? <Alert type="warning" showIcon title={t('targets.profileUnavailable')} style={{ marginBottom: 12 }} /> : null}
              {preview ? (
                <Flex vertical gap={4}>
                  <Typography.Text type="secondary">
                    {t('targets.preview')}
                    {previewTotal !== null ? ` · ${t('targets.previewTotal', { total: format(previewTotal) })}` : ''}
                  </Typography.Text>
                  <Table
                    rowKey="period"
                    size="small"
                    columns={previewColumns}
                    dataSource={preview}
                    pagination={false}
                    scroll={{ x: 'max-content' }}
                  />
                </Flex>
              ) : spread === 'none' ? (
                <Alert
                  type="info"
                  showIcon
                  title={
                    row.view.ownMonths > 0
                      ? t('targets.spreadNoneKeeps', { months: row.view.ownMonths, total: format(currentMonthsTotal) })
                      : t('targets.spreadNoneShare')
                  }
                />
              ) : null}
            </>
          ) : (
            <>
              <Typography.Paragraph type="secondary">{t('targets.levelMonths')}</Typography.Paragraph>
              {row.view.ownMonths > 0 ? (
                <>
                  <Alert type="warning" showIcon title={t('targets.levelOverride', { months: row.view.ownMonths })} style={{ marginBottom: 8 }} />
                  <Form.Item name="overwriteMonths" valuePropName="checked">
                    <Checkbox>{t('targets.overwriteMonths')}</Checkbox>
                  </Form.Item>
                </>
              ) : null}
            </>
          )}
        </Form>

        {save.isError ? (
          <Alert
            type="error"
            showIcon
            role="alert"
            title={t('targets.saveFailed', { reason: describeError(save.error) })}
            description={
              validationLines(save.error).length > 0 ? (
                <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                  {validationLines(save.error).map((line) => (
                    <li key={line}>
                      <Typography.Text code>{line}</Typography.Text>
                    </li>
                  ))}
                </ul>
              ) : undefined
            }
          />
        ) : null}
      </Flex>
    </Drawer>
  );
}
