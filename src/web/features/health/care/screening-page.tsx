import { CheckCircleOutlined, EyeOutlined, PlusOutlined, StopOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Checkbox, DatePicker, Empty, Flex, Form, Input, Modal, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { formatDateTime } from '../../../app/format';
import { usePermission } from '../../../app/session';
import { LoadError } from '../../../app/status-pages';
import { useSetSearchParam } from '../../../app/use-search-param';
import { PersonPicker, shanghaiToday, SiteSelect } from '../../access/live-parts';
import { useSites } from '../../access/live-queries';
import { LevelTag, PersonName, useCareError } from './care-parts';
import { useCheckItem, useCreateScreening, useDecideScreening, useScreenings, type ScreeningDecision, type ScreeningItem, type ScreeningStatus, type ScreeningView } from './care-queries';

// The server's statuses (screenings.schemas.ts), spelled out so that the page bundles no server code.
const statusColor = { pending: 'processing', cleared: 'success', observe: 'warning', isolate: 'error' } satisfies Record<ScreeningStatus, string>;
const STATUSES = Object.keys(statusColor) as ScreeningStatus[];
type Tab = ScreeningStatus | 'all';
type Decision = Exclude<ScreeningStatus, 'pending'>;
const TABS: readonly Tab[] = [...STATUSES, 'all'];

/**
 * 返岗审核: returning staff's itineraries checked stay by stay against the risk areas, then decided
 * cleared, observe (opens an abnormal case) or isolate (a case and a home quarantine).
 */
export function ScreeningPage() {
  const { t } = useTranslation();
  const can = usePermission();
  const [params] = useSearchParams();
  const set = useSetSearchParam();
  const asked = params.get('status');
  const tab = TABS.find((x) => x === asked) ?? 'pending';
  const filter = { status: tab, site: params.get('site') ?? undefined, q: params.get('q') ?? undefined };
  const screenings = useScreenings(filter);
  const sites = useSites(can('access.read'));
  const [q, setQ] = useState(filter.q ?? '');
  const [starting, setStarting] = useState(false);
  const [last, setLast] = useState<ScreeningDecision | null>(null);
  const counts = screenings.data?.counts;
  const total = counts ? STATUSES.reduce((n, s) => n + counts[s], 0) : undefined;

  return (
    <Flex vertical gap={16}>
      <Flex gap={8} wrap align="center" justify="space-between">
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('healthCare.screening.title')}
        </Typography.Title>
        {can('health.write') ? (
          <Button icon={<PlusOutlined aria-hidden />} onClick={() => setStarting(true)}>
            {t('healthCare.screening.start')}
          </Button>
        ) : null}
      </Flex>
      <Typography.Text type="secondary">{t('healthCare.screening.intro')}</Typography.Text>
      <Flex gap={8} wrap>
        {can('access.read') ? (
          <SiteSelect id="screening-site" sites={sites.data?.rows ?? []} loading={sites.isPending} value={filter.site} allowClear placeholder={t('healthCare.common.allSites')} onChange={(v) => set('site', v)} />
        ) : null}
        <Input.Search aria-label={t('healthCare.declarations.search')} placeholder={t('healthCare.declarations.search')} allowClear value={q} onChange={(e) => setQ(e.target.value)} onSearch={(v) => set('q', v.trim() || null)} style={{ width: 220 }} />
      </Flex>
      {last ? <DecisionNote decision={last} onClose={() => setLast(null)} /> : null}
      <Tabs
        activeKey={tab}
        onChange={(k) => set('status', k === 'pending' ? null : k)}
        items={TABS.map((s) => ({
          key: s,
          label: `${t(`healthCare.screening.statuses.${s}`)}${s === 'all' ? (total === undefined ? '' : ` (${total})`) : counts ? ` (${counts[s]})` : ''}`,
        }))}
      />
      {screenings.isError ? (
        <LoadError error={screenings.error} onRetry={() => void screenings.refetch()} />
      ) : (
        <ScreeningTable rows={screenings.data?.rows ?? []} loading={screenings.isFetching} empty={tab === 'pending' ? t('healthCare.screening.emptyPending') : t('healthCare.screening.empty')} onDecided={setLast} />
      )}
      <StartModal open={starting} onClose={() => setStarting(false)} />
    </Flex>
  );
}

function DecisionNote({ decision, onClose }: { decision: ScreeningDecision; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert
      type={decision.status === 'cleared' ? 'success' : 'warning'}
      showIcon
      closable={{ onClose }}
      title={t('healthCare.screening.decided', { name: decision.person.name, status: t(`healthCare.screening.statuses.${decision.status}`) })}
      description={
        decision.caseId || decision.quarantineId ? (
          <Flex gap={12} wrap>
            {decision.caseId ? <Link to={`/health/cases/${decision.caseId}`}>{t('healthCare.screening.openCase')}</Link> : null}
            {decision.quarantineId ? <Link to={`/health/quarantines/${decision.quarantineId}`}>{t('healthCare.screening.openQuarantine')}</Link> : null}
          </Flex>
        ) : undefined
      }
    />
  );
}

