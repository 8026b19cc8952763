import { BellOutlined, EditOutlined, LineChartOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Checkbox, DatePicker, Empty, Flex, Form, Grid, Input, Modal, Pagination, Segmented, Select, Statistic, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { addDays } from '../../../../domain/notices/week';
import { formatDateTime } from '../../../app/format';
import { usePermission } from '../../../app/session';
import { LoadError } from '../../../app/status-pages';
import { useSetSearchParam } from '../../../app/use-search-param';
import { shanghaiToday, SiteSelect } from '../../access/live-parts';
import { useSites } from '../../access/live-queries';
import {
  ColourTag,
  DeclarationFields,
  declarationBody,
  emptyDeclaration,
  MatchedRules,
  PersonName,
  StatusPanel,
  Temperature,
  useCareError,
  useLang,
  type DeclarationFormValues,
} from './care-parts';
import { onDemand } from '../../../app/on-demand';
import {
  useActiveIncident,
  useDeclarationList,
  useDeclare,
  useGridCells,
  usePersonStatus,
  useRemind,
  type DeclarationResult,
  type DeclarationRow,
  type DeclarationState,
} from './care-queries';

/** A person's trend drawer (with its ECharts chart): its code loads when a row first opens it. */
const TrendDrawer = onDemand(async () => (await import(/* on demand */ './trend-drawer')).TrendDrawer, (props) => props.row !== null);

const STATES: readonly DeclarationState[] = ['missing', 'declared', 'all'];
const pageSize = 50;

/**
 * 健康卡填报 (grid worker): who has and has not declared on a day in my scope, by site, grid cell
 * and name, with the day's counts; remind the missing ones, declare on someone's behalf, see a
 * person's trend. Cards instead of a table on a phone.
 */
export function DeclarationsPage() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const describe = useCareError();
  const can = usePermission();
  const screens = Grid.useBreakpoint();
  const narrow = !screens.md;
  const [params] = useSearchParams();
  const set = useSetSearchParam();
  const today = shanghaiToday();
  const stateParam = params.get('state');
  const filter = {
    date: params.get('date') ?? undefined,
    site: params.get('site') ?? undefined,
    grid: params.get('grid') ?? undefined,
    state: STATES.find((s) => s === stateParam) ?? 'all',
    q: params.get('q') ?? undefined,
    page: Number(params.get('page') ?? '1') || 1,
    pageSize,
  };
  const incident = useActiveIncident();
  const list = useDeclarationList(filter);
  const sites = useSites(can('access.read'));
  const cells = useGridCells(filter.site);
  const remind = useRemind();
  const [selected, setSelected] = useState<string[]>([]);
  const [declaring, setDeclaring] = useState<DeclarationRow | null>(null);
  const [trendOf, setTrendOf] = useState<DeclarationRow | null>(null);
  const [q, setQ] = useState(filter.q ?? '');
  const data = list.data;
  const date = data?.date ?? filter.date ?? today;
  // The server takes declarations for today and yesterday only.
  const declarable = date === today || date === addDays(today, -1);
  const threshold = data?.incident.feverThresholdC;
  const setFilter = (k: string, v: string | null | undefined) => {
    setSelected([]);
    set(k, v, { clear: ['page'] });
  };

  const sendReminders = () =>
    void modal.confirm({
      title: t('healthCare.declarations.remind'),
      content: t('healthCare.declarations.remindConfirm', { count: selected.length, date }),
      okText: t('healthCare.declarations.remindOk'),
      cancelText: t('common.cancel'),
      onOk: () =>
        remind.mutateAsync({ date, people: selected }).then(
          (r) => {
            void message.success(t('healthCare.declarations.reminded', { reminded: r.reminded, notified: r.notified, already: r.alreadyDeclared }));
            setSelected([]);
          },
          (e: unknown) => void message.error(describe(e)),
        ),
    });

  if (incident.data === null) {
    return (
      <Flex vertical gap={16}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('healthCare.declarations.title')}
        </Typography.Title>
        <Empty description={t('healthCare.card.offHint')} />
      </Flex>
    );
  }

  const missingOnPage = (data?.rows ?? []).filter((r) => !r.declared).map((r) => r.code);
  const columns: ColumnsType<DeclarationRow> = [
    { title: t('healthCare.common.person'), key: 'person', render: (_v, r) => <PersonName person={r} /> },
    { title: t('healthCare.declarations.household'), key: 'household', render: (_v, r) => [r.site?.nameZh, r.household].filter(Boolean).join(' · ') || '—' },
    { title: t('healthCare.declarations.grid'), key: 'grid', render: (_v, r) => r.gridCell?.name ?? '—' },
    { title: t('healthCare.declarations.declared'), key: 'declared', render: (_v, r) => <DeclaredTag row={r} /> },
    { title: t('healthCare.form.temperature'), dataIndex: 'temperatureC', align: 'right', render: (v: number | null) => <Temperature value={v} threshold={threshold} /> },
    { title: t('healthCare.declarations.symptoms'), dataIndex: 'symptomsCount', align: 'right', render: (n: number, r) => (r.declared ? n > 0 ? <Tag color="orange">{n}</Tag> : '0' : '—') },
    { title: t('healthCare.common.status'), dataIndex: 'status', render: (s: DeclarationRow['status']) => (s ? <ColourTag colour={s} /> : '—') },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_v, r) => <RowActions row={r} declarable={declarable} onDeclare={setDeclaring} onTrend={setTrendOf} />,
    },
  ];

  return (
    <Flex vertical gap={16}>
      <Flex vertical gap={4}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('healthCare.declarations.title')}
        </Typography.Title>
        {data ? (
          <Typography.Text type="secondary">{t('healthCare.declarations.intro', { name: data.incident.name, time: data.incident.dueTime, threshold: data.incident.feverThresholdC.toFixed(1) })}</Typography.Text>
        ) : null}
      </Flex>
      <Flex gap={8} wrap>
        <DatePicker
          aria-label={t('healthCare.common.date')}
          value={dayjs(date)}
          allowClear={false}
          inputReadOnly
          disabledDate={(d) => d.format('YYYY-MM-DD') > today}
          onChange={(d) => setFilter('date', d && d.format('YYYY-MM-DD') !== today ? d.format('YYYY-MM-DD') : null)}
        />
        {can('access.read') ? (
          <SiteSelect
            id="declarations-site"
            sites={sites.data?.rows ?? []}
            loading={sites.isPending}
            value={filter.site}
            allowClear
            placeholder={t('healthCare.common.allSites')}
            style={{ minWidth: 180 }}
            onChange={(v) => {
              setSelected([]);
              set('site', v, { clear: ['page', 'grid'] });
            }}
          />
        ) : null}
        {filter.site ? (
          <Select<string>
            aria-label={t('healthCare.declarations.grid')}
            value={filter.grid}
            allowClear
            placeholder={t('healthCare.declarations.allGrids')}
            loading={cells.isPending}
            style={{ minWidth: 150 }}
            onChange={(v) => setFilter('grid', v)}
            options={(cells.data?.rows ?? []).map((c) => ({ value: c.code, label: `${c.name} (${c.code})` }))}
          />
        ) : null}
        <Input.Search
          aria-label={t('healthCare.declarations.search')}
          placeholder={t('healthCare.declarations.search')}
          allowClear
          value={q}
          onChange={(e) => setQ(e.target.value)}
          onSearch={(v) => setFilter('q', v.trim() || null)}
          style={{ width: 220 }}
        />
      </Flex>
      {data ? (
        <Flex gap={8} wrap data-testid="declaration-counts">
          <CountCard label={t('healthCare.declarations.counts.due')} value={data.counts.due} onClick={() => setFilter('state', null)} active={filter.state === 'all'} />
          <CountCard label={t('healthCare.declarations.counts.done')} value={data.counts.done} color="#389e0d" onClick={() => setFilter('state', 'declared')} active={filter.state === 'declared'} />
          <CountCard label={t('healthCare.declarations.counts.missing')} value={data.counts.missing} color={data.counts.missing ? '#d46b08' : undefined} onClick={() => setFilter('state', 'missing')} active={filter.state === 'missing'} />
          <CountCard label={t('healthCare.declarations.counts.fever')} value={data.counts.fever} color={data.counts.fever ? '#cf1322' : undefined} />
        </Flex>
      ) : null}
      <Flex gap={8} wrap align="center" justify="space-between">
        <Segmented<DeclarationState>
          value={filter.state}
          onChange={(v) => setFilter('state', v === 'all' ? null : v)}
          options={STATES.map((s) => ({ value: s, label: t(`healthCare.declarations.states.${s}`) }))}
        />
        <Flex gap={8} wrap>
          {missingOnPage.length > 0 ? (
            <Button onClick={() => setSelected(missingOnPage)} disabled={!declarable}>
              {t('healthCare.declarations.selectMissing', { count: missingOnPage.length })}
            </Button>
          ) : null}
          <Button type="primary" icon={<BellOutlined aria-hidden />} disabled={selected.length === 0 || !declarable} loading={remind.isPending} onClick={sendReminders}>
            {t('healthCare.declarations.remindCount', { count: selected.length })}
          </Button>
        </Flex>
      </Flex>
      {!declarable ? <Alert type="info" showIcon title={t('healthCare.declarations.pastDay')} /> : null}
      {list.isError ? (
        <LoadError error={list.error} onRetry={() => void list.refetch()} />
      ) : narrow ? (
        <Flex vertical gap={8} className="care-person-cards">
          {list.isPending ? <Card loading size="small" /> : null}
          {data && data.rows.length === 0 ? <Empty description={t(filter.state === 'missing' ? 'healthCare.declarations.emptyMissing' : 'healthCare.declarations.empty')} /> : null}
          {(data?.rows ?? []).map((r) => (
            <Card key={r.code} size="small" data-testid="declaration-card">
              <Flex vertical gap={6}>
                <Flex justify="space-between" align="center" gap={8}>
                  <Flex gap={8} align="center">
                    {!r.declared ? (
                      <Checkbox
                        aria-label={t('healthCare.declarations.select', { name: r.name })}
                        checked={selected.includes(r.code)}
                        disabled={!declarable}
                        onChange={(e) => setSelected((s) => (e.target.checked ? [...s, r.code] : s.filter((c) => c !== r.code)))}
                      />
                    ) : null}
                    <PersonName person={r} />
                  </Flex>
                  {r.status ? <ColourTag colour={r.status} /> : null}
                </Flex>
                <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                  {[r.site?.nameZh, r.household, r.gridCell?.name].filter(Boolean).join(' · ')}
                </Typography.Text>
                <Flex gap={8} align="center" wrap>
                  <DeclaredTag row={r} />
                  <Temperature value={r.temperatureC} threshold={threshold} />
                  {r.symptomsCount > 0 ? <Tag color="orange">{t('healthCare.declarations.symptomsCount', { count: r.symptomsCount })}</Tag> : null}
                </Flex>
                <RowActions row={r} declarable={declarable} onDeclare={setDeclaring} onTrend={setTrendOf} />
              </Flex>
            </Card>
          ))}
          {data && data.total > pageSize ? <Pagination simple current={data.page} pageSize={pageSize} total={data.total} onChange={(p) => set('page', p === 1 ? null : String(p))} /> : null}
        </Flex>
      ) : (
        <Card size="small">
          <Table<DeclarationRow>
            size="small"
            rowKey="code"
            loading={list.isFetching}
            dataSource={data?.rows ?? []}
            columns={columns}
            scroll={{ x: 'max-content' }}
            rowSelection={{
              selectedRowKeys: selected,
              onChange: (keys) => setSelected(keys.map(String)),
              getCheckboxProps: (r) => ({ disabled: r.declared || !declarable, 'aria-label': t('healthCare.declarations.select', { name: r.name }) }),
            }}
            pagination={{
              current: data?.page ?? 1,
              pageSize,
              total: data?.total ?? 0,
              showSizeChanger: false,
              hideOnSinglePage: true,
              showTotal: (total) => t('common.total', { total }),
              onChange: (p) => set('page', p === 1 ? null : String(p)),
            }}
            locale={{ emptyText: t(filter.state === 'missing' ? 'healthCare.declarations.emptyMissing' : 'healthCare.declarations.empty') }}
          />
        </Card>
      )}
      <OnBehalfModal row={declaring} date={date} onClose={() => setDeclaring(null)} />
      <TrendDrawer row={trendOf} onClose={() => setTrendOf(null)} />
    </Flex>
  );
}

