import { FileExcelOutlined, PrinterOutlined } from '@ant-design/icons';
import { Button, Empty, Flex, Form } from 'antd';
import { useTranslation } from 'react-i18next';
import type { GroupView } from '../../../server/modules/analysis/analysis.schemas';
import { buildUrl } from '../../app/api-client';
import { formatDateTime } from '../../app/format';
import { LoadError, PageSpin } from '../../app/status-pages';
import { RankingBars } from '../analysis/analysis-charts';
import { nameIn, useGroupView, type GroupCell } from '../analysis/queries';
import { formatNumber, formatPercent, formatSigned } from '../benchmarking/format';
import { PeriodPicker } from '../benchmarking/period-picker';
import { useSelection } from '../benchmarking/selection';
import './report.css';

// The report prints on A4 portrait, unlike the rest of the app (landscape): a later @page rule wins.
const pageRule = '@media print { @page { size: A4 portrait; margin: 12mm 12mm 14mm; } }';

function monthLabel(period: string, locale: string): { year: number; month: number; label: string } {
  const [year = 0, month = 1] = period.split('-').map(Number);
  const label = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(year, month - 1, 1)));
  return { year, month, label };
}

/** 对标月报: the month's group figures on A4, for printing or as an Excel workbook. */
export function ReportPage() {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const { period, setPeriod } = useSelection({ monthOnly: true });
  const month = useGroupView(period, 'period');
  const ytd = useGroupView(period, 'ytd');
  const lang = locale === 'en-US' ? 'en' : 'zh';

  const failed = month.isError ? month : ytd.isError ? ytd : null;
  const view = month.data;
  const yearView = ytd.data;

  return (
    <Flex vertical gap={16} className="report-page">
      <style>{pageRule}</style>
      <Flex gap={8} wrap align="center" justify="space-between" className="no-print">
        <Form layout="inline">
          <Form.Item label={t('report.pickMonth')} htmlFor="report-month">
            <PeriodPicker id="report-month" value={period} onChange={setPeriod} kinds={['month']} />
          </Form.Item>
        </Form>
        <Flex gap={8}>
          <Button icon={<FileExcelOutlined aria-hidden />} href={period ? buildUrl('/api/reports/monthly.xlsx', { period, lang }) : undefined} disabled={!period} download>
            {t('report.exportExcel')}
          </Button>
          <Button type="primary" icon={<PrinterOutlined aria-hidden />} onClick={() => window.print()} disabled={!view || !yearView}>
            {t('report.print')}
          </Button>
        </Flex>
      </Flex>
      {failed ? (
        <LoadError error={failed.error} onRetry={() => void failed.refetch()} />
      ) : !view || !yearView || !period ? (
        <PageSpin />
      ) : (
        <ReportSheet view={view} yearView={yearView} period={period} />
      )}
    </Flex>
  );
}

