import { PlusOutlined, SyncOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, DatePicker, Empty, Flex, Form, Input, InputNumber, List, Modal, Row, Select, Table, Tag, TimePicker, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useErrorMessage } from '../../app/errors';
import { usePermission } from '../../app/session';
import { LoadError, PageSpin } from '../../app/status-pages';
import { useSetSearchParam } from '../../app/use-search-param';
import { formatShanghai, PersonPicker, shanghaiToday, showFieldErrors, SiteSelect, sortedSites } from './live-parts';
import {
  useAddHandover,
  useCheckpoints,
  useCreateShift,
  useDutyNow,
  useGenerateRoster,
  useHandovers,
  useRoster,
  useShifts,
  useSites,
  type Checkpoint,
  type DutyNow,
  type Handover,
  type RosterDay,
  type Shift,
} from './live-queries';
import './live-print.css';

interface GridRow {
  checkpoint: string;
  checkpointName: string;
}

const addDays = (date: string, days: number) => dayjs(date).add(days, 'day').format('YYYY-MM-DD');

/** The checkpoints of the grid: the site's, then any the roster names that are not among them. */
function gridRows(checkpoints: readonly Checkpoint[], roster: RosterDay | undefined): GridRow[] {
  const rows: GridRow[] = checkpoints.map((c) => ({ checkpoint: c.code, checkpointName: c.nameZh }));
  for (const r of roster?.rows ?? []) if (!rows.some((x) => x.checkpoint === r.checkpoint)) rows.push({ checkpoint: r.checkpoint, checkpointName: r.checkpointName });
  return rows;
}

/** Whether a roster cell (a checkpoint's shift on a date) is on duty now. */
function onDutyNow(now: DutyNow | undefined, checkpoint: string, shift: string, date: string): boolean {
  return Boolean(now?.rows.find((r) => r.checkpoint === checkpoint)?.guards.some((g) => g.shift === shift && g.date === date));
}

function ShiftModal({ site, open, onClose }: { site: string; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const describeError = useErrorMessage();
  const [form] = Form.useForm<{ code: string; name: string; starts: Dayjs; ends: Dayjs }>();
  const create = useCreateShift();
  const [failure, setFailure] = useState<string | null>(null);
  return (
    <Modal open={open} title={t('accessLive.duty.addShift')} okText={t('common.save')} cancelText={t('common.cancel')} onOk={() => form.submit()} onCancel={onClose} confirmLoading={create.isPending} destroyOnHidden>
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) => {
          setFailure(null);
          create.mutate(
            { site, body: { code: v.code.trim(), name: v.name.trim(), starts: v.starts.format('HH:mm'), ends: v.ends.format('HH:mm') } },
            {
              onSuccess: () => {
                void message.success(t('common.saved'));
                onClose();
              },
              onError: (e) => {
                if (!showFieldErrors(form, e, { code: 'code', name: 'name', starts: 'starts', ends: 'ends' })) setFailure(describeError(e));
              },
            },
          );
        }}
      >
        <Flex gap={8} wrap>
          <Form.Item name="code" label={t('accessLive.common.code')} rules={[{ required: true, whitespace: true }]} style={{ width: 140 }}>
            <Input maxLength={20} />
          </Form.Item>
          <Form.Item name="name" label={t('accessLive.common.name')} rules={[{ required: true, whitespace: true }]} style={{ flex: 1, minWidth: 160 }}>
            <Input maxLength={50} />
          </Form.Item>
        </Flex>
        <Flex gap={8} wrap>
          <Form.Item name="starts" label={t('accessLive.duty.starts')} rules={[{ required: true }]}>
            <TimePicker format="HH:mm" minuteStep={5} />
          </Form.Item>
          <Form.Item name="ends" label={t('accessLive.duty.ends')} rules={[{ required: true }]} extra={t('accessLive.duty.overnightHint')}>
            <TimePicker format="HH:mm" minuteStep={5} />
          </Form.Item>
        </Flex>
        {failure ? <Alert type="error" showIcon title={failure} /> : null}
      </Form>
    </Modal>
  );
}

interface GenerateForm {
  checkpoints: string[];
  shifts: string[];
  guards: string[];
  from: Dayjs;
  days: number;
  perPost: number;
}

