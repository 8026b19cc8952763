import { PrinterOutlined } from '@ant-design/icons';
import { Button, Empty, Flex, Form, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { LoadError, PageSpin } from '../../app/status-pages';
import { PeriodPicker } from '../benchmarking/period-picker';
import { useSelection } from '../benchmarking/selection';
import { UnitPicker } from '../benchmarking/unit-picker';
import { useIndicatorMap } from '../indicators/queries';
import { GapChart, ScorecardSummary } from './components/scorecard-summary';
import { ScorecardTable } from './components/scorecard-table';
import { useScorecard } from './queries';
import { ScopeSwitch, useScopeParam } from '../benchmarking/scope-switch';
import { DrilldownDrawer } from '../drilldown/lazy-drilldown-drawer';
import { useDrilldown } from '../drilldown/use-drilldown';
import { onDemand } from '../../app/on-demand';
import { Panel } from '../../app/panel';

/** An indicator's drawer (trend chart, history): its code loads when a row first opens it. */
const IndicatorDrawer = onDemand(
  async () => (await import(/* on demand */ './components/indicator-drawer')).IndicatorDrawer,
  (props) => props.row !== null,
);

/** 对标看板: a unit's indicators for a period against target, benchmark and its own best. */
export function ScorecardPage() {
  const { t, i18n } = useTranslation();
  const { unit, period, settled, setUnit, setPeriod } = useSelection();
  const [scope, setScope] = useScopeParam();
  const scorecard = useScorecard(unit, period, scope);
  const indicators = useIndicatorMap();
  const [openIndicator, setOpenIndicator] = useState<string | null>(null);
  const drilldown = useDrilldown();

  const data = scorecard.data;
  const unitLabel = data ? (i18n.language === 'en-US' && data.unitNameEn ? data.unitNameEn : data.unitName) : unit;
  const openRow = data?.rows.find((row) => row.indicator === openIndicator) ?? null;

  return (
    <Flex vertical gap={16} className="print-compact">
      <Flex gap={8} wrap justify="space-between" align="center">
        <div>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('scorecard.title')}
          </Typography.Title>
          {data ? (
            <Typography.Text type="secondary">
              {t('scorecard.heading', { unit: unitLabel, period: data.period, scope: t(`scorecard.scopes.${data.scope}`) })}
              {data.months.length > 1 ? ` (${data.months[0]} – ${data.months.at(-1)})` : ''}
            </Typography.Text>
          ) : null}
        </div>
        <Button className="no-print" icon={<PrinterOutlined aria-hidden />} onClick={() => window.print()} disabled={!data}>
          {t('scorecard.print')}
        </Button>
      </Flex>
      <Form layout="inline" className="no-print" style={{ rowGap: 8 }}>
        <Form.Item label={t('benchmarking.unit')} htmlFor="scorecard-unit">
          <UnitPicker id="scorecard-unit" value={unit} onChange={setUnit} />
        </Form.Item>
        <Form.Item label={t('benchmarking.period')} htmlFor="scorecard-period">
          <PeriodPicker id="scorecard-period" value={period} onChange={setPeriod} />
        </Form.Item>
        <Form.Item label={t('scorecard.scope')}>
          <ScopeSwitch value={scope} onChange={setScope} />
        </Form.Item>
      </Form>
      {scorecard.isError ? (
        <LoadError error={scorecard.error} onRetry={() => void scorecard.refetch()} />
      ) : !data ? (
        settled && !unit ? <Empty description={t('benchmarking.pickUnit')} /> : <PageSpin />
      ) : data.rows.length === 0 ? (
        <Panel>
          <Empty description={t('benchmarking.noIndicators')} />
        </Panel>
      ) : (
        <>
          <ScorecardSummary rows={data.rows} />
          <ScorecardTable
            rows={data.rows}
            indicators={indicators}
            loading={scorecard.isFetching}
            onOpen={setOpenIndicator}
            onDrill={(indicator) => drilldown.open({ unit: data.unit, indicator, period: data.period, scope: data.scope })}
          />
          <Panel size="small" title={t('scorecard.chartTitle')}>
            <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
              {t('scorecard.chartHint')}
            </Typography.Paragraph>
            <GapChart rows={data.rows} />
          </Panel>
          <IndicatorDrawer
            scorecard={data}
            row={openRow}
            indicator={openRow ? indicators.get(openRow.indicator) : undefined}
            onClose={() => setOpenIndicator(null)}
          />
          <DrilldownDrawer target={drilldown.target} onClose={drilldown.close} />
        </>
      )}
    </Flex>
  );
}
