import {
  AlertOutlined,
  ArrowLeftOutlined,
  CarOutlined,
  CheckCircleOutlined,
  FlagOutlined,
  FormOutlined,
  HomeOutlined,
  LoginOutlined,
  LogoutOutlined,
  PhoneOutlined,
  PlusOutlined,
  PrinterOutlined,
  ShareAltOutlined,
  TagOutlined,
  UsergroupAddOutlined,
} from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Empty, Flex, List, Select, Tag, Timeline, Typography } from 'antd';
import type { TimelineItemType } from 'antd/es/timeline/Timeline';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { usePermission } from '../../../app/session';
import { LoadError, PageSpin } from '../../../app/status-pages';
import { confirmWithReason, formatShanghai } from '../../access/live-parts';
import { ClassifyModal, CloseModal, ExposureModal, FollowUpModal } from './case-actions';
import { CaseStatusTag, ClassificationTag, formatTemperature, HealthColourTag, PersonName, QuarantineLink, QuarantineStatusTag, ReasonTag, Temperature, useHealthError } from './cases-parts';
import { useCaseCard, useCreateExposure, useSuggestions, useWithdrawExposure, type CaseCard, type CreatedExposure, type Suggestion, type TimelineEntry } from './cases-queries';
import './cases.css';

// The card prints on A4 portrait (a later @page rule wins over the app's landscape).
const pageRule = '@media print { @page { size: A4 portrait; margin: 12mm 12mm 14mm; } }';

const declarationColour = { green: 'green', yellow: '#faad14', red: 'red' } as const;