/** Generate a rotation: guards in order across the checkpoints and shifts of a date range (it replaces that range). */
function GenerateModal({ site, date, checkpoints, shifts, roster, open, onClose }: { site: string; date: string; checkpoints: readonly Checkpoint[]; shifts: readonly Shift[]; roster: RosterDay | undefined; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const describeError = useErrorMessage();
  const [form] = Form.useForm<GenerateForm>();
  const generate = useGenerateRoster();
  const [failure, setFailure] = useState<string | null>(null);
  const rosterGuards = useMemo(() => {
    const seen = new Map<string, string>();
    for (const r of roster?.rows ?? []) for (const g of r.guards) if (!seen.has(g.code)) seen.set(g.code, g.name);
    return [...seen].map(([code, name]) => ({ code, name }));
  }, [roster]);

  const submit = (v: GenerateForm) => {
    setFailure(null);
    const from = v.from.format('YYYY-MM-DD');
    const to = addDays(from, v.days - 1);
    void modal.confirm({
      title: t('accessLive.duty.generate'),
      content: t('accessLive.duty.generateConfirm', { from, to, count: v.checkpoints.length }),
      okText: t('accessLive.duty.generateOk'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: () =>
        generate.mutateAsync({ site, checkpoints: v.checkpoints, shifts: v.shifts, guards: v.guards, from, days: v.days, perPost: v.perPost }).then(
          (r) => {
            void message.success(t('accessLive.duty.generated', { assignments: r.assignments, replaced: r.replaced, from: r.from, to: r.to }));
            onClose();
          },
          (e: unknown) => {
            if (!showFieldErrors(form, e, { checkpoints: 'checkpoints', shifts: 'shifts', guards: 'guards', from: 'from', days: 'days', perPost: 'perPost' })) setFailure(describeError(e));
          },
        ),
    });
  };

  return (
    <Modal open={open} title={t('accessLive.duty.generate')} okText={t('accessLive.duty.generateNext')} cancelText={t('common.cancel')} onOk={() => form.submit()} onCancel={onClose} confirmLoading={generate.isPending} destroyOnHidden width={620}>
      <Form<GenerateForm>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ checkpoints: checkpoints.map((c) => c.code), shifts: shifts.map((s) => s.code), guards: rosterGuards.map((g) => g.code), from: dayjs(date), days: 7, perPost: 1 }}
      >
        <Form.Item name="checkpoints" label={t('accessLive.duty.checkpoints')} rules={[{ required: true, type: 'array', min: 1 }]}>
          <Select mode="multiple" options={checkpoints.map((c) => ({ value: c.code, label: `${c.nameZh} (${c.code})` }))} />
        </Form.Item>
        <Form.Item name="shifts" label={t('accessLive.duty.shifts')} rules={[{ required: true, type: 'array', min: 1 }]}>
          <Select mode="multiple" options={shifts.map((s) => ({ value: s.code, label: `${s.name} ${s.starts}–${s.ends}` }))} />
        </Form.Item>
        <Form.Item name="guards" label={t('accessLive.duty.guards')} extra={t('accessLive.duty.guardsHint')} rules={[{ required: true, type: 'array', min: 1 }]}>
          <PersonPicker multiple extra={rosterGuards} />
        </Form.Item>
        <Flex gap={8} wrap>
          <Form.Item name="from" label={t('accessLive.duty.from')} rules={[{ required: true }]}>
            <DatePicker allowClear={false} />
          </Form.Item>
          <Form.Item name="days" label={t('accessLive.duty.days')} rules={[{ required: true }]}>
            <InputNumber min={1} max={62} precision={0} />
          </Form.Item>
          <Form.Item name="perPost" label={t('accessLive.duty.perPost')} rules={[{ required: true }]}>
            <InputNumber min={1} max={20} precision={0} />
          </Form.Item>
        </Flex>
        <Alert type="warning" showIcon title={t('accessLive.duty.replaceWarning')} />
        {failure ? <Alert type="error" showIcon title={failure} style={{ marginTop: 8 }} /> : null}
      </Form>
    </Modal>
  );
}