function ReportSheet({ view, yearView, period }: { view: GroupView; yearView: GroupView; period: string }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const { year, month, label } = monthLabel(period, locale);
  const indicatorOf = new Map(view.indicators.map((indicator) => [indicator.indicator, indicator]));
  const unitOf = new Map(view.units.map((unit) => [unit.unit, unit]));
  const indicatorName = (code: string) => {
    const indicator = indicatorOf.get(code);
    return indicator ? nameIn(locale, indicator.name, indicator.nameEn) : code;
  };
  const unitName = (code: string) => {
    const unit = unitOf.get(code);
    return unit ? nameIn(locale, unit.name, unit.nameEn) : code;
  };
  const uomOf = (code: string) => indicatorOf.get(code)?.uom ?? '';
  const gaps = view.cells
    .filter((cell): cell is GroupCell & { gapPercent: number } => cell.gapPercent !== null && cell.gapPercent < 0)
    .sort((a, b) => a.gapPercent - b.gapPercent)
    .slice(0, 10);
  const attainedText = (cell: GroupCell) => (cell.attained === null ? '—' : cell.attained ? t('report.yes') : t('report.no'));

  const headline = [
    {
      key: 'month',
      title: t('report.attainmentMonth'),
      value: formatPercent(view.totals.attainmentRate, locale),
      detail: t('report.attainedOf', { attained: view.totals.attained, total: view.totals.withTarget }),
    },
    {
      key: 'ytd',
      title: t('report.attainmentYtd'),
      value: formatPercent(yearView.totals.attainmentRate, locale),
      detail: t('report.attainedOf', { attained: yearView.totals.attained, total: yearView.totals.withTarget }),
    },
    { key: 'records', title: t('report.records'), value: String(view.totals.records), detail: '' },
    { key: 'units', title: t('report.units'), value: String(view.totals.units), detail: '' },
  ];

  return (
    <article className="report-sheet">
      <header className="report-title">
        <h1>{t('report.title')}</h1>
        <p>{t('report.month', { year, month, label })}</p>
      </header>
      {view.units.length === 0 ? (
        <Empty description={t('report.empty')} />
      ) : (
        <>
          <section className="report-headline">
            {headline.map((figure) => (
              <div key={figure.key} className="report-figure">
                <div className="report-figure-title">{figure.title}</div>
                <div className="report-figure-value num">{figure.value}</div>
                {figure.detail ? <div className="report-figure-detail">{figure.detail}</div> : null}
              </div>
            ))}
          </section>

          <section className="report-block">
            <h2>{t('report.chartTitle')}</h2>
            <RankingBars units={view.units} label={t('report.chartLabel')} height={Math.max(120, view.units.length * 20 + 30)} printable />
          </section>

          <section className="report-block">
            <h2>{t('report.recordsTitle')}</h2>
            {view.records.length === 0 ? (
              <p className="report-none">{t('report.noRecords')}</p>
            ) : (
              <table className="report-table">
                <thead>
                  <tr>
                    <th>{t('report.unit')}</th>
                    <th>{t('report.indicator')}</th>
                    <th className="right">{t('report.actual')}</th>
                  </tr>
                </thead>
                <tbody>
                  {view.records.map((record) => (
                    <tr key={`${record.unit}|${record.indicator}`}>
                      <td>{nameIn(locale, record.unitName, record.unitNameEn)}</td>
                      <td>{nameIn(locale, record.name, record.nameEn)}</td>
                      <td className="right num">
                        {formatNumber(record.actual, locale)}
                        {record.uom ? ` ${record.uom}` : ''}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>

          <section className="report-block">
            <h2>{t('report.gapsTitle')}</h2>
            {gaps.length === 0 ? (
              <p className="report-none">{t('report.noGaps')}</p>
            ) : (
              <table className="report-table">
                <thead>
                  <tr>
                    <th>{t('report.unit')}</th>
                    <th>{t('report.indicator')}</th>
                    <th className="right">{t('report.actual')}</th>
                    <th className="right">{t('report.target')}</th>
                    <th className="right">{t('report.gap')}</th>
                    <th className="right">{t('report.gapPercent')}</th>
                  </tr>
                </thead>
                <tbody>
                  {gaps.map((cell) => (
                    <tr key={`${cell.unit}|${cell.indicator}`}>
                      <td>{unitName(cell.unit)}</td>
                      <td>
                        {indicatorName(cell.indicator)}
                        {uomOf(cell.indicator) ? <span className="report-uom"> ({uomOf(cell.indicator)})</span> : null}
                      </td>
                      <td className="right num">{formatNumber(cell.actual, locale)}</td>
                      <td className="right num">{formatNumber(cell.target, locale)}</td>
                      <td className="right num">{formatSigned(cell.gapToTarget, locale)}</td>
                      <td className="right num">{formatPercent(cell.gapPercent, locale, true)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>

          <section className="report-block">
            <h2>{t('report.unitsTitle')}</h2>
            {view.units.map((unit) => {
              const cells = view.cells.filter((cell) => cell.unit === unit.unit);
              return (
                <div key={unit.unit} className="report-unit">
                  <h3>
                    {nameIn(locale, unit.name, unit.nameEn)}
                    <span className="report-unit-summary">
                      {t('report.unitSummary', {
                        rate: formatPercent(unit.attainmentRate, locale),
                        attained: unit.attained,
                        total: unit.withTarget,
                        records: unit.records,
                      })}
                    </span>
                  </h3>
                  <table className="report-table report-table-fixed">
                    <colgroup>
                      <col style={{ width: '38%' }} />
                      <col style={{ width: '16%' }} />
                      <col style={{ width: '16%' }} />
                      <col style={{ width: '21%' }} />
                      <col style={{ width: '9%' }} />
                    </colgroup>
                    <thead>
                      <tr>
                        <th>{t('report.indicator')}</th>
                        <th className="right">{t('report.actual')}</th>
                        <th className="right">{t('report.target')}</th>
                        <th className="right">{t('report.gap')}</th>
                        <th className="center">{t('report.attained')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {cells.map((cell) => (
                        <tr key={cell.indicator} className={cell.attained === false ? 'missed' : undefined}>
                          <td>
                            {indicatorName(cell.indicator)}
                            {uomOf(cell.indicator) ? <span className="report-uom"> ({uomOf(cell.indicator)})</span> : null}
                            {cell.isRecord ? <span className="report-record"> ★</span> : null}
                          </td>
                          <td className="right num">{formatNumber(cell.actual, locale)}</td>
                          <td className="right num">{formatNumber(cell.target, locale)}</td>
                          <td className="right num">
                            {formatSigned(cell.gapToTarget, locale)}
                            {cell.gapPercent !== null ? ` (${formatPercent(cell.gapPercent, locale, true)})` : ''}
                          </td>
                          <td className="center">{attainedText(cell)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              );
            })}
          </section>
        </>
      )}
      <footer className="report-footer">{t('report.generated', { time: formatDateTime(new Date().toISOString()) })}</footer>
    </article>
  );
}