/** The card's timeline: every event the server returns, each with its icon, colour and words. */
function CaseTimeline({ card, canWrite }: { card: CaseCard; canWrite: boolean }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const describe = useHealthError();
  const withdraw = useWithdrawExposure();
  const threshold = card.case.feverThresholdC;
  const when = (at: string) => <Typography.Text type="secondary">{formatShanghai(at, 'dateHm')}</Typography.Text>;
  const by = (who: string | null) => (who ? <Typography.Text type="secondary"> · {t('healthCases.card.by', { user: who })}</Typography.Text> : null);
  const line = (at: string, title: ReactNode, who: string | null, body?: ReactNode) => (
    <Flex vertical gap={2}>
      <span>
        {when(at)} <Typography.Text strong>{title}</Typography.Text>
        {by(who)}
      </span>
      {body ? <div>{body}</div> : null}
    </Flex>
  );
  const askWithdraw = (id: string) =>
    confirmWithReason(modal, {
      title: t('healthCases.card.withdrawTitle'),
      content: t('healthCases.card.withdrawContent'),
      label: t('healthCases.card.withdrawReason'),
      okText: t('healthCases.card.withdraw'),
      cancelText: t('common.cancel'),
      onOk: (reason) =>
        withdraw.mutateAsync({ id, reason }).then(
          () => void message.success(t('healthCases.card.withdrawn')),
          (e: unknown) => {
            void message.error(describe(e));
            throw e;
          },
        ),
    });

  const item = (e: TimelineEntry, index: number): TimelineItemType => {
    const key = `${e.kind}-${index}`;
    switch (e.kind) {
      case 'opened':
        return {
          key,
          color: 'red',
          icon: <FlagOutlined aria-hidden />,
          content: line(
            e.at,
            t('healthCases.timeline.opened'),
            e.by,
            <Flex gap={6} wrap align="center">
              <Tag>{t(`healthCases.sources.${e.source}`)}</Tag>
              <ReasonTag reason={e.reason} />
              {e.temperatureC !== null ? <Temperature value={e.temperatureC} threshold={threshold} /> : null}
              {e.note ? <Typography.Text>{e.note}</Typography.Text> : null}
            </Flex>,
          ),
        };
      case 'follow-up':
        return {
          key,
          color: e.fever ? 'red' : 'blue',
          icon: <PhoneOutlined aria-hidden />,
          content: line(
            e.at,
            t('healthCases.timeline.followUp'),
            e.by,
            <Flex vertical gap={2}>
              <span>
                {e.temperatureC !== null ? <Temperature value={e.temperatureC} threshold={threshold} /> : null} {e.condition}
              </span>
              {e.action ? <Typography.Text type="secondary">{t('healthCases.card.actionTaken', { action: e.action })}</Typography.Text> : null}
            </Flex>,
          ),
        };
      case 'gate':
        return {
          key,
          color: e.decision === 'deny' ? 'red' : 'gray',
          icon: e.direction === 'in' ? <LoginOutlined aria-hidden /> : <LogoutOutlined aria-hidden />,
          content: line(
            e.at,
            t(`healthCases.timeline.gate.${e.direction}`, { checkpoint: e.checkpoint.nameZh }),
            null,
            <Flex gap={6} wrap align="center">
              <Tag color={e.decision === 'deny' ? 'red' : 'green'}>{t(`healthCases.timeline.gate.${e.decision}`)}</Tag>
              {e.temperatureC !== null ? <Temperature value={e.temperatureC} threshold={threshold} /> : null}
              {e.reason ? <Typography.Text type="secondary">{e.reason}</Typography.Text> : null}
            </Flex>,
          ),
        };
      case 'declaration':
        return {
          key,
          color: declarationColour[e.status],
          icon: <FormOutlined aria-hidden />,
          content: line(
            e.at,
            t('healthCases.timeline.declaration', { date: e.date }),
            null,
            <Flex gap={6} wrap align="center">
              <HealthColourTag colour={e.status} />
              <Temperature value={e.temperatureC} threshold={threshold} />
              <Typography.Text type="secondary">{t('healthCases.timeline.symptoms', { count: e.symptomCount })}</Typography.Text>
            </Flex>,
          ),
        };
      case 'quarantine':
        return {
          key,
          color: 'purple',
          icon: <HomeOutlined aria-hidden />,
          content: line(
            e.at,
            t(`healthCases.places.${e.place}`),
            null,
            <Flex gap={6} wrap align="center">
              <QuarantineStatusTag value={e.status as 'active' | 'released' | 'lost' | 'cancelled'} />
              <span>
                {e.startDate} – {e.plannedEnd}
              </span>
              {e.facility ? <span>{e.facility}</span> : null}
              <Typography.Text type="secondary">{t('healthCases.timeline.checks', { done: e.done, missed: e.missed, planned: e.planned })}</Typography.Text>
              <Link to={`/health/quarantines/${e.id}`} className="no-print">
                {t('healthCases.common.openQuarantine')}
              </Link>
            </Flex>,
          ),
        };
      case 'transfer':
        return {
          key,
          color: 'blue',
          icon: <CarOutlined aria-hidden />,
          content: line(e.at, t('healthCases.timeline.transfer', { vehicle: e.vehicle }), null, <span>{t('healthCases.timeline.fromTo', { from: e.from, to: e.to })}</span>),
        };
      case 'exposure':
        return {
          key,
          color: e.active ? 'orange' : 'gray',
          icon: <ShareAltOutlined aria-hidden />,
          content: line(
            e.at,
            e.role === 'source' ? t('healthCases.timeline.exposureSource', { name: e.other.name, code: e.other.code }) : t('healthCases.timeline.exposureContact', { name: e.other.name, code: e.other.code }),
            null,
            <Flex gap={6} wrap align="center" style={e.active ? undefined : { textDecoration: 'line-through' }}>
              <span>{e.date}</span>
              <Tag>{t(`healthCases.exposureTypes.${e.type as 'household'}`, { defaultValue: e.type })}</Tag>
              <Tag>{t('healthCases.timeline.certainty', { certainty: t(`healthCases.certainties.${e.certainty as 'high'}`, { defaultValue: e.certainty }) })}</Tag>
              {e.close ? <Tag color="purple">{t('healthCases.card.closeContact')}</Tag> : null}
              {!e.active ? <Tag>{t('healthCases.timeline.withdrawn')}</Tag> : null}
              {e.role === 'source' && e.close ? <QuarantineLink code={e.other.code} label={t('healthCases.card.contactQuarantine')} /> : null}
              {e.active && canWrite ? (
                <Button size="small" type="link" danger className="no-print" onClick={() => askWithdraw(e.id)}>
                  {t('healthCases.card.withdraw')}
                </Button>
              ) : null}
            </Flex>,
          ),
        };
      case 'classified':
        return {
          key,
          color: e.to === 'confirmed' ? 'red' : e.to === 'excluded' ? 'green' : 'orange',
          icon: <TagOutlined aria-hidden />,
          content: line(
            e.at,
            t('healthCases.timeline.classified'),
            e.by,
            <Flex gap={6} wrap align="center">
              <ClassificationTag value={e.from} /> → <ClassificationTag value={e.to} />
              {e.note ? <Typography.Text>{e.note}</Typography.Text> : null}
            </Flex>,
          ),
        };
      case 'closed':
        return {
          key,
          color: 'green',
          icon: <CheckCircleOutlined aria-hidden />,
          content: line(
            e.at,
            t('healthCases.timeline.closed'),
            e.by,
            <Flex gap={6} wrap align="center">
              <Tag color="green">{t(`healthCases.outcomes.${e.outcome}`)}</Tag>
              {e.note ? <Typography.Text>{e.note}</Typography.Text> : null}
            </Flex>,
          ),
        };
    }
  };
  return <Timeline className="case-timeline" items={card.timeline.map(item)} />;
}

