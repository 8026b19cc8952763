import { FileExcelOutlined, LeftOutlined, PrinterOutlined, RightOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, DatePicker, Empty, Flex, Select, Spin, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { addDays, daysBetween } from '../../../../domain/notices/week';
import { downloadFile } from '../../../app/api-client';
import { hasErrorCode } from '../../../app/errors';
import { formatDateTime } from '../../../app/format';
import { PageSpin } from '../../../app/status-pages';
import { useSetSearchParam } from '../../../app/use-search-param';
import { HistoryChart, SiteChart, TrendChart } from './briefing-charts';
import './briefing-print.css';
import { formatQuantity, formatYuan, longDate, nameIn, percentOf, shanghaiToday, useSupportError } from './support-parts';
import { briefingXlsxPath, useBriefing, useBriefingHistory, useIncidents, type Briefing } from './support-queries';

// The briefing prints on A4 portrait, unlike the rest of the app (landscape): a later @page rule wins.
const pageRule = '@media print { @page { size: A4 portrait; margin: 10mm 10mm 12mm; } }';
const isDay = (v: string | null): v is string => v !== null && /^\d{4}-\d{2}-\d{2}$/.test(v);

/** 碰头会日报: one day of an incident for the leadership group, with its running totals, charts and tables; prints on A4 and downloads as xlsx. */
export function BriefingPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const describe = useSupportError();
  const [params] = useSearchParams();
  const set = useSetSearchParam();
  const dateParam = isDay(params.get('date')) ? (params.get('date') ?? undefined) : undefined;
  const incidentParam = params.get('incident') ?? undefined;
  const briefing = useBriefing(dateParam, incidentParam);
  const history = useBriefingHistory(incidentParam);
  const incidents = useIncidents();
  const [downloading, setDownloading] = useState(false);

  const b = briefing.isError ? undefined : briefing.data;
  const today = shanghaiToday();
  const date = b?.date ?? dateParam;
  const start = b?.incident.startDate;
  const goTo = (day: string | null) => set('date', day);
  const canBack = Boolean(b && date && start && date > start);
  const canForward = Boolean(b && date && date < today);

  const download = () => {
    if (!b) return;
    setDownloading(true);
    downloadFile(briefingXlsxPath, { date: b.date, incident: b.incident.id }, `pacesetter-briefing-${b.date}.xlsx`)
      .catch((error: unknown) => void message.error(describe(error)))
      .finally(() => setDownloading(false));
  };

  const incidentRows = incidents.data?.rows ?? [];
  let body: ReactNode;
  if (briefing.isError) {
    const error = briefing.error;
    body = hasErrorCode(error, 'INCIDENT_NOT_FOUND') ? (
      <Card>
        <Empty description={t('healthSupport.briefing.noIncident')}>
          <Link to="/health/incidents">
            <Button type="primary">{t('healthSupport.briefing.toIncidents')}</Button>
          </Link>
        </Empty>
      </Card>
    ) : (
      <Alert
        type={hasErrorCode(error, 'BRIEFING_DATE') || hasErrorCode(error, 'BRIEFING_NOT_STORED') ? 'warning' : 'error'}
        showIcon
        title={describe(error)}
        action={
          <Flex gap={8}>
            {dateParam ? (
              <Button size="small" onClick={() => goTo(null)}>
                {t('healthSupport.briefing.latest')}
              </Button>
            ) : null}
            <Button size="small" onClick={() => void briefing.refetch()}>
              {t('common.retry')}
            </Button>
          </Flex>
        }
      />
    );
  } else if (!b) {
    body = <PageSpin />;
  } else {
    body = (
      <Spin spinning={briefing.isFetching} delay={200}>
        <BriefingSheet b={b} />
      </Spin>
    );
  }

  return (
    <Flex vertical gap={12} className="briefing-page">
      <style>{pageRule}</style>
      <Flex gap={8} wrap align="center" justify="space-between" className="no-print">
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('healthSupport.briefing.title')}
        </Typography.Title>
        <Flex gap={8} wrap>
          <Button icon={<FileExcelOutlined aria-hidden />} onClick={download} loading={downloading} disabled={!b}>
            {t('healthSupport.briefing.xlsx')}
          </Button>
          <Button type="primary" icon={<PrinterOutlined aria-hidden />} onClick={() => window.print()} disabled={!b || briefing.isFetching}>
            {t('healthSupport.briefing.print')}
          </Button>
        </Flex>
      </Flex>
      <Flex gap={8} wrap align="center" className="no-print">
        {incidentRows.length > 1 ? (
          <Select<string>
            aria-label={t('healthSupport.briefing.incident')}
            value={b?.incident.id ?? incidentParam}
            onChange={(id) => set('incident', id, { clear: ['date'] })}
            style={{ minWidth: 240 }}
            options={incidentRows.map((i) => ({ value: i.id, label: `${i.name} · ${t(`healthSupport.incidentStatus.${i.status}`)}` }))}
          />
        ) : null}
        <Button icon={<LeftOutlined aria-hidden />} aria-label={t('healthSupport.briefing.prevDay')} title={t('healthSupport.briefing.prevDay')} disabled={!canBack} onClick={() => date && goTo(addDays(date, -1))} />
        <DatePicker
          aria-label={t('healthSupport.briefing.date')}
          allowClear={false}
          value={date ? dayjs(date) : null}
          disabledDate={(d) => {
            const day = d.format('YYYY-MM-DD');
            return day > today || (start !== undefined && day < start);
          }}
          onChange={(d) => d && goTo(d.format('YYYY-MM-DD'))}
        />
        <Button icon={<RightOutlined aria-hidden />} aria-label={t('healthSupport.briefing.nextDay')} title={t('healthSupport.briefing.nextDay')} disabled={!canForward} onClick={() => date && goTo(addDays(date, 1))} />
        <Typography.Text type="secondary">{t('healthSupport.briefing.defaultHint')}</Typography.Text>
      </Flex>
      <Card size="small" className="no-print" title={t('healthSupport.briefing.history')} styles={{ body: { paddingBlock: 8 } }}>
        {history.isError ? (
          <Typography.Text type="secondary">{describe(history.error)}</Typography.Text>
        ) : !history.data ? (
          <Spin size="small" />
        ) : history.data.rows.length === 0 ? (
          <Typography.Text type="secondary">{t('healthSupport.briefing.noHistory')}</Typography.Text>
        ) : (
          <HistoryChart rows={history.data.rows} selected={date} onPick={goTo} />
        )}
      </Card>
      {body}
    </Flex>
  );
}

