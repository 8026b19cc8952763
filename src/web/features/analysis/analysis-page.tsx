import { TrophyOutlined } from '@ant-design/icons';
import { Button, Col, Empty, Flex, Form, List, Row, Select, Table, Typography, theme } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { GroupView } from '../../../server/modules/analysis/analysis.schemas';
import { LoadError, PageSpin } from '../../app/status-pages';
import { formatNumber, formatPercent } from '../benchmarking/format';
import { PeriodPicker } from '../benchmarking/period-picker';
import { useSelection } from '../benchmarking/selection';
import { GapHeatmap, RankingBars, UnitRadar } from './analysis-charts';
import { nameIn, scorecardLink, useGroupView } from './queries';
import { ScopeSwitch, useScopeParam } from '../benchmarking/scope-switch';
import { StatCards } from '../benchmarking/stat-cards';
import { DrilldownDrawer } from '../drilldown/lazy-drilldown-drawer';
import { useDrilldown } from '../drilldown/use-drilldown';
import { Panel } from '../../app/panel';

type WeakSpot = GroupView['weakSpots'][number];

/** 集团对标分析: every unit against its targets at once, with the way down to a unit's scorecard. */
export function AnalysisPage() {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  const locale = i18n.language;
  const navigate = useNavigate();
  const { period, setPeriod } = useSelection();
  const [scope, setScope] = useScopeParam();
  const group = useGroupView(period, scope);
  const [radarUnit, setRadarUnit] = useState<string | undefined>(undefined);
  const drilldown = useDrilldown();

  const view = group.data;
  const open = (unit: string) => {
    if (view) void navigate(scorecardLink(unit, view.period, view.scope));
  };
  // A cell's number: where it comes from.
  const drill = (cell: { unit: string; indicator: string }) => {
    if (view) drilldown.open({ unit: cell.unit, indicator: cell.indicator, period: view.period, scope: view.scope });
  };
  const chosenUnit = view && radarUnit && view.units.some((unit) => unit.unit === radarUnit) ? radarUnit : view?.units[0]?.unit;

  const weakColumns: TableColumnsType<WeakSpot> = [
    { key: 'unit', title: t('analysis.unit'), render: (_v, row) => nameIn(locale, row.unitName, row.unitNameEn) },
    {
      key: 'indicator',
      title: t('analysis.indicator'),
      render: (_v, row) => (
        <Button
          type="link"
          size="small"
          style={{ padding: 0, height: 'auto' }}
          aria-label={t('drilldown.openActual', { name: nameIn(locale, row.name, row.nameEn), value: formatNumber(row.actual, locale) })}
          onClick={(event) => {
            event.stopPropagation();
            drill(row);
          }}
        >
          {nameIn(locale, row.name, row.nameEn)}
        </Button>
      ),
    },
    { key: 'actual', title: t('analysis.actual'), align: 'right', render: (_v, row) => <span className="num">{formatNumber(row.actual, locale)}</span> },
    { key: 'target', title: t('analysis.target'), align: 'right', render: (_v, row) => <span className="num">{formatNumber(row.target, locale)}</span> },
    {
      key: 'gap',
      title: t('analysis.gapPercent'),
      align: 'right',
      render: (_v, row) => (
        <span className="num" style={{ color: token.colorErrorText }}>
          {formatPercent(row.gapPercent, locale, true)}
        </span>
      ),
    },
    { key: 'rank', title: t('analysis.rank'), align: 'right', render: (_v, row) => (row.rank === null ? '—' : `${row.rank} / ${row.rankOf}`) },
  ];

  const cards = view
    ? [
        { key: 'units', title: t('analysis.units'), value: String(view.totals.units), detail: t('analysis.unitsDetail'), color: undefined },
        {
          key: 'attainment',
          title: t('analysis.attainment'),
          value: formatPercent(view.totals.attainmentRate, locale),
          detail:
            view.totals.withTarget > 0
              ? t('analysis.attainedOf', { attained: view.totals.attained, total: view.totals.withTarget })
              : t('analysis.noTargets'),
          color: (view.totals.attainmentRate ?? 0) >= 100 ? token.colorSuccessText : undefined,
        },
        {
          key: 'records',
          title: t('analysis.records'),
          value: String(view.totals.records),
          detail: t('analysis.recordsDetail'),
          color: view.totals.records > 0 ? token.colorWarningText : undefined,
        },
      ]
    : [];

  return (
    <Flex vertical gap={16}>
      <div>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('analysis.title')}
        </Typography.Title>
        {view ? (
          <Typography.Text type="secondary">{t('analysis.heading', { period: view.period, scope: t(`analysis.scopes.${view.scope}`) })}</Typography.Text>
        ) : null}
      </div>
      <Form layout="inline" style={{ rowGap: 8 }}>
        <Form.Item label={t('benchmarking.period')} htmlFor="analysis-period">
          <PeriodPicker id="analysis-period" value={period} onChange={setPeriod} />
        </Form.Item>
        <Form.Item label={t('analysis.scope')}>
          <ScopeSwitch value={scope} onChange={setScope} />
        </Form.Item>
      </Form>
      {group.isError ? (
        <LoadError error={group.error} onRetry={() => void group.refetch()} />
      ) : !view ? (
        <PageSpin />
      ) : view.units.length === 0 ? (
        <Panel>
          <Empty description={t('analysis.empty')} />
        </Panel>
      ) : (
        <>
          <StatCards cards={cards} span={{ xs: 24, sm: 8 }} />
          <Panel size="small" title={t('analysis.heatmap')}>
            <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
              {t('drilldown.heatmapHint')}
            </Typography.Paragraph>
            <GapHeatmap view={view} onOpen={drill} />
          </Panel>
          <Row gutter={[12, 12]}>
            <Col xs={24} lg={12}>
              <Panel size="small" title={t('analysis.ranking')} style={{ height: '100%' }}>
                <RankingBars units={view.units} label={t('analysis.rankingLabel')} />
              </Panel>
            </Col>
            <Col xs={24} lg={12}>
              <Panel
                size="small"
                title={t('analysis.radar')}
                style={{ height: '100%' }}
                extra={
                  <Select<string>
                    size="small"
                    value={chosenUnit}
                    onChange={setRadarUnit}
                    aria-label={t('analysis.unit')}
                    options={view.units.map((unit) => ({ value: unit.unit, label: nameIn(locale, unit.name, unit.nameEn) }))}
                    style={{ width: 180 }}
                    showSearch={{ optionFilterProp: 'label' }}
                  />
                }
              >
                <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 0 }}>
                  {t('analysis.radarHint')}
                </Typography.Paragraph>
                {chosenUnit ? <UnitRadar view={view} unit={chosenUnit} /> : null}
              </Panel>
            </Col>
          </Row>
          <Row gutter={[12, 12]}>
            <Col xs={24} xl={14}>
              <Panel size="small" title={t('analysis.weakSpots')} style={{ height: '100%' }}>
                <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
                  {t('drilldown.weakSpotsHint')}
                </Typography.Paragraph>
                <Table<WeakSpot>
                  size="small"
                  rowKey={(row) => `${row.unit}|${row.indicator}`}
                  columns={weakColumns}
                  dataSource={view.weakSpots}
                  pagination={{ pageSize: 10, hideOnSinglePage: true }}
                  locale={{ emptyText: t('analysis.noWeakSpots') }}
                  onRow={(row) => ({ onClick: () => drill(row), style: { cursor: 'pointer' } })}
                  scroll={{ x: 560 }}
                />
              </Panel>
            </Col>
            <Col xs={24} xl={10}>
              <Panel size="small" title={t('analysis.recordsList')} style={{ height: '100%' }}>
                <List
                  size="small"
                  dataSource={view.records}
                  locale={{ emptyText: t('analysis.noRecords') }}
                  renderItem={(record) => (
                    <List.Item
                      key={`${record.unit}|${record.indicator}`}
                      onClick={() => open(record.unit)}
                      style={{ cursor: 'pointer' }}
                      extra={
                        <span className="num">
                          {formatNumber(record.actual, locale)}
                          {record.uom ? ` ${record.uom}` : ''}
                        </span>
                      }
                    >
                      <List.Item.Meta
                        avatar={<TrophyOutlined aria-hidden style={{ color: token.colorWarning }} />}
                        title={nameIn(locale, record.name, record.nameEn)}
                        description={nameIn(locale, record.unitName, record.unitNameEn)}
                      />
                    </List.Item>
                  )}
                />
              </Panel>
            </Col>
          </Row>
          <DrilldownDrawer
            target={drilldown.target}
            onClose={drilldown.close}
            extra={drilldown.target ? <Button onClick={() => open(drilldown.target!.unit)}>{t('drilldown.openScorecard')}</Button> : null}
          />
        </>
      )}
    </Flex>
  );
}
