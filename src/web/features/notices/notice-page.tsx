import { ArrowLeftOutlined, FileExcelOutlined, PrinterOutlined } from '@ant-design/icons';
import { Button, Card, Col, Flex, List, Row, Tag, Typography } from 'antd';
import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { PROBLEM_STATUSES } from '../../../domain/problems/problem-status';
import { formatDateTime } from '../../app/format';
import { usePermission } from '../../app/session';
import { LoadError, PageSpin } from '../../app/status-pages';
import { noticeExportUrl, useMarkNoticeRead, useNotice, useNoticeReads, type DailyContent, type ItemLine, type NoticeDetail, type WeeklyContent } from './queries';
import './notices.css';

// The notice prints on A4 portrait, like a bulletin (a later @page rule wins over the app's landscape).
const pageRule = '@media print { @page { size: A4 portrait; margin: 12mm 12mm 14mm; } }';

const ITEM_STATES = ['assigned', 'accepted', 'acting', 'reported', 'closed', 'cancelled'] as const;
const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
const SOURCES = ['warning', 'audit', 'meeting', 'instruction', 'customer', 'other'] as const;
const LIGHTS = ['green', 'yellow', 'red', 'done'] as const;
const SECTIONS = ['newProblems', 'closedProblems', 'newItems', 'closedItems', 'overdueItems', 'redItems', 'warnings', 'records'] as const;
type Section = (typeof SECTIONS)[number];

function oneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}

/** Labels of the coded values (statuses, states, sources…), the code itself when unknown. */
function useLabels() {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en-US';
  return {
    en,
    problemStatus: (s: string) => (oneOf(PROBLEM_STATUSES, s) ? t(`notices.problemStatus.${s}`) : s),
    itemState: (s: string) => (oneOf(ITEM_STATES, s) ? t(`notices.itemState.${s}`) : s),
    severity: (s: string) => (oneOf(SEVERITIES, s) ? t(`notices.severity.${s}`) : s),
    source: (s: string) => (oneOf(SOURCES, s) ? t(`notices.source.${s}`) : s),
    light: (s: string) => (oneOf(LIGHTS, s) ? t(`notices.light.${s}`) : s),
    unit: (l: { unit: string; unitZh: string; unitEn: string }) => (en ? l.unitEn || l.unit : l.unitZh || l.unit),
    indicator: (l: { indicator: string; indicatorZh: string; indicatorEn: string }) => (en ? l.indicatorEn || l.indicator : l.indicatorZh || l.indicator),
  };
}

