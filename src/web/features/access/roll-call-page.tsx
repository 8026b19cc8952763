import { PrinterOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Empty, Flex, Form, Typography } from 'antd';
import { useIsFetching, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { LoadError, PageSpin } from '../../app/status-pages';
import { useSetSearchParam } from '../../app/use-search-param';
import { formatShanghai, LastRefresh, siteLabel, SiteSelect, sortedSites } from './live-parts';
import { useRollCall, useSites, type RollCallRow } from './live-queries';
import './live-print.css';

// The roll-call prints on A4 portrait (a later @page rule wins over the app's landscape).
const pageRule = '@media print { @page { size: A4 portrait; margin: 12mm 10mm 14mm; } }';

interface UnitGroup {
  key: string;
  name: string;
  rows: RollCallRow[];
  /** The running number of the group's first person. */
  first: number;
}

/** 场内人员点名: who is inside a site now, by unit, printable for an evacuation roll-call. */
export function RollCallPage() {
  const { t, i18n } = useTranslation();
  const [params] = useSearchParams();
  const set = useSetSearchParam();
  const client = useQueryClient();
  const busy = useIsFetching({ queryKey: ['accessLive', 'roll-call'] }) > 0;
  const sites = useSites();
  const siteRows = sites.data?.rows ?? [];
  const site = params.get('site') ?? sortedSites(siteRows)[0]?.code;
  const rollCall = useRollCall(site);
  const data = rollCall.data;
  const siteInfo = siteRows.find((s) => s.code === site);
  const siteName = siteInfo ? siteLabel(siteInfo, i18n.language) : (data?.nameZh ?? site ?? '');

  const groups = useMemo<UnitGroup[]>(() => {
    const by = new Map<string, UnitGroup>();
    for (const r of data?.rows ?? []) {
      const key = r.unit?.code ?? '';
      const g = by.get(key) ?? { key, name: r.unit ? `${r.unit.name} (${r.unit.code})` : t('accessLive.rollCall.noUnit'), rows: [], first: 1 };
      g.rows.push(r);
      by.set(key, g);
    }
    // Units in the server's order; the people without a unit (visitors, contractors) last.
    const sorted = [...by.values()].sort((a, b) => (a.key === '' ? 1 : b.key === '' ? -1 : 0));
    let next = 1;
    for (const g of sorted) {
      g.first = next;
      next += g.rows.length;
    }
    return sorted;
  }, [data, t]);

  return (
    <Flex vertical gap={16} className="live-roll-call">
      <style>{pageRule}</style>
      <Flex gap={8} wrap align="center" justify="space-between" className="no-print">
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('accessLive.rollCall.title')}
        </Typography.Title>
        <Flex gap={12} wrap align="center">
          <LastRefresh at={rollCall.dataUpdatedAt || undefined} busy={busy} onRefresh={() => void client.invalidateQueries({ queryKey: ['accessLive', 'roll-call'] })} />
          <Button type="primary" icon={<PrinterOutlined aria-hidden />} onClick={() => window.print()} disabled={!data}>
            {t('accessLive.rollCall.print')}
          </Button>
        </Flex>
      </Flex>
      <Form layout="inline" className="no-print">
        <Form.Item label={t('accessLive.common.site')} htmlFor="roll-call-site">
          <SiteSelect id="roll-call-site" sites={siteRows} value={site} onChange={(v) => set('site', v)} loading={sites.isPending} />
        </Form.Item>
      </Form>
      {sites.isError ? <LoadError error={sites.error} onRetry={() => void sites.refetch()} /> : null}
      {!site && sites.data ? (
        <Card>
          <Empty description={t('accessLive.live.noSites')} />
        </Card>
      ) : rollCall.isError ? (
        <LoadError error={rollCall.error} onRetry={() => void rollCall.refetch()} />
      ) : !data ? (
        site ? <PageSpin /> : null
      ) : (
        <div className="live-sheet">
          <header className="live-sheet-head">
            <h2>{t('accessLive.rollCall.sheetTitle', { site: siteName })}</h2>
            <div className="live-sheet-meta">
              <span>{t('accessLive.rollCall.at', { time: formatShanghai(data.at) })}</span>
              <span data-testid="roll-call-count">{t('accessLive.rollCall.count', { count: data.count })}</span>
              {data.capacity ? <span>{t('accessLive.rollCall.capacity', { capacity: data.capacity })}</span> : null}
              <span>{t('accessLive.rollCall.units', { count: groups.length })}</span>
            </div>
          </header>
          {data.namesMasked ? <Alert className="no-print" type="info" showIcon title={t('accessLive.rollCall.masked')} /> : null}
          {data.rows.length === 0 ? (
            <Empty description={t('accessLive.rollCall.empty')} />
          ) : (
            groups.map((g) => (
              <section key={g.key} className="live-unit">
                <h3>
                  {g.name} <span className="live-unit-count">{t('accessLive.rollCall.groupCount', { count: g.rows.length })}</span>
                </h3>
                <div className="live-table-wrap">
                  <table className="live-table">
                    <thead>
                      <tr>
                        <th className="live-col-no">{t('accessLive.rollCall.no')}</th>
                        <th className="live-col-tick">{t('accessLive.rollCall.tick')}</th>
                        <th>{t('accessLive.common.name')}</th>
                        <th>{t('accessLive.common.code')}</th>
                        <th>{t('accessLive.common.category')}</th>
                        <th>{t('accessLive.rollCall.since')}</th>
                        <th>{t('accessLive.common.checkpoint')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {g.rows.map((r, i) => {
                        return (
                          <tr key={r.person}>
                            <td className="live-col-no">{g.first + i}</td>
                            <td className="live-col-tick">
                              <input type="checkbox" className="live-tick" aria-label={t('accessLive.rollCall.tickPerson', { name: r.name })} />
                            </td>
                            <td>{r.name}</td>
                            <td>{r.person}</td>
                            <td>{t(`accessLive.categories.${r.category as 'employee'}`, { defaultValue: r.category })}</td>
                            <td className="num">{formatShanghai(r.since, 'dateHm')}</td>
                            <td>{r.checkpoint}</td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                </div>
              </section>
            ))
          )}
          <footer className="live-sheet-foot">
            <span>{t('accessLive.rollCall.caller')}</span>
            <span>{t('accessLive.rollCall.checkedAt')}</span>
          </footer>
        </div>
      )}
    </Flex>
  );
}