/** People the system suggests as contacts (same household; the same gate within minutes), each added with one click. */
function Suggestions({ card, canWrite, onCreated }: { card: CaseCard; canWrite: boolean; onCreated: (r: CreatedExposure, contact: string) => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const describe = useHealthError();
  const [windowMinutes, setWindowMinutes] = useState(30);
  const suggestions = useSuggestions(card.person.code, windowMinutes);
  const create = useCreateExposure();
  const add = (s: Suggestion) =>
    create.mutate(
      { case: card.person.code, contact: s.person.code, date: s.date, type: s.type, certainty: s.type === 'household' ? 'high' : 'medium', close: true },
      {
        onSuccess: (r) => {
          void message.success(t('healthCases.card.exposureQuarantined'));
          onCreated(r, s.person.code);
        },
        onError: (e) => void message.error(describe(e)),
      },
    );
  return (
    <Card
      size="small"
      className="no-print"
      title={
        <Flex gap={8} align="center">
          <UsergroupAddOutlined aria-hidden />
          {t('healthCases.card.suggestions')}
        </Flex>
      }
      extra={
        <Flex gap={6} align="center">
          <Typography.Text type="secondary">{t('healthCases.card.window')}</Typography.Text>
          <Select<number>
            aria-label={t('healthCases.card.window')}
            size="small"
            value={windowMinutes}
            onChange={setWindowMinutes}
            style={{ width: 110 }}
            options={[15, 30, 60, 120].map((m) => ({ value: m, label: t('healthCases.card.minutes', { count: m }) }))}
          />
        </Flex>
      }
    >
      {suggestions.isError ? (
        <Alert type="warning" showIcon title={describe(suggestions.error)} />
      ) : (
        <List<Suggestion>
          size="small"
          loading={suggestions.isPending}
          dataSource={suggestions.data?.rows ?? []}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('healthCases.card.noSuggestions')} /> }}
          renderItem={(s) => (
            <List.Item
              data-testid="suggestion"
              actions={
                canWrite
                  ? [
                      <Button key="add" size="small" type="primary" ghost icon={<PlusOutlined aria-hidden />} loading={create.isPending && create.variables.contact === s.person.code} onClick={() => add(s)}>
                        {t('healthCases.card.addAsContact')}
                      </Button>,
                    ]
                  : []
              }
            >
              <Flex vertical gap={2}>
                <Flex gap={6} wrap align="center">
                  <PersonName person={s.person} />
                  <Tag color={s.type === 'household' ? 'volcano' : 'blue'}>{t(`healthCases.exposureTypes.${s.type}`)}</Tag>
                  <Typography.Text type="secondary">{s.date}</Typography.Text>
                </Flex>
                <Typography.Text type="secondary">{i18n.language === 'en-US' ? s.reason.en : s.reason.zh}</Typography.Text>
              </Flex>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}

/** 异常情况跟踪卡: the case, the person (masked) with their status and its rule, and everything that happened as a timeline; printable on A4. */
export function CasePage() {
  const { id } = useParams();
  const { t, i18n } = useTranslation();
  const can = usePermission();
  const card = useCaseCard(id);
  const [dialog, setDialog] = useState<'follow-up' | 'classify' | 'close' | 'exposure' | null>(null);
  const [created, setCreated] = useState<{ result: CreatedExposure; contact: string } | null>(null);
  if (card.isPending) return <PageSpin />;
  if (card.isError) return <LoadError error={card.error} onRetry={() => void card.refetch()} />;
  const { case: c, person } = card.data;
  const open = c.status === 'open';
  const status = person.status;
  const onCreated = (result: CreatedExposure, contact: string) => setCreated({ result, contact });

  return (
    <Flex vertical gap={16} className="case-card-page">
      <style>{pageRule}</style>
      <Flex gap={8} wrap align="center" justify="space-between" className="no-print">
        <Link to="/health/cases">
          <Button icon={<ArrowLeftOutlined aria-hidden />}>{t('healthCases.card.back')}</Button>
        </Link>
        <Flex gap={8} wrap>
          {open && can('health.declare') ? (
            <Button type="primary" icon={<PhoneOutlined aria-hidden />} onClick={() => setDialog('follow-up')}>
              {t('healthCases.card.addFollowUp')}
            </Button>
          ) : null}
          {can('health.write') ? (
            <Button icon={<ShareAltOutlined aria-hidden />} onClick={() => setDialog('exposure')}>
              {t('healthCases.card.addExposure')}
            </Button>
          ) : null}
          {open && can('health.write') ? (
            <>
              <Button icon={<TagOutlined aria-hidden />} onClick={() => setDialog('classify')}>
                {t('healthCases.card.classify')}
              </Button>
              <Button danger icon={<CheckCircleOutlined aria-hidden />} onClick={() => setDialog('close')}>
                {t('healthCases.card.close')}
              </Button>
            </>
          ) : null}
          <Button icon={<PrinterOutlined aria-hidden />} onClick={() => window.print()}>
            {t('healthCases.card.print')}
          </Button>
        </Flex>
      </Flex>
      {created ? (
        <Alert
          className="no-print"
          type="success"
          showIcon
          closable={{ onClose: () => setCreated(null) }}
          title={created.result.quarantineId ? t('healthCases.card.createdQuarantine', { code: created.contact }) : t('healthCases.card.createdExposure', { code: created.contact })}
          action={
            <Flex gap={8} wrap>
              {created.result.quarantineId ? (
                <Link to={`/health/quarantines/${created.result.quarantineId}`}>
                  <Button size="small" type="primary">
                    {t('healthCases.card.openContactQuarantine')}
                  </Button>
                </Link>
              ) : null}
              {created.result.contactCaseId ? (
                <Link to={`/health/cases/${created.result.contactCaseId}`}>
                  <Button size="small">{t('healthCases.card.openContactCard')}</Button>
                </Link>
              ) : null}
            </Flex>
          }
        />
      ) : null}
      <div className="case-sheet">
        <Flex gap={8} wrap align="baseline" justify="space-between" className="case-sheet-head">
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('healthCases.card.title', { number: c.number })}
          </Typography.Title>
          <Flex gap={6} wrap align="center">
            <CaseStatusTag value={c.status} />
            <ClassificationTag value={c.classification} />
            {c.outcome ? <Tag color="green">{t(`healthCases.outcomes.${c.outcome}`)}</Tag> : null}
          </Flex>
        </Flex>
        {c.incident ? <Typography.Text type="secondary">{c.incident.name}</Typography.Text> : null}
        <Descriptions size="small" bordered column={{ xs: 1, sm: 2, lg: 3 }} style={{ marginTop: 12 }} className="case-facts">
          <Descriptions.Item label={t('healthCases.common.person')}>
            <PersonName person={person} /> <Tag>{t(`healthCases.categories.${person.category as 'resident'}`, { defaultValue: person.category })}</Tag>
          </Descriptions.Item>
          <Descriptions.Item label={t('healthCases.common.site')}>{person.site?.nameZh ?? c.site?.nameZh ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('healthCases.card.household')}>{person.household ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('healthCases.card.unit')}>{person.unit ? `${person.unit.nameZh} (${person.unit.code})` : '—'}</Descriptions.Item>
          <Descriptions.Item label={t('healthCases.card.healthStatus')} span={{ xs: 1, sm: 2, lg: 2 }}>
            {status ? (
              <Flex vertical gap={2}>
                <span>
                  <HealthColourTag colour={status.colour} />
                  <Typography.Text type="secondary">{t('healthCases.card.statusSince', { rule: status.rule, since: formatShanghai(status.since, 'dateHm') })}</Typography.Text>
                </span>
                {status.explanation ? <Typography.Text>{i18n.language === 'en-US' ? status.explanation.en : status.explanation.zh}</Typography.Text> : null}
              </Flex>
            ) : (
              '—'
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('healthCases.card.opened')}>
            {formatShanghai(c.openedAt, 'dateHm')}
            {c.openedBy ? ` · ${c.openedBy}` : ''}
          </Descriptions.Item>
          <Descriptions.Item label={t('healthCases.common.source')}>{t(`healthCases.sources.${c.source}`)}</Descriptions.Item>
          <Descriptions.Item label={t('healthCases.common.reason')}>
            <ReasonTag reason={c.reason} />
          </Descriptions.Item>
          <Descriptions.Item label={t('healthCases.common.temperature')}>
            <Temperature value={c.temperatureC} threshold={c.feverThresholdC} />
            <Typography.Text type="secondary"> {t('healthCases.card.threshold', { threshold: formatTemperature(c.feverThresholdC) })}</Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('healthCases.cases.lastFollowUp')}>{formatShanghai(c.lastFollowUpAt, 'dateHm')}</Descriptions.Item>
          <Descriptions.Item label={t('healthCases.cases.inQuarantine')}>{c.inQuarantine ? t('common.yes') : t('common.no')}</Descriptions.Item>
          {c.note ? (
            <Descriptions.Item label={t('healthCases.common.note')} span="filled">
              {c.note}
            </Descriptions.Item>
          ) : null}
          {c.closedAt ? (
            <Descriptions.Item label={t('healthCases.card.closedAt')} span="filled">
              {formatShanghai(c.closedAt, 'dateHm')}
              {c.closedBy ? ` · ${c.closedBy}` : ''}
              {c.closureNote ? ` · ${c.closureNote}` : ''}
            </Descriptions.Item>
          ) : null}
        </Descriptions>
        <Typography.Title level={5} style={{ marginTop: 20 }}>
          <AlertOutlined aria-hidden /> {t('healthCases.card.timeline')}
        </Typography.Title>
        <CaseTimeline card={card.data} canWrite={can('health.write')} />
        <div className="print-only case-sheet-foot">
          <span>{t('healthCases.card.printedAt', { at: formatShanghai(new Date().toISOString(), 'dateHm') })}</span>
          <span>{t('healthCases.card.signature')}</span>
        </div>
      </div>
      <Suggestions card={card.data} canWrite={can('health.write')} onCreated={onCreated} />
      {dialog === 'follow-up' ? <FollowUpModal card={card.data} open onClose={() => setDialog(null)} /> : null}
      {dialog === 'classify' ? <ClassifyModal card={card.data} open onClose={() => setDialog(null)} /> : null}
      {dialog === 'close' ? <CloseModal card={card.data} open onClose={() => setDialog(null)} /> : null}
      {dialog === 'exposure' ? <ExposureModal card={card.data} open onClose={() => setDialog(null)} onCreated={onCreated} /> : null}
    </Flex>
  );
}