function Handovers({ site, date, checkpoints, shifts, canAdd }: { site: string; date: string; checkpoints: readonly Checkpoint[]; shifts: readonly Shift[]; canAdd: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const describeError = useErrorMessage();
  const list = useHandovers(site);
  const add = useAddHandover();
  const [form] = Form.useForm<{ checkpoint: string; date: Dayjs; shift?: string; note: string }>();
  const [failure, setFailure] = useState<string | null>(null);
  return (
    <Card size="small" title={t('accessLive.duty.handovers')}>
      <Row gutter={[16, 16]}>
        {canAdd ? (
          <Col xs={24} lg={10}>
            <Form
              // Mounted again once the checkpoints are there, to start on the first one.
              key={checkpoints[0]?.code ?? ''}
              form={form}
              layout="vertical"
              initialValues={{ date: dayjs(date), checkpoint: checkpoints[0]?.code }}
              onFinish={(v) => {
                setFailure(null);
                add.mutate(
                  { checkpoint: v.checkpoint, date: v.date.format('YYYY-MM-DD'), shift: v.shift ?? null, note: v.note.trim() },
                  {
                    onSuccess: () => {
                      void message.success(t('accessLive.duty.handoverAdded'));
                      form.setFieldValue('note', '');
                    },
                    onError: (e) => {
                      if (!showFieldErrors(form, e, { checkpoint: 'checkpoint', date: 'date', shift: 'shift', note: 'note' })) setFailure(describeError(e));
                    },
                  },
                );
              }}
            >
              <Flex gap={8} wrap>
                <Form.Item name="checkpoint" label={t('accessLive.common.checkpoint')} rules={[{ required: true }]} style={{ flex: 1, minWidth: 160 }}>
                  <Select options={checkpoints.map((c) => ({ value: c.code, label: c.nameZh }))} />
                </Form.Item>
                <Form.Item name="date" label={t('accessLive.common.date')} rules={[{ required: true }]}>
                  <DatePicker allowClear={false} />
                </Form.Item>
                <Form.Item name="shift" label={t('accessLive.duty.shift')} style={{ minWidth: 120 }}>
                  <Select allowClear options={shifts.map((s) => ({ value: s.code, label: s.name }))} />
                </Form.Item>
              </Flex>
              <Form.Item name="note" label={t('accessLive.duty.note')} rules={[{ required: true, whitespace: true, message: t('common.fieldRequired', { field: t('accessLive.duty.note') }) }]}>
                <Input.TextArea rows={3} maxLength={4000} />
              </Form.Item>
              {failure ? <Alert type="error" showIcon title={failure} style={{ marginBottom: 8 }} /> : null}
              <Button type="primary" htmlType="submit" loading={add.isPending}>
                {t('accessLive.duty.addHandover')}
              </Button>
            </Form>
          </Col>
        ) : null}
        <Col xs={24} lg={canAdd ? 14 : 24}>
          {list.isError ? (
            <LoadError error={list.error} onRetry={() => void list.refetch()} />
          ) : (
            <List<Handover>
              size="small"
              loading={list.isPending}
              dataSource={list.data?.rows ?? []}
              rowKey="id"
              locale={{ emptyText: t('accessLive.duty.noHandovers') }}
              pagination={{ pageSize: 8, hideOnSinglePage: true, size: 'small' }}
              renderItem={(h) => (
                <List.Item>
                  <Flex vertical gap={2} style={{ width: '100%' }}>
                    <Flex gap={8} wrap>
                      <Typography.Text strong>{h.checkpointName}</Typography.Text>
                      <Typography.Text type="secondary">
                        {h.date}
                        {h.shift ? ` · ${shifts.find((s) => s.code === h.shift)?.name ?? h.shift}` : ''}
                      </Typography.Text>
                    </Flex>
                    <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{h.note}</Typography.Paragraph>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {[h.createdBy, formatShanghai(h.createdAt, 'dateHm')].filter(Boolean).join(' · ')}
                    </Typography.Text>
                  </Flex>
                </List.Item>
              )}
            />
          )}
        </Col>
      </Row>
    </Card>
  );
}

/** 值班排班: the shifts of a site, the roster of a day as a grid (checkpoints × shifts), who is on duty now, rotation and handover notes. */
export function DutyPage() {
  const { t } = useTranslation();
  const can = usePermission();
  const canWrite = can('access.write');
  const [params] = useSearchParams();
  const set = useSetSearchParam();
  const sites = useSites();
  const site = params.get('site') ?? sortedSites(sites.data?.rows ?? [])[0]?.code;
  const dateParam = params.get('date') ?? undefined;
  const shifts = useShifts(site);
  const checkpoints = useCheckpoints(site);
  const roster = useRoster(site, dateParam);
  const now = useDutyNow(site);
  const [dialog, setDialog] = useState<'shift' | 'generate' | null>(null);
  const date = roster.data?.date ?? dateParam ?? now.data?.localDate ?? '';
  const shiftRows = shifts.data?.rows ?? [];
  const cpRows = checkpoints.data?.rows ?? [];
  const rows = gridRows(cpRows, roster.data);

  const columns: ColumnsType<GridRow> = [
    { title: t('accessLive.common.checkpoint'), dataIndex: 'checkpointName', fixed: 'left', render: (v: string, r) => <span title={r.checkpoint}>{v}</span> },
    ...shiftRows.map((s) => ({
      title: (
        <Flex vertical>
          <span>{s.name}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal' }}>
            {s.starts}–{s.ends}
            {s.overnight ? ` ${t('accessLive.duty.nextDay')}` : ''}
          </Typography.Text>
        </Flex>
      ),
      key: s.code,
      onCell: (r: GridRow) => ({ className: onDutyNow(now.data, r.checkpoint, s.code, date) ? 'live-duty-now' : undefined }),
      render: (_v: unknown, r: GridRow) => {
        const cell = roster.data?.rows.find((x) => x.checkpoint === r.checkpoint && x.shift === s.code);
        const active = onDutyNow(now.data, r.checkpoint, s.code, date);
        if (!cell || cell.guards.length === 0) return <Typography.Text type="secondary">—</Typography.Text>;
        return (
          <Flex gap={4} wrap data-testid={`duty-${r.checkpoint}-${s.code}`}>
            {active ? <Tag color="green">{t('accessLive.duty.onDutyNow')}</Tag> : null}
            {cell.guards.map((g) => (
              <Tag key={g.code} title={g.code}>
                {g.name}
              </Tag>
            ))}
          </Flex>
        );
      },
    })),
  ];

  return (
    <Flex vertical gap={16}>
      <Flex gap={8} wrap align="center" justify="space-between">
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('accessLive.duty.title')}
        </Typography.Title>
        {canWrite && site ? (
          <Flex gap={8} wrap>
            <Button icon={<PlusOutlined aria-hidden />} onClick={() => setDialog('shift')}>
              {t('accessLive.duty.addShift')}
            </Button>
            <Button type="primary" icon={<SyncOutlined aria-hidden />} onClick={() => setDialog('generate')} disabled={shiftRows.length === 0 || cpRows.length === 0}>
              {t('accessLive.duty.generate')}
            </Button>
          </Flex>
        ) : null}
      </Flex>
      <Form layout="inline" style={{ rowGap: 8 }}>
        <Form.Item label={t('accessLive.common.site')} htmlFor="duty-site">
          <SiteSelect id="duty-site" sites={sites.data?.rows ?? []} value={site} onChange={(v) => set('site', v)} loading={sites.isPending} />
        </Form.Item>
        <Form.Item label={t('accessLive.common.date')} htmlFor="duty-date">
          <DatePicker id="duty-date" allowClear={false} value={date ? dayjs(date) : null} onChange={(d) => set('date', d ? d.format('YYYY-MM-DD') : null)} />
        </Form.Item>
      </Form>
      {sites.isError ? <LoadError error={sites.error} onRetry={() => void sites.refetch()} /> : null}
      {!site ? (
        sites.data ? (
          <Card>
            <Empty description={t('accessLive.live.noSites')} />
          </Card>
        ) : (
          <PageSpin />
        )
      ) : (
        <>
          <Card size="small" title={t('accessLive.duty.nowTitle', { time: now.data ? `${now.data.localDate} ${now.data.localTime}` : '' })}>
            {now.isError ? (
              <LoadError error={now.error} onRetry={() => void now.refetch()} />
            ) : !now.data ? (
              <PageSpin />
            ) : (
              <Row gutter={[12, 8]}>
                {now.data.rows.map((r) => (
                  <Col key={r.checkpoint} xs={24} sm={12} lg={8}>
                    <Typography.Text strong>{r.checkpointName}</Typography.Text>
                    {'：'}
                    {r.guards.length === 0 ? (
                      <Typography.Text type="warning">{t('accessLive.duty.nobody')}</Typography.Text>
                    ) : (
                      <Typography.Text>
                        {r.guards.map((g) => g.name).join('、')} <Typography.Text type="secondary">({r.guards[0]!.shiftName})</Typography.Text>
                      </Typography.Text>
                    )}
                  </Col>
                ))}
              </Row>
            )}
          </Card>
          <Card size="small" title={t('accessLive.duty.roster', { date })}>
            {roster.isError ? (
              <LoadError error={roster.error} onRetry={() => void roster.refetch()} />
            ) : shifts.isError ? (
              <LoadError error={shifts.error} onRetry={() => void shifts.refetch()} />
            ) : shifts.data && shiftRows.length === 0 ? (
              <Empty description={t('accessLive.duty.noShifts')} />
            ) : (
              <Table<GridRow>
                size="small"
                rowKey="checkpoint"
                bordered
                loading={roster.isPending || shifts.isPending || checkpoints.isPending}
                dataSource={rows}
                columns={columns}
                pagination={false}
                scroll={{ x: 'max-content' }}
              />
            )}
          </Card>
          <Handovers site={site} date={date || shanghaiToday()} checkpoints={cpRows} shifts={shiftRows} canAdd={canWrite || can('gate.operate')} />
          {dialog === 'shift' ? <ShiftModal site={site} open onClose={() => setDialog(null)} /> : null}
          {dialog === 'generate' ? (
            <GenerateModal site={site} date={date} checkpoints={cpRows} shifts={shiftRows} roster={roster.data} open onClose={() => setDialog(null)} />
          ) : null}
        </>
      )}
    </Flex>
  );
}