interface Figure {
  key: string;
  title: string;
  value: ReactNode;
  detail?: ReactNode;
  total: ReactNode;
  alert?: boolean;
  wide?: boolean;
}

function BriefingSheet({ b }: { b: Briefing }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const tot = b.totals;
  const day = daysBetween(b.incident.startDate, b.date) + 1;
  const unit = (text: string) => <small>{text}</small>;

  const figures: Figure[] = [
    {
      key: 'declarations',
      title: t('healthSupport.briefing.fig.declarations'),
      value: (
        <>
          {b.declarationsDone} {unit(`/ ${b.declarationsDue}`)}
        </>
      ),
      detail: t('healthSupport.briefing.fig.completion', { rate: percentOf(b.declarationsDone, b.declarationsDue) }),
      total: t('healthSupport.briefing.fig.declarationsTotal', { done: tot.declarationsDone }),
      alert: b.declarationsDone < b.declarationsDue,
    },
    {
      key: 'fevers',
      title: t('healthSupport.briefing.fig.fevers'),
      value: b.fevers,
      total: t('healthSupport.briefing.fig.feversTotal', { count: tot.fevers }),
      alert: b.fevers > 0,
    },
    {
      key: 'abnormal',
      title: t('healthSupport.briefing.fig.abnormal'),
      value: b.abnormalOpen,
      detail: t('healthSupport.briefing.fig.abnormalDay', { opened: b.abnormalOpened, closed: b.abnormalClosed }),
      total: t('healthSupport.briefing.fig.abnormalTotal', { opened: tot.abnormalOpened, closed: tot.abnormalClosed }),
      alert: b.abnormalOpened > 0,
    },
    {
      key: 'quarantine',
      title: t('healthSupport.briefing.fig.inQuarantine'),
      value: b.inQuarantine,
      total: t('healthSupport.briefing.fig.quarantinedTotal', { count: tot.quarantined }),
    },
    {
      key: 'contacts',
      title: t('healthSupport.briefing.fig.contacts'),
      value: b.contactsUnderFollowUp,
      total: t('healthSupport.briefing.fig.contactsTotal', { count: tot.contacts }),
    },
    {
      key: 'followUps',
      title: t('healthSupport.briefing.fig.followUps'),
      value: (
        <>
          {b.followUpsDone} {unit(`/ ${b.followUpsDue}`)}
        </>
      ),
      detail: t('healthSupport.briefing.fig.completion', { rate: percentOf(b.followUpsDone, b.followUpsDue) }),
      total: t('healthSupport.briefing.fig.followUpsTotal', { done: tot.followUpsDone, due: tot.followUpsDue, rate: percentOf(tot.followUpsDone, tot.followUpsDue) }),
      alert: b.followUpsDone < b.followUpsDue,
    },
    {
      key: 'transfers',
      title: t('healthSupport.briefing.fig.transfers'),
      value: (
        <>
          {b.transfers.trips} {unit(t('healthSupport.briefing.fig.trips'))} {b.transfers.personTrips} {unit(t('healthSupport.briefing.fig.personTrips'))}
        </>
      ),
      total: <span data-testid="briefing-transfers-total">{t('healthSupport.briefing.fig.transfersTotal', { trips: b.transfers.tripsTotal, personTrips: b.transfers.personTripsTotal })}</span>,
    },
    {
      key: 'gate',
      title: t('healthSupport.briefing.fig.gate'),
      value: (
        <>
          {b.gate.entries} {unit(t('healthSupport.briefing.fig.in'))} {b.gate.exits} {unit(t('healthSupport.briefing.fig.out'))}
        </>
      ),
      detail: t('healthSupport.briefing.fig.denied', { count: b.gate.denied }),
      total: t('healthSupport.briefing.fig.gateTotal', { entries: tot.gate.entries, exits: tot.gate.exits, denied: tot.gate.denied }),
    },
    {
      key: 'supplies',
      title: t('healthSupport.briefing.fig.supplies'),
      wide: true,
      value: null,
      detail:
        b.supplies.length === 0 ? (
          t('healthSupport.briefing.fig.noSupplies')
        ) : (
          <ul className="briefing-stock">
            {b.supplies.map((s) => (
              <li key={s.code}>
                <span>{nameIn(lang, s.nameZh, s.nameEn)}</span>
                <span className="num">
                  {formatQuantity(s.stock)} {s.unitLabel}
                </span>
              </li>
            ))}
          </ul>
        ),
      total: t('healthSupport.briefing.fig.suppliesTotal', { count: b.supplies.length }),
    },
    {
      key: 'donations',
      title: t('healthSupport.briefing.fig.donations'),
      wide: true,
      value: formatYuan(b.donations.amount),
      detail: t('healthSupport.briefing.fig.donationsDay', { count: b.donations.count }),
      total: t('healthSupport.briefing.fig.donationsTotal', { count: b.donations.countTotal, amount: formatYuan(b.donations.amountTotal) }),
    },
  ];

  return (
    <article className="briefing-sheet" data-testid="briefing-sheet">
      <header className="briefing-title">
        <h1>{t('healthSupport.briefing.sheetTitle', { name: b.incident.name, date: longDate(b.date, lang) })}</h1>
        <p>
          {t('healthSupport.briefing.sheetMeta', { start: longDate(b.incident.startDate, lang), day })}
          {' · '}
          {t(`healthSupport.incidentStatus.${b.incident.status}`)}
        </p>
      </header>
      {b.stored ? (
        <div className="briefing-note" role="note">
          {t('healthSupport.briefing.storedNote', { time: formatDateTime(b.generatedAt) })}
        </div>
      ) : b.incident.status === 'closed' ? (
        <div className="briefing-note" role="note">
          {t('healthSupport.briefing.closedNote')}
        </div>
      ) : null}
      <section className="briefing-figures" aria-label={t('healthSupport.briefing.figures')}>
        {figures.map((f) => (
          <div key={f.key} className={`briefing-figure${f.wide ? ' briefing-figure-wide' : ''}${f.alert ? ' briefing-figure-alert' : ''}`} data-testid={`figure-${f.key}`}>
            <div className="briefing-figure-title">{f.title}</div>
            {f.value !== null ? <div className="briefing-figure-value num">{f.value}</div> : null}
            {f.detail ? <div className="briefing-figure-detail">{f.detail}</div> : null}
            <div className="briefing-figure-total">{f.total}</div>
          </div>
        ))}
      </section>

      <section className="briefing-block">
        <h2>{t('healthSupport.briefing.charts')}</h2>
        <div className="briefing-charts">
          <div className="briefing-chart">
            <h3>{t('healthSupport.briefing.trendTitle')}</h3>
            <TrendChart series={b.series} />
          </div>
          <div className="briefing-chart">
            <h3>{t('healthSupport.briefing.sitesTitle')}</h3>
            <SiteChart sites={b.bySite} />
          </div>
        </div>
      </section>

      <section className="briefing-block">
        <h2>{t('healthSupport.briefing.bySite')}</h2>
        <SiteTable b={b} />
      </section>

      <section className="briefing-block">
        <h2>{t('healthSupport.briefing.byUnit')}</h2>
        <UnitTable b={b} />
      </section>

      <footer className="briefing-footer">
        <span>{t('healthSupport.briefing.scopeNote')}</span>
        <span>{t('healthSupport.briefing.generated', { time: formatDateTime(b.generatedAt) })}</span>
      </footer>
    </article>
  );
}

