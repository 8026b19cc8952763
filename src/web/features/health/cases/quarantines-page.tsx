import { EyeOutlined } from '@ant-design/icons';
import { Badge, Button, Card, Flex, Form, Input, InputNumber, Segmented, Select, Table, Tabs, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { usePermission } from '../../../app/session';
import { LoadError } from '../../../app/status-pages';
import { useSetSearchParam } from '../../../app/use-search-param';
import { useTabParam } from '../../../app/use-tab-param';
import { formatShanghai, SiteSelect } from '../../access/live-parts';
import { useSites } from '../../access/live-queries';
import { NoIncidentNote, oneOf, PersonName, QUARANTINE_PLACES, QuarantineStatusTag } from './cases-parts';
import { useActiveIncident, useLostQuarantines, useQuarantines, type LostList, type QuarantineFilter, type QuarantineRow } from './cases-queries';

const pageSize = 50;
const LIST_STATUSES = ['active', 'released', 'lost', 'all'] as const;
type LostRow = LostList['rows'][number];

/** Today's checks of a row: done / due, and yesterday's missed ones in red. */
function TodayChecks({ r }: { r: QuarantineRow }) {
  const { t } = useTranslation();
  if (r.status !== 'active') return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Flex gap={4} wrap align="center" data-testid="today-checks">
      <Tag color="green">{t('healthCases.quarantines.done', { count: r.today.done })}</Tag>
      <Tag color={r.today.due > 0 ? 'blue' : 'default'}>{t('healthCases.quarantines.due', { count: r.today.due })}</Tag>
      {r.today.missed > 0 ? <Tag color="red">{t('healthCases.quarantines.missedYesterday', { count: r.today.missed })}</Tag> : null}
    </Flex>
  );
}

function ListTab() {
  const { t } = useTranslation();
  const can = usePermission();
  const [params] = useSearchParams();
  const set = useSetSearchParam();
  const setFilter = (k: string, v: string | null | undefined) => set(k, v, { clear: ['page'] });
  const filter: QuarantineFilter = {
    status: oneOf(LIST_STATUSES, params.get('status')) ?? 'active',
    place: oneOf(QUARANTINE_PLACES, params.get('place')),
    site: params.get('site') ?? undefined,
    q: params.get('q') ?? undefined,
    page: Math.max(1, Number(params.get('page')) || 1),
    pageSize,
  };
  const list = useQuarantines(filter);
  const sites = useSites(can('access.read'));
  const [search, setSearch] = useState(filter.q ?? '');
  const counts = list.data?.counts;

  const columns: ColumnsType<QuarantineRow> = [
    {
      title: t('healthCases.common.person'),
      key: 'person',
      render: (_v, r) => (
        <Link to={`/health/quarantines/${r.id}`}>
          <PersonName person={r.person} />
        </Link>
      ),
    },
    { title: t('healthCases.common.site'), key: 'site', render: (_v, r) => r.site?.nameZh ?? '—' },
    { title: t('healthCases.quarantines.place'), key: 'place', render: (_v, r) => (r.facility ? `${t(`healthCases.places.${r.place}`)} · ${r.facility}` : t(`healthCases.places.${r.place}`)) },
    { title: t('healthCases.quarantines.window'), key: 'window', render: (_v, r) => `${r.startDate} – ${r.plannedEnd}` },
    { title: t('healthCases.quarantines.lastExposure'), dataIndex: 'lastExposure', render: (v: string | null) => v ?? '—' },
    { title: t('healthCases.quarantines.today'), key: 'today', render: (_v, r) => <TodayChecks r={r} /> },
    {
      title: t('healthCases.quarantines.missedTotal'),
      key: 'missed',
      render: (_v, r) => (
        <Flex gap={6} align="center">
          {r.missedTotal > 0 ? <Badge count={r.missedTotal} overflowCount={99} title={t('healthCases.quarantines.missedBadge', { count: r.missedTotal })} /> : <Typography.Text type="secondary">0</Typography.Text>}
          {r.lost ? <Tag color="red">{t('healthCases.quarantines.lostTag')}</Tag> : null}
        </Flex>
      ),
    },
    { title: t('healthCases.quarantines.supportsOpen'), dataIndex: 'supportsOpen', render: (n: number) => (n > 0 ? <Tag color="orange">{n}</Tag> : '0') },
    { title: t('healthCases.common.status'), dataIndex: 'status', render: (s: QuarantineRow['status']) => <QuarantineStatusTag value={s} /> },
    {
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      render: (_v, r) => (
        <Link to={`/health/quarantines/${r.id}`}>
          <Button size="small" icon={<EyeOutlined aria-hidden />}>
            {t('healthCases.quarantines.schedule')}
          </Button>
        </Link>
      ),
    },
  ];

  return (
    <Flex vertical gap={12}>
      <Segmented
        value={filter.status}
        onChange={(v) => setFilter('status', v === 'active' ? null : v)}
        options={LIST_STATUSES.map((s) => ({
          value: s,
          label: s === 'all' ? t('healthCases.common.all') : `${t(`healthCases.quarantineStatuses.${s}`)}${counts ? ` ${counts[s]}` : ''}`,
        }))}
      />
      <Form layout="inline" style={{ rowGap: 8 }}>
        <Form.Item label={t('healthCases.quarantines.place')} htmlFor="quarantines-place">
          <Select
            id="quarantines-place"
            value={filter.place}
            onChange={(v) => setFilter('place', v)}
            allowClear
            placeholder={t('healthCases.common.all')}
            style={{ width: 130 }}
            options={QUARANTINE_PLACES.map((p) => ({ value: p, label: t(`healthCases.places.${p}`) }))}
          />
        </Form.Item>
        {can('access.read') ? (
          <Form.Item label={t('healthCases.common.site')} htmlFor="quarantines-site">
            <SiteSelect id="quarantines-site" sites={sites.data?.rows ?? []} value={filter.site} onChange={(v) => setFilter('site', v)} allowClear placeholder={t('healthCases.common.allSites')} />
          </Form.Item>
        ) : null}
        <Form.Item label={t('healthCases.quarantines.search')} htmlFor="quarantines-q">
          <Input.Search id="quarantines-q" value={search} onChange={(e) => setSearch(e.target.value)} onSearch={(v) => setFilter('q', v.trim())} allowClear maxLength={100} style={{ width: 200 }} />
        </Form.Item>
      </Form>
      {list.isError ? (
        <LoadError error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <Card size="small">
          <Table<QuarantineRow>
            size="small"
            rowKey="id"
            loading={list.isFetching}
            dataSource={list.data?.rows ?? []}
            columns={columns}
            scroll={{ x: 'max-content' }}
            rowClassName={(r) => (r.lost || r.today.missed > 0 ? 'row-problem' : '')}
            pagination={{
              current: filter.page,
              pageSize,
              total: list.data?.total ?? 0,
              showSizeChanger: false,
              hideOnSinglePage: true,
              showTotal: (total) => t('common.total', { total }),
              onChange: (p) => set('page', p > 1 ? String(p) : null),
            }}
            locale={{ emptyText: filter.status === 'active' ? t('healthCases.quarantines.emptyActive') : t('healthCases.quarantines.empty') }}
          />
        </Card>
      )}
    </Flex>
  );
}