/** A notice laid out like a printed bulletin; opening it sends the read receipt. */
export function NoticePage() {
  const { t } = useTranslation();
  const { id } = useParams<{ id: string }>();
  const can = usePermission();
  const notice = useNotice(id);
  const markRead = useMarkNoticeRead();
  const sent = useRef<string | null>(null);
  const isSupervisor = can('supervision.write');
  const reads = useNoticeReads(id, isSupervisor && notice.data?.kind === 'weekly');

  useEffect(() => {
    if (!notice.data || notice.data.read || sent.current === notice.data.id) return;
    sent.current = notice.data.id;
    markRead.mutate(notice.data.id);
  }, [notice.data, markRead]);

  return (
    <Flex vertical gap={16} className="notice-page">
      <style>{pageRule}</style>
      <Flex gap={8} wrap align="center" justify="space-between" className="no-print">
        <Link to={notice.data?.kind === 'daily' ? '/notices?tab=daily' : '/notices'}>
          <ArrowLeftOutlined aria-hidden /> {t('notices.back')}
        </Link>
        <Flex gap={8}>
          <Button icon={<FileExcelOutlined aria-hidden />} href={id ? noticeExportUrl(id) : undefined} disabled={!notice.data} download>
            {t('notices.exportExcel')}
          </Button>
          <Button type="primary" icon={<PrinterOutlined aria-hidden />} onClick={() => window.print()} disabled={!notice.data}>
            {t('notices.print')}
          </Button>
        </Flex>
      </Flex>
      {notice.isError ? (
        <LoadError error={notice.error} onRetry={() => void notice.refetch()} />
      ) : !notice.data ? (
        <PageSpin />
      ) : (
        <>
          {notice.data.content.kind === 'weekly' ? <WeeklySheet notice={notice.data} content={notice.data.content} /> : <DailySheet notice={notice.data} content={notice.data.content} />}
          {isSupervisor && notice.data.kind === 'weekly' ? (
            <Card title={t('notices.reads.title')} className="no-print" size="small" loading={reads.isLoading}>
              {reads.isError ? (
                <LoadError error={reads.error} onRetry={() => void reads.refetch()} />
              ) : reads.data ? (
                <Row gutter={[16, 16]}>
                  <Col xs={24} md={12}>
                    <Typography.Text strong>{t('notices.reads.read', { count: reads.data.read.length })}</Typography.Text>
                    <List
                      size="small"
                      dataSource={reads.data.read}
                      rowKey="userId"
                      locale={{ emptyText: t('notices.none') }}
                      renderItem={(r) => (
                        <List.Item>
                          <span>
                            {r.displayName} <Typography.Text type="secondary">({r.username}{r.unit ? ` · ${r.unit}` : ''})</Typography.Text>
                          </span>
                          <span className="num">{formatDateTime(r.readAt)}</span>
                        </List.Item>
                      )}
                    />
                  </Col>
                  <Col xs={24} md={12}>
                    <Typography.Text strong type="warning">
                      {t('notices.reads.unread', { count: reads.data.unread.length })}
                    </Typography.Text>
                    <List
                      size="small"
                      dataSource={reads.data.unread}
                      rowKey="userId"
                      locale={{ emptyText: t('notices.none') }}
                      renderItem={(r) => (
                        <List.Item>
                          <span>
                            {r.displayName} <Typography.Text type="secondary">({r.username}{r.unit ? ` · ${r.unit}` : ''})</Typography.Text>
                          </span>
                        </List.Item>
                      )}
                    />
                  </Col>
                </Row>
              ) : null}
            </Card>
          ) : null}
        </>
      )}
    </Flex>
  );
}