function SiteTable({ b }: { b: Briefing }) {
  const { t, i18n } = useTranslation();
  if (b.bySite.length === 0) return <p className="briefing-none">{t('healthSupport.briefing.noSites')}</p>;
  return (
    <div className="briefing-table-wrap">
      <table className="briefing-table" data-testid="briefing-sites">
        <thead>
          <tr>
            <th>{t('healthSupport.briefing.col.site')}</th>
            <th>{t('healthSupport.briefing.col.declarations')}</th>
            <th>{t('healthSupport.briefing.col.completion')}</th>
            <th>{t('healthSupport.briefing.col.fevers')}</th>
            <th>{t('healthSupport.briefing.col.abnormalOpened')}</th>
            <th>{t('healthSupport.briefing.col.abnormalOpen')}</th>
            <th>{t('healthSupport.briefing.col.inQuarantine')}</th>
            <th>{t('healthSupport.briefing.col.gate')}</th>
          </tr>
        </thead>
        <tbody>
          {b.bySite.map((s) => (
            <tr key={s.site}>
              <td>
                {nameIn(i18n.language, s.nameZh, s.nameEn)} <span style={{ color: '#666' }}>({s.site})</span>
              </td>
              <td className="num">
                {s.declarationsDone} / {s.declarationsDue}
              </td>
              <td className="num">{percentOf(s.declarationsDone, s.declarationsDue)}</td>
              <td className={s.fevers > 0 ? 'num alert' : 'num'}>{s.fevers}</td>
              <td className={s.abnormalOpened > 0 ? 'num alert' : 'num'}>{s.abnormalOpened}</td>
              <td className="num">{s.abnormalOpen}</td>
              <td className="num">{s.inQuarantine}</td>
              <td className="num">
                {s.gate.entries} / {s.gate.exits} / {s.gate.denied}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function UnitTable({ b }: { b: Briefing }) {
  const { t, i18n } = useTranslation();
  if (b.byUnit.length === 0) return <p className="briefing-none">{t('healthSupport.briefing.noUnits')}</p>;
  return (
    <div className="briefing-table-wrap">
      <table className="briefing-table" data-testid="briefing-units">
        <thead>
          <tr>
            <th>{t('healthSupport.briefing.col.unit')}</th>
            <th>{t('healthSupport.briefing.col.declarations')}</th>
            <th>{t('healthSupport.briefing.col.completion')}</th>
            <th>{t('healthSupport.briefing.col.fevers')}</th>
            <th>{t('healthSupport.briefing.col.abnormalOpen')}</th>
            <th>{t('healthSupport.briefing.col.inQuarantine')}</th>
          </tr>
        </thead>
        <tbody>
          {b.byUnit.map((u) => (
            <tr key={u.unit}>
              <td>{nameIn(i18n.language, u.nameZh, u.nameEn)}</td>
              <td className="num">
                {u.declarationsDone} / {u.declarationsDue}
              </td>
              <td className="num">{percentOf(u.declarationsDone, u.declarationsDue)}</td>
              <td className={u.fevers > 0 ? 'num alert' : 'num'}>{u.fevers}</td>
              <td className="num">{u.abnormalOpen}</td>
              <td className="num">{u.inQuarantine}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