/** 失访: active quarantines with checks on each of the last days and none done. */
function LostTab() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const set = useSetSearchParam();
  const missedDays = Math.min(14, Math.max(1, Number(params.get('missedDays')) || 2));
  const lost = useLostQuarantines(missedDays);
  const columns: ColumnsType<LostRow> = [
    {
      title: t('healthCases.common.person'),
      key: 'person',
      render: (_v, r) => (
        <Link to={`/health/quarantines/${r.id}`}>
          <PersonName person={r.person} />
        </Link>
      ),
    },
    { title: t('healthCases.common.site'), key: 'site', render: (_v, r) => r.site?.nameZh ?? '—' },
    { title: t('healthCases.quarantines.place'), key: 'place', render: (_v, r) => (r.facility ? `${t(`healthCases.places.${r.place}`)} · ${r.facility}` : t(`healthCases.places.${r.place}`)) },
    { title: t('healthCases.quarantines.window'), key: 'window', render: (_v, r) => `${r.startDate} – ${r.plannedEnd}` },
    { title: t('healthCases.quarantines.missedTotal'), dataIndex: 'missedTotal', render: (n: number) => <Badge count={n} showZero overflowCount={99} /> },
    {
      title: t('healthCases.quarantines.lastCheck'),
      key: 'lastCheck',
      render: (_v, r) => (r.lastCheck ? `${r.lastCheck.date} #${r.lastCheck.slot} (${formatShanghai(r.lastCheck.doneAt, 'dateHm')})` : <Typography.Text type="danger">{t('healthCases.quarantines.neverChecked')}</Typography.Text>),
    },
  ];
  return (
    <Flex vertical gap={12}>
      <Flex gap={8} wrap align="center">
        <Typography.Text>{t('healthCases.quarantines.lostRule')}</Typography.Text>
        <InputNumber aria-label={t('healthCases.quarantines.missedDays')} min={1} max={14} value={missedDays} onChange={(v) => set('missedDays', v && v !== 2 ? String(v) : null)} style={{ width: 80 }} />
        <Typography.Text type="secondary">{lost.data ? t('healthCases.quarantines.asOf', { date: lost.data.today }) : null}</Typography.Text>
      </Flex>
      {lost.isError ? (
        <LoadError error={lost.error} onRetry={() => void lost.refetch()} />
      ) : (
        <Card size="small">
          <Table<LostRow>
            size="small"
            rowKey="id"
            loading={lost.isFetching}
            dataSource={lost.data?.rows ?? []}
            columns={columns}
            scroll={{ x: 'max-content' }}
            pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
            locale={{ emptyText: t('healthCases.quarantines.noLost') }}
          />
        </Card>
      )}
    </Flex>
  );
}

/** 隔离观察: the quarantines with today's checks, the missed ones standing out, and the lost-to-follow-up list. */
export function QuarantinesPage() {
  const { t } = useTranslation();
  const [tab, setTab] = useTabParam(['list', 'lost'] as const);
  const incident = useActiveIncident();
  const lostCount = useLostQuarantines(2).data?.rows.length;
  return (
    <Flex vertical gap={16}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('healthCases.quarantines.title')}
      </Typography.Title>
      {incident.data === null ? <NoIncidentNote /> : null}
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          { key: 'list', label: t('healthCases.quarantines.listTab'), children: tab === 'list' ? <ListTab /> : null },
          {
            key: 'lost',
            label: (
              <Flex gap={6} align="center">
                {t('healthCases.quarantines.lostTab')}
                {lostCount ? <Badge count={lostCount} /> : null}
              </Flex>
            ),
            children: tab === 'lost' ? <LostTab /> : null,
          },
        ]}
      />
    </Flex>
  );
}
