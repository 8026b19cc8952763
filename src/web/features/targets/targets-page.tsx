import { App, Card, DatePicker, Empty, Flex, Form, Typography } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { Indicator } from '../../../server/modules/indicators/indicators.schemas';
import { usePermission } from '../../app/session';
import { LoadError, PageSpin } from '../../app/status-pages';
import { useSelection } from '../benchmarking/selection';
import { UnitPicker } from '../benchmarking/unit-picker';
import { useIndicatorSet, useIndicators } from '../indicators/queries';
import { useUnits } from '../units/queries';
import { onDemand } from '../../app/on-demand';
import { indicatorName, TargetsTable, type TargetsRow } from './components/targets-table';
import { useTargets } from './queries';
import { yearTargets } from './target-levels';

/** A target's drawer, shown only once a row is opened: its code loads then. */
const TargetDrawer = onDemand(async () => (await import(/* on demand */ './components/target-drawer')).TargetDrawer, () => true);

const yearPattern = /^\d{4}$/;

/**
 * The year of the page, kept in the address (`?year=2020`) next to the shared `?unit=`; without one,
 * the year of the benchmarking pages' period (the newspaper's year in the demo).
 */
function useYear(period: string | undefined): [number | undefined, (year: number) => void] {
  const [searchParams, setSearchParams] = useSearchParams();
  const param = searchParams.get('year');
  const year = param && yearPattern.test(param) ? Number(param) : period ? Number(period.slice(0, 4)) : undefined;
  const setYear = useCallback(
    (next: number) =>
      setSearchParams(
        (params) => {
          const updated = new URLSearchParams(params);
          updated.set('year', String(next));
          return updated;
        },
        { replace: true },
      ),
    [setSearchParams],
  );
  return [year, setYear];
}

/** 目标设定: a unit's floor, target and stretch per indicator for a year, and the assistant that proposes them. */
export function TargetsPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const can = usePermission();
  const canWrite = can('indicator.write');
  const { unit, period, settled, setUnit } = useSelection();
  const [year, setYear] = useYear(period);
  const set = useIndicatorSet(unit);
  const library = useIndicators();
  const targets = useTargets(unit, year);
  const units = useUnits();
  const [open, setOpen] = useState<string | null>(null);

  const rows = useMemo((): TargetsRow[] | null => {
    if (!set.data || !library.data || !targets.data || !year) return null;
    const byCode = new Map<string, Indicator>(library.data.map((indicator) => [indicator.code, indicator]));
    return [...set.data.items]
      .sort((a, b) => a.sortOrder - b.sortOrder)
      .map((item) => {
        const indicator = byCode.get(item.indicator);
        const own = targets.data.filter((row) => row.indicator === item.indicator);
        return { code: item.indicator, indicator, view: yearTargets(year, own, indicator?.aggregation ?? 'avg') };
      });
  }, [set.data, library.data, targets.data, year]);

  const unitRow = units.data?.find((candidate) => candidate.code === unit);
  const unitName = unitRow ? (i18n.language === 'en-US' && unitRow.nameEn ? unitRow.nameEn : unitRow.nameZh) : (unit ?? '');
  const openRow = rows?.find((row) => row.code === open);
  const withTargets = rows?.filter((row) => row.view.annual !== null).length ?? 0;
  const failed = set.isError ? set : library.isError ? library : targets.isError ? targets : null;

  return (
    <Flex vertical gap={16}>
      <div>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('targets.title')}
        </Typography.Title>
        <Typography.Text type="secondary">{t('targets.intro')}</Typography.Text>
      </div>
      <Form layout="inline" style={{ rowGap: 8 }}>
        <Form.Item label={t('benchmarking.unit')} htmlFor="targets-unit">
          <UnitPicker id="targets-unit" value={unit} onChange={setUnit} />
        </Form.Item>
        <Form.Item label={t('targets.year')} htmlFor="targets-year">
          <DatePicker
            id="targets-year"
            picker="year"
            allowClear={false}
            value={year ? dayjs(new Date(year, 0, 1)) : null}
            onChange={(next) => {
              if (next) setYear(next.year());
            }}
            format="YYYY"
            style={{ width: 120 }}
          />
        </Form.Item>
      </Form>
      {failed ? (
        <LoadError error={failed.error} onRetry={() => void failed.refetch()} />
      ) : !rows ? (
        settled && !unit ? <Empty description={t('benchmarking.pickUnit')} /> : <PageSpin />
      ) : rows.length === 0 ? (
        <Card>
          <Empty description={t('benchmarking.noIndicators')} />
        </Card>
      ) : (
        <>
          <Typography.Text type="secondary">
            {t('targets.summary', { set: withTargets, total: rows.length, year })}
            {canWrite ? '' : ` ${t('targets.readOnly')}`}
          </Typography.Text>
          <TargetsTable rows={rows} loading={targets.isFetching || set.isFetching} canWrite={canWrite} onSet={setOpen} />
        </>
      )}
      {openRow?.indicator && unit && year ? (
        <TargetDrawer
          key={`${unit}/${year}/${openRow.code}`}
          unit={unit}
          unitName={unitName}
          year={year}
          row={{ ...openRow, indicator: openRow.indicator }}
          onClose={() => setOpen(null)}
          onSaved={() => {
            void message.success(t('targets.saved', { name: indicatorName(openRow, i18n.language), year }));
            setOpen(null);
          }}
        />
      ) : null}
    </Flex>
  );
}