function CountCard({ label, value, color, onClick, active }: { label: string; value: number; color?: string; onClick?: () => void; active?: boolean }) {
  return (
    <Card
      size="small"
      hoverable={Boolean(onClick)}
      onClick={onClick}
      style={{ minWidth: 120, flex: '1 1 120px', borderColor: active ? '#1677ff' : undefined }}
      role={onClick ? 'button' : undefined}
      tabIndex={onClick ? 0 : undefined}
      onKeyDown={onClick ? (e) => (e.key === 'Enter' || e.key === ' ' ? onClick() : undefined) : undefined}
    >
      <Statistic title={label} value={value} styles={{ content: { color } }} />
    </Card>
  );
}

function DeclaredTag({ row: r }: { row: DeclarationRow }) {
  const { t } = useTranslation();
  if (r.declared)
    return (
      <span>
        <Tag color="green">{t('healthCare.declarations.yes')}</Tag>
        {r.onBehalf ? <Tag>{t('healthCare.declarations.onBehalfTag')}</Tag> : null}
      </span>
    );
  return (
    <span>
      <Tag color="orange">{t('healthCare.declarations.no')}</Tag>
      {r.remindedAt ? (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('healthCare.declarations.remindedAt', { time: formatDateTime(r.remindedAt).slice(11, 16) })}
        </Typography.Text>
      ) : null}
    </span>
  );
}