/** A plain bordered table that prints well and scrolls sideways on a phone. */
function SheetTable({ head, rows }: { head: ReactNode[]; rows: ReactNode[][] }) {
  return (
    <div className="notice-table-wrap">
      <table className="notice-table">
        <thead>
          <tr>
            {head.map((h, i) => (
              <th key={i}>{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              {r.map((c, j) => (
                <td key={j}>{c}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function WeeklySheet({ notice, content }: { notice: NoticeDetail; content: WeeklyContent }) {
  const { t } = useTranslation();
  const l = useLabels();
  const [year, week] = content.period.split('-W');
  const itemRows = (rows: ItemLine[], closed: boolean) =>
    rows.map((i) => [
      <span className="num">#{i.number}</span>,
      i.title,
      i.owner,
      <span className="num">{i.dueDate}</span>,
      l.itemState(i.state),
      <span className="num">{closed ? formatDateTime(i.closedAt) : i.overdueDays > 0 ? i.overdueDays : ''}</span>,
    ]);
  const itemHead = (closed: boolean) => [t('notices.cols.number'), t('notices.cols.item'), t('notices.cols.owner'), t('notices.cols.dueDate'), t('notices.cols.status'), closed ? t('notices.cols.closedAt') : t('notices.cols.overdueDays')];

  /** The tables of one unit, a section after the other (empty sections left out). */
  const sectionOf = (section: Section, unitId: string): ReactNode => {
    switch (section) {
      case 'newProblems':
      case 'closedProblems': {
        const rows = content[section].filter((p) => p.unitId === unitId);
        if (!rows.length) return null;
        const closed = section === 'closedProblems';
        return (
          <SheetTable
            head={[t('notices.cols.number'), t('notices.cols.problem'), t('notices.cols.source'), t('notices.cols.severity'), t('notices.cols.status'), closed ? t('notices.cols.closedAt') : t('notices.cols.raisedAt')]}
            rows={rows.map((p) => [
              <span className="num">#{p.number}</span>,
              p.title,
              l.source(p.source),
              l.severity(p.severity),
              closed && p.status === 'verified' ? <strong>{l.problemStatus(p.status)}</strong> : l.problemStatus(p.status),
              <span className="num">{formatDateTime(closed ? p.closedAt : p.raisedAt)}</span>,
            ])}
          />
        );
      }
      case 'newItems':
      case 'closedItems':
      case 'overdueItems':
      case 'redItems': {
        const rows = content[section].filter((i) => i.unitId === unitId);
        if (!rows.length) return null;
        return <SheetTable head={itemHead(section === 'closedItems')} rows={itemRows(rows, section === 'closedItems')} />;
      }
      case 'warnings': {
        const rows = content.warnings.filter((w) => w.unitId === unitId);
        if (!rows.length) return null;
        return (
          <SheetTable
            head={[t('notices.cols.indicator'), t('notices.cols.rule'), t('notices.cols.period'), t('notices.cols.firedAt')]}
            rows={rows.map((w) => [l.indicator(w), <Tag>{w.rule}</Tag>, <span className="num">{w.period ?? ''}</span>, <span className="num">{formatDateTime(w.firedAt)}</span>])}
          />
        );
      }
      case 'records': {
        const rows = content.records.filter((r) => r.unitId === unitId);
        if (!rows.length) return null;
        return (
          <SheetTable
            head={[t('notices.cols.indicator'), t('notices.cols.period'), t('notices.cols.value'), t('notices.cols.previousBest'), t('notices.cols.approvedAt')]}
            rows={rows.map((r) => [
              l.indicator(r),
              <span className="num">{r.period}</span>,
              <strong className="num notice-record">
                {r.value} {r.uom}
              </strong>,
              <span className="num">
                {r.previousBest} ({r.previousBestPeriod})
              </span>,
              <span className="num">{formatDateTime(r.approvedAt)}</span>,
            ])}
          />
        );
      }
    }
  };

  return (
    <article className="notice-sheet">
      <header className="notice-title">
        <h1>{t('notices.weeklyHeading')}</h1>
        <p>{t('notices.weekOf', { year, week: Number(week), monday: content.monday, sunday: content.sunday })}</p>
        <p className="notice-meta">
          {t('notices.issuedAt', { time: formatDateTime(notice.publishedAt) })} · {t('notices.asOf')} · {t('notices.scopeNote')}
        </p>
      </header>
      {content.units.length === 0 ? (
        <p className="notice-none">{t('notices.nothing')}</p>
      ) : (
        <>
          <section className="notice-block">
            <h2>{t('notices.summary')}</h2>
            <SheetTable
              head={[t('notices.cols.unit'), ...SECTIONS.map((s) => t(`notices.sections.${s}`))]}
              rows={[
                ...content.units.map((u) => [
                  l.unit(u),
                  ...SECTIONS.map((s) => (
                    <span className={`num${s === 'redItems' && u.redItems > 0 ? ' notice-red' : ''}`}>
                      {u[s]}
                      {s === 'closedProblems' && u.verifiedProblems > 0 ? ` (${t('notices.verifiedOf')} ${u.verifiedProblems})` : ''}
                    </span>
                  )),
                ]),
                [<strong>{t('notices.total')}</strong>, ...SECTIONS.map((s) => <strong className="num">{content.totals[s]}</strong>)],
              ]}
            />
          </section>
          <section className="notice-block">
            <h2>{t('notices.byUnit')}</h2>
            {content.units.map((u) => (
              <div key={u.unitId} className="notice-unit">
                <h3>
                  {l.unit(u)} <span className="notice-unit-code">{u.unit}</span>
                </h3>
                {SECTIONS.filter((s) => u[s] > 0).map((s) => (
                  <div key={s} className="notice-section">
                    <h4 className={s === 'redItems' || s === 'overdueItems' ? 'notice-red' : undefined}>
                      {t(`notices.sections.${s}`)}（{u[s]}）
                    </h4>
                    {sectionOf(s, u.unitId)}
                  </div>
                ))}
              </div>
            ))}
          </section>
        </>
      )}
      <footer className="notice-footer">Pacesetter · {notice.title}</footer>
    </article>
  );
}

function DailySheet({ notice, content }: { notice: NoticeDetail; content: DailyContent }) {
  const { t } = useTranslation();
  const l = useLabels();
  const days = (n: number) => <span className={`num${n < 0 ? ' notice-red' : ''}`}>{n}</span>;
  const itemTable = (rows: DailyContent['items']) => (
    <SheetTable
      head={[t('notices.cols.unit'), t('notices.cols.number'), t('notices.cols.item'), t('notices.cols.owner'), t('notices.cols.dueDate'), t('notices.cols.daysLeft'), t('notices.cols.light')]}
      rows={rows.map((i) => [i.unit, <span className="num">#{i.number}</span>, i.title, i.owner, <span className="num">{i.dueDate}</span>, days(i.daysLeft), l.light(i.light)])}
    />
  );
  const block = (title: string, count: number, body: ReactNode) => (
    <section className="notice-block">
      <h2>
        {title}（{count}）
      </h2>
      {count === 0 ? <p className="notice-none">{t('notices.none')}</p> : body}
    </section>
  );
  return (
    <article className="notice-sheet">
      <header className="notice-title">
        <h1>{t('notices.daily.heading')}</h1>
        <p className="num">{content.day}</p>
        <p className="notice-meta">{t('notices.issuedAt', { time: formatDateTime(notice.publishedAt) })}</p>
      </header>
      {block(
        t('notices.daily.dueSoon'),
        content.dueSoon.length,
        <SheetTable
          head={[t('notices.cols.type'), t('notices.cols.item'), t('notices.cols.dueDate'), t('notices.cols.daysLeft')]}
          rows={content.dueSoon.map((s) => [t(`notices.daily.type.${s.type}`), s.title, <span className="num">{s.dueDate}</span>, days(s.daysLeft)])}
        />,
      )}
      {block(
        t('notices.daily.measures'),
        content.measures.length,
        <SheetTable
          head={[t('notices.cols.unit'), t('notices.cols.problem'), t('notices.cols.item'), t('notices.cols.dueDate'), t('notices.cols.daysLeft'), t('notices.cols.progress')]}
          rows={content.measures.map((m) => [m.unit, `#${m.problemNumber} ${m.problemTitle}`, m.description, <span className="num">{m.dueDate}</span>, days(m.daysLeft), <span className="num">{m.progress}%</span>])}
        />,
      )}
      {block(t('notices.daily.items'), content.items.length, itemTable(content.items))}
      {block(t('notices.daily.redItems'), content.redItems.length, itemTable(content.redItems))}
      {block(
        t('notices.daily.warnings'),
        content.warnings.length,
        <SheetTable
          head={[t('notices.cols.unit'), t('notices.cols.indicator'), t('notices.cols.rule'), t('notices.cols.period'), t('notices.cols.firedAt')]}
          rows={content.warnings.map((w) => [w.unit, l.indicator(w), <Tag>{w.rule}</Tag>, <span className="num">{w.period ?? ''}</span>, <span className="num">{formatDateTime(w.firedAt)}</span>])}
        />,
      )}
      <footer className="notice-footer">Pacesetter · {notice.title}</footer>
    </article>
  );
}
