import { App, Empty, Flex, Form, Tabs, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBlocker, useSearchParams } from 'react-router';
import { LoadError, PageSpin } from '../../app/status-pages';
import { PeriodPicker } from '../benchmarking/period-picker';
import { useSelection } from '../benchmarking/selection';
import { UnitPicker } from '../benchmarking/unit-picker';
import { EntryGridPanel } from './components/entry-grid';
import { MissingReportPanel } from './components/missing-report';
import { changedValues, type Edits } from './entry-edits';
import { useEntryGrid } from './queries';

type Tab = 'grid' | 'missing';

/** 数据填报: a unit's values for a month, and which units still have to report. */
export function EntryPage() {
  const { t } = useTranslation();
  const { modal } = App.useApp();
  const { unit, period, settled, setUnit, setPeriod } = useSelection({ monthOnly: true });
  const [searchParams, setSearchParams] = useSearchParams();
  const tab: Tab = searchParams.get('tab') === 'missing' ? 'missing' : 'grid';
  const grid = useEntryGrid(unit, period);
  const [edits, setEdits] = useState<Edits>({});
  const dirty = grid.data ? changedValues(grid.data, edits).length > 0 : false;

  /** Runs `action` at once, or after the user agreed to drop unsaved edits. */
  const guarded = (action: () => void) => {
    if (!dirty) {
      setEdits({});
      action();
      return;
    }
    void modal.confirm({
      title: t('entry.unsavedTitle'),
      content: t('entry.unsavedContent'),
      okText: t('entry.discard'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: () => {
        setEdits({});
        action();
      },
    });
  };

  // One update for both: two in a row would each start from the same address and the first be lost.
  const show = (next: { tab: Tab; unit?: string }) =>
    setSearchParams(
      (params) => {
        const updated = new URLSearchParams(params);
        updated.set('tab', next.tab);
        if (next.unit) updated.set('unit', next.unit);
        return updated;
      },
      { replace: true },
    );

  // Leaving the page (menu, back button) with unsaved edits asks first; so does closing the tab.
  const blocker = useBlocker(({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname);
  useEffect(() => {
    if (blocker.state !== 'blocked') return;
    void modal.confirm({
      title: t('entry.unsavedTitle'),
      content: t('entry.unsavedContent'),
      okText: t('entry.discard'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: () => blocker.proceed(),
      onCancel: () => blocker.reset(),
    });
  }, [blocker, modal, t]);
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  return (
    <Flex vertical gap={16}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('entry.title')}
      </Typography.Title>
      <Form layout="inline" style={{ rowGap: 8 }}>
        {tab === 'grid' ? (
          <Form.Item label={t('benchmarking.unit')} htmlFor="entry-unit">
            <UnitPicker id="entry-unit" value={unit} onChange={(next) => guarded(() => setUnit(next))} />
          </Form.Item>
        ) : null}
        <Form.Item label={t('benchmarking.period')} htmlFor="entry-period">
          <PeriodPicker id="entry-period" kinds={['month']} value={period} onChange={(next) => guarded(() => setPeriod(next))} />
        </Form.Item>
      </Form>
      <Tabs
        activeKey={tab}
        onChange={(key) => show({ tab: key as Tab })}
        items={[
          {
            key: 'grid',
            label: t('entry.tabGrid'),
            children: grid.isError ? (
              <LoadError error={grid.error} onRetry={() => void grid.refetch()} />
            ) : grid.data ? (
              <EntryGridPanel key={`${grid.data.unit}/${grid.data.period}`} grid={grid.data} edits={edits} setEdits={setEdits} fetching={grid.isFetching} />
            ) : settled && !unit ? (
              <Empty description={t('benchmarking.pickUnit')} />
            ) : (
              <PageSpin />
            ),
          },
          {
            key: 'missing',
            label: t('entry.tabMissing'),
            children: period ? (
              <MissingReportPanel
                period={period}
                onOpen={(next) => guarded(() => show({ tab: 'grid', unit: next }))}
              />
            ) : null,
          },
        ]}
      />
    </Flex>
  );
}
