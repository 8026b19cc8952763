import { AimOutlined, WarningOutlined } from '@ant-design/icons';
import { Button, Flex, Grid, Table, Tag, Tooltip, Typography, theme } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Indicator } from '../../../../server/modules/indicators/indicators.schemas';
import { formatNumber } from '../../benchmarking/format';
import type { YearTargets } from '../target-levels';
import { LevelCell } from './level-cell';
import { MonthBreakdown } from './month-breakdown';

/** One indicator of the unit's set with its targets for the year. */
export interface TargetsRow {
  code: string;
  indicator: Indicator | undefined;
  view: YearTargets;
}

const right = { align: 'right' as const };

/** The name of an indicator in the UI language (its code while the library loads). */
export function indicatorName(row: Pick<TargetsRow, 'code' | 'indicator'>, locale: string): string {
  if (!row.indicator) return row.code;
  return locale === 'en-US' && row.indicator.nameEn ? row.indicator.nameEn : row.indicator.nameZh;
}

/** The unit's indicators with annual floor, target and stretch and their basis; a row opens its twelve months. */
export function TargetsTable({
  rows,
  loading,
  canWrite,
  onSet,
}: {
  rows: TargetsRow[];
  loading: boolean;
  canWrite: boolean;
  onSet: (code: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  const screens = Grid.useBreakpoint();
  const locale = i18n.language;

  // A phone shows the three levels in one column and the basis under the name, so that the
  // target is on screen without scrolling sideways.
  const compact = !screens.sm;
  const precisionOf = (row: TargetsRow) => row.indicator?.precision;

  const targetCell = (row: TargetsRow) =>
    row.view.annual ? (
      <Flex gap={4} justify="flex-end" align="center">
        {row.view.monthsTotal !== null ? (
          <Tooltip title={t('targets.monthsTotalDiffers', { total: formatNumber(row.view.monthsTotal, locale, precisionOf(row)) })}>
            <WarningOutlined aria-label={t('targets.monthsTotalDiffersShort')} style={{ color: token.colorWarning }} />
          </Tooltip>
        ) : null}
        <LevelCell value={row.view.annual.target} precision={precisionOf(row)} source={row.view.annualSource} strong />
      </Flex>
    ) : (
      <Tag style={{ marginInlineEnd: 0 }}>{t('targets.notSet')}</Tag>
    );

  const basisLines = (row: TargetsRow, width: number) => (
    <Flex vertical gap={0}>
      <Typography.Text style={{ maxWidth: width, fontSize: compact ? token.fontSizeSM : undefined }} ellipsis={{ tooltip: row.view.basis }}>
        {row.view.basis}
      </Typography.Text>
      {row.view.annualSource === 'months' ? (
        <Typography.Text type="secondary" style={{ fontSize: token.fontSizeSM }}>
          {t('targets.fromMonths')}
        </Typography.Text>
      ) : null}
    </Flex>
  );

  const indicatorColumn: TableColumnsType<TargetsRow>[number] = {
    key: 'indicator',
    title: t('targets.indicator'),
    fixed: screens.md ? 'left' : undefined,
    width: screens.md ? 220 : compact ? 136 : 160,
    render: (_v, row) => (
      <Flex vertical gap={2}>
        <Typography.Text strong>{indicatorName(row, locale)}</Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: token.fontSizeSM }}>
          {row.code}
          {row.indicator?.uom ? ` · ${row.indicator.uom}` : ''}
          {row.indicator ? ` · ${t(`benchmarking.directions.${row.indicator.direction}`)}` : ''}
        </Typography.Text>
        {compact && row.view.basis ? basisLines(row, 128) : null}
      </Flex>
    ),
  };

  const levelColumns: TableColumnsType<TargetsRow> = compact
    ? [
        {
          key: 'levels',
          title: t('targets.target'),
          ...right,
          render: (_v, row) => (
            <Flex vertical gap={2} align="flex-end">
              {targetCell(row)}
              {row.view.annual ? (
                <Typography.Text type="secondary" style={{ fontSize: token.fontSizeSM }}>
                  <LevelCell value={row.view.annual.floor} precision={precisionOf(row)} source={row.view.annualSource} /> ~{' '}
                  <LevelCell value={row.view.annual.stretch} precision={precisionOf(row)} source={row.view.annualSource} />
                </Typography.Text>
              ) : null}
            </Flex>
          ),
        },
      ]
    : [
        {
          key: 'floor',
          title: t('targets.floor'),
          width: 120,
          ...right,
          render: (_v, row) => <LevelCell value={row.view.annual?.floor} precision={precisionOf(row)} source={row.view.annualSource} />,
        },
        { key: 'target', title: t('targets.target'), width: 130, ...right, render: (_v, row) => targetCell(row) },
        {
          key: 'stretch',
          title: t('targets.stretch'),
          width: 120,
          ...right,
          render: (_v, row) => <LevelCell value={row.view.annual?.stretch} precision={precisionOf(row)} source={row.view.annualSource} />,
        },
        { key: 'basis', title: t('targets.basis'), width: 260, render: (_v, row) => basisLines(row, 260) },
      ];

  const actionColumns: TableColumnsType<TargetsRow> = canWrite
    ? [
        {
          key: 'actions',
          title: compact ? null : t('common.actions'),
          width: compact ? 48 : 120,
          fixed: screens.md ? 'right' : undefined,
          render: (_v, row) => (
            <Button
              size="small"
              icon={<AimOutlined aria-hidden />}
              onClick={() => onSet(row.code)}
              aria-label={`${t('targets.set')} ${row.code}`}
              title={t('targets.set')}
              disabled={!row.indicator}
            >
              {compact ? null : t('targets.set')}
            </Button>
          ),
        },
      ]
    : [];

  const columns: TableColumnsType<TargetsRow> = [indicatorColumn, ...levelColumns, ...actionColumns];

  return (
    <Table<TargetsRow>
      rowKey="code"
      size="small"
      bordered
      columns={columns}
      dataSource={rows}
      loading={loading}
      pagination={false}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: t('benchmarking.noIndicators') }}
      expandable={{
        expandedRowRender: (row) => <MonthBreakdown months={row.view.months} precision={row.indicator?.precision} />,
      }}
    />
  );
}