function RowActions({ row, declarable, onDeclare, onTrend }: { row: DeclarationRow; declarable: boolean; onDeclare: (r: DeclarationRow) => void; onTrend: (r: DeclarationRow) => void }) {
  const { t } = useTranslation();
  const can = usePermission();
  return (
    <Flex gap={4} wrap>
      <Button size="small" icon={<EditOutlined aria-hidden />} disabled={!declarable} onClick={() => onDeclare(row)}>
        {row.declared ? t('healthCare.declarations.amendFor') : t('healthCare.declarations.declareFor')}
      </Button>
      {can('health.read') ? (
        <Button size="small" icon={<LineChartOutlined aria-hidden />} onClick={() => onTrend(row)} aria-label={t('healthCare.declarations.trendOf', { name: row.name })}>
          {t('healthCare.declarations.trend')}
        </Button>
      ) : null}
    </Flex>
  );
}

/** Declaring for someone (a grid worker on the phone at the door): the same form as the card, then the status it gave. */
function OnBehalfModal({ row, date, onClose }: { row: DeclarationRow | null; date: string; onClose: () => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const describe = useCareError();
  const declare = useDeclare();
  const [form] = Form.useForm<DeclarationFormValues>();
  const [failure, setFailure] = useState<string | null>(null);
  const [answer, setAnswer] = useState<DeclarationResult | null>(null);
  const status = usePersonStatus(answer && row ? row.code : undefined);
  const explained = status.data && !status.isFetching && status.data.status === answer?.status ? status.data : null;

  const close = () => {
    setAnswer(null);
    setFailure(null);
    onClose();
  };
  const submit = (v: DeclarationFormValues) => {
    setFailure(null);
    declare.mutate(declarationBody(v, date), { onSuccess: setAnswer, onError: (e) => setFailure(describe(e)) });
  };

  return (
    <Modal
      open={row !== null}
      title={row ? t('healthCare.declarations.modalTitle', { name: row.name, code: row.code, date }) : ''}
      onCancel={close}
      destroyOnHidden
      footer={
        answer ? (
          <Button type="primary" onClick={close}>
            {t('healthCare.declarations.done')}
          </Button>
        ) : (
          <Flex gap={8} justify="flex-end">
            <Button onClick={close}>{t('common.cancel')}</Button>
            <Button type="primary" loading={declare.isPending} onClick={() => form.submit()}>
              {t('healthCare.card.submit')}
            </Button>
          </Flex>
        )
      }
    >
      {answer ? (
        <Flex vertical gap={8}>
          <StatusPanel colour={answer.status} explanation={explained?.explanation[lang] ?? null} caption={row ? t('healthCare.card.resultFor', { name: row.name }) : undefined} />
          {answer.abnormalCaseId ? <Alert type="info" showIcon data-testid="case-opened" title={t('healthCare.declarations.caseOpened')} /> : null}
          {explained ? <MatchedRules matched={explained.matched} rules={[{ code: explained.rule, nameZh: explained.ruleName.zh, nameEn: explained.ruleName.en }]} /> : null}
        </Flex>
      ) : row ? (
        <Form<DeclarationFormValues> name="behalf" form={form} layout="vertical" onFinish={submit} initialValues={{ person: row.code, ...emptyDeclaration, symptoms: [] }} requiredMark={false}>
          <Form.Item name="person" hidden>
            <Input />
          </Form.Item>
          {row.declared ? <Alert type="warning" showIcon title={t('healthCare.declarations.amendHint')} style={{ marginBottom: 12 }} /> : null}
          <DeclarationFields idPrefix="behalf" />
          {failure ? <Alert type="error" showIcon title={failure} /> : null}
        </Form>
      ) : null}
    </Modal>
  );
}