function ScreeningTable({ rows, loading, empty, onDecided }: { rows: ScreeningView[]; loading: boolean; empty: string; onDecided: (d: ScreeningDecision) => void }) {
  const { t } = useTranslation();
  const riskyItems = (s: ScreeningView) => s.items.filter((i) => i.riskMatches.length > 0).length;
  const columns: ColumnsType<ScreeningView> = [
    { title: t('healthCare.common.person'), key: 'person', render: (_v, r) => <PersonName person={r.person} /> },
    { title: t('healthCare.screening.unit'), key: 'unit', render: (_v, r) => [r.person.unit?.nameZh, r.person.site?.nameZh].filter(Boolean).join(' · ') || '—' },
    { title: t('healthCare.screening.returnDate'), dataIndex: 'returnDate' },
    {
      title: t('healthCare.screening.items'),
      key: 'items',
      render: (_v, r) => (
        <Flex gap={4} wrap>
          <Tag>{t('healthCare.screening.checkedOf', { checked: r.items.filter((i) => i.checked).length, total: r.items.length })}</Tag>
          {riskyItems(r) > 0 ? <Tag color="red">{t('healthCare.screening.risky', { count: riskyItems(r) })}</Tag> : null}
        </Flex>
      ),
    },
    { title: t('healthCare.common.status'), dataIndex: 'status', render: (s: ScreeningStatus) => <Tag color={statusColor[s]}>{t(`healthCare.screening.statuses.${s}`)}</Tag> },
    {
      title: t('healthCare.screening.reviewer'),
      key: 'reviewer',
      render: (_v, r) => (r.reviewer ? `${r.reviewer} · ${formatDateTime(r.decidedAt).slice(0, 16)}` : '—'),
    },
  ];
  return (
    <Card size="small">
      <Table<ScreeningView>
        size="small"
        rowKey="id"
        loading={loading}
        dataSource={rows}
        columns={columns}
        scroll={{ x: 'max-content' }}
        expandable={{ expandedRowRender: (r) => <ScreeningDetail screening={r} onDecided={onDecided} />, expandRowByClick: true, defaultExpandedRowKeys: rows.length === 1 ? [rows[0]!.id] : [] }}
        pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true, showTotal: (total) => t('common.total', { total }) }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} /> }}
      />
    </Card>
  );
}

/** One screening opened: its stays to check one by one, and the decision. */
function ScreeningDetail({ screening: s, onDecided }: { screening: ScreeningView; onDecided: (d: ScreeningDecision) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const describe = useCareError();
  const can = usePermission();
  const check = useCheckItem();
  const decide = useDecideScreening();
  const writable = can('health.write') && s.status === 'pending';
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [deciding, setDeciding] = useState<Decision | null>(null);
  const [decisionNote, setDecisionNote] = useState('');
  const unchecked = s.items.filter((i) => !i.checked).length;

  const send = (item: ScreeningItem, checked: boolean, note: string | undefined) =>
    check.mutate(
      { id: s.id, travelRecordId: item.travelRecordId, checked, ...(note?.trim() ? { note: note.trim() } : {}) },
      { onError: (e) => void message.error(describe(e)) },
    );

  const confirmDecision = () => {
    if (!deciding) return;
    decide.mutate(
      { id: s.id, body: { status: deciding, version: s.version, ...(decisionNote.trim() ? { note: decisionNote.trim() } : {}) } },
      {
        onSuccess: (d) => {
          setDeciding(null);
          setDecisionNote('');
          onDecided(d);
        },
        onError: (e) => void message.error(describe(e)),
      },
    );
  };

  const columns: ColumnsType<ScreeningItem> = [
    {
      title: t('healthCare.screening.check'),
      key: 'checked',
      width: 60,
      render: (_v, item) => (
        <Checkbox
          checked={item.checked}
          disabled={!writable || (check.isPending && check.variables.travelRecordId === item.travelRecordId)}
          aria-label={t('healthCare.screening.checkItem', { region: item.region })}
          onChange={(e) => send(item, e.target.checked, notes[item.travelRecordId] ?? item.note ?? undefined)}
        />
      ),
    },
    { title: t('healthCare.travel.region'), dataIndex: 'region' },
    { title: t('healthCare.travel.dates'), key: 'dates', render: (_v, item) => `${item.fromDate} – ${item.toDate}` },
    { title: t('healthCare.travel.transport'), key: 'transport', render: (_v, item) => `${t(`healthCare.transports.${item.transport}`)}${item.transportNo ? ` ${item.transportNo}` : ''}` },
    {
      title: t('healthCare.screening.matches'),
      key: 'matches',
      render: (_v, item) =>
        item.riskMatches.length === 0 ? (
          <Typography.Text type="secondary">{t('healthCare.screening.noMatch')}</Typography.Text>
        ) : (
          <Flex vertical gap={2}>
            {item.riskMatches.map((m) => (
              <span key={`${m.region}-${m.level}`}>
                <LevelTag level={m.level} />
                <Typography.Text style={{ fontSize: 12 }}>{t('healthCare.travel.match', { region: m.region, days: m.daysAgo })}</Typography.Text>
              </span>
            ))}
          </Flex>
        ),
    },
    {
      title: t('healthCare.screening.note'),
      key: 'note',
      render: (_v, item) =>
        writable ? (
          <Input
            size="small"
            maxLength={500}
            aria-label={t('healthCare.screening.noteFor', { region: item.region })}
            value={notes[item.travelRecordId] ?? item.note ?? ''}
            onChange={(e) => setNotes((n) => ({ ...n, [item.travelRecordId]: e.target.value }))}
            onBlur={() => {
              const note = notes[item.travelRecordId];
              if (item.checked && note !== undefined && note.trim() && note.trim() !== (item.note ?? '')) send(item, true, note);
            }}
            placeholder={t('healthCare.screening.notePlaceholder')}
            style={{ minWidth: 160 }}
          />
        ) : (
          (item.note ?? '—')
        ),
    },
  ];

  const decisionButton = (d: Decision, icon: React.ReactNode, danger?: boolean) => (
    <Tooltip title={unchecked > 0 ? t('healthCare.screening.uncheckedHint', { count: unchecked }) : undefined}>
      <Button icon={icon} danger={danger} type={d === 'cleared' ? 'primary' : 'default'} disabled={unchecked > 0} onClick={() => setDeciding(d)}>
        {t(`healthCare.screening.decide.${d}`)}
      </Button>
    </Tooltip>
  );

  return (
    <Flex vertical gap={8} data-testid="screening-detail">
      {s.items.length === 0 ? (
        <Typography.Text type="secondary">{t('healthCare.screening.noItems')}</Typography.Text>
      ) : (
        <Table<ScreeningItem> size="small" rowKey="travelRecordId" dataSource={s.items} columns={columns} pagination={false} scroll={{ x: 'max-content' }} />
      )}
      {s.note ? <Typography.Text type="secondary">{t('healthCare.screening.decisionNote', { note: s.note })}</Typography.Text> : null}
      {writable ? (
        <Flex gap={8} wrap align="center">
          {decisionButton('cleared', <CheckCircleOutlined aria-hidden />)}
          {decisionButton('observe', <EyeOutlined aria-hidden />)}
          {decisionButton('isolate', <StopOutlined aria-hidden />, true)}
          {unchecked > 0 ? <Typography.Text type="secondary">{t('healthCare.screening.uncheckedHint', { count: unchecked })}</Typography.Text> : null}
        </Flex>
      ) : null}
      <Modal
        open={deciding !== null}
        title={deciding ? t(`healthCare.screening.decide.${deciding}`) : ''}
        onCancel={() => setDeciding(null)}
        onOk={confirmDecision}
        okText={t('healthCare.screening.confirm')}
        okButtonProps={{ danger: deciding === 'isolate' }}
        cancelText={t('common.cancel')}
        confirmLoading={decide.isPending}
        destroyOnHidden
      >
        {deciding ? (
          <Flex vertical gap={8}>
            <Typography.Text>{t(`healthCare.screening.explain.${deciding}`, { name: s.person.name })}</Typography.Text>
            <Input.TextArea aria-label={t('healthCare.screening.note')} placeholder={t('healthCare.screening.decisionPlaceholder')} rows={3} maxLength={1000} value={decisionNote} onChange={(e) => setDecisionNote(e.target.value)} />
          </Flex>
        ) : null}
      </Modal>
    </Flex>
  );
}

/** A screening started by hand (someone who came back without declaring an itinerary first). */
function StartModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const describe = useCareError();
  const create = useCreateScreening();
  const [form] = Form.useForm<{ person: string | string[] | null; returnDate: Dayjs }>();
  const [failure, setFailure] = useState<string | null>(null);
  const today = shanghaiToday();
  return (
    <Modal open={open} title={t('healthCare.screening.start')} onCancel={onClose} onOk={() => form.submit()} okText={t('healthCare.screening.startOk')} cancelText={t('common.cancel')} confirmLoading={create.isPending} destroyOnHidden>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ returnDate: dayjs(today) }}
        onFinish={(v) => {
          setFailure(null);
          const person = Array.isArray(v.person) ? v.person[0] : v.person;
          create.mutate(
            { person: person ?? '', returnDate: v.returnDate.format('YYYY-MM-DD') },
            {
              onSuccess: () => {
                void message.success(t('healthCare.screening.started'));
                onClose();
              },
              onError: (e) => setFailure(describe(e)),
            },
          );
        }}
      >
        <Typography.Paragraph type="secondary">{t('healthCare.screening.startHint')}</Typography.Paragraph>
        <Form.Item name="person" label={t('healthCare.common.person')} rules={[{ required: true, message: t('healthCare.common.personRequired') }]}>
          <PersonPicker />
        </Form.Item>
        <Form.Item name="returnDate" label={t('healthCare.screening.returnDate')} rules={[{ required: true }]}>
          <DatePicker allowClear={false} />
        </Form.Item>
        {failure ? <Alert type="error" showIcon title={failure} /> : null}
      </Form>
    </Modal>
  );
}
