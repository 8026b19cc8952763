import { ArrowLeftOutlined, CheckOutlined, LogoutOutlined, StopOutlined } from '@ant-design/icons';
import { Alert, App, Badge, Button, Card, Descriptions, Flex, Form, Input, InputNumber, List, Modal, Popconfirm, Select, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { usePermission } from '../../../app/session';
import { LoadError, PageSpin } from '../../../app/status-pages';
import { confirmWithReason, formatShanghai, shanghaiToday, showFieldErrors } from '../../access/live-parts';
import { DEFAULT_FEVER_C, formatTemperature, PersonName, QuarantineStatusTag, useHealthError, useTemperatureRules } from './cases-parts';
import { useActiveIncident, useAddNote, useAddSupport, useDeliverSupport, useMarkLost, useQuarantine, useRelease, type FollowUp, type Note, type Quarantine, type Support, type SupportKind } from './cases-queries';
import { NextCheckButton, RecordCheckModal, ScheduleGrid, StateLegend } from './quarantine-schedule';
import './cases.css';

const SUPPORT_KINDS = Object.keys({ food: 1, medicine: 1, supplies: 1, other: 1 } satisfies Record<SupportKind, 1>) as SupportKind[];
const NOTE_KINDS = Object.keys({ counselling: 1, other: 1 } satisfies Record<Note['kind'], 1>) as Note['kind'][];

interface ReleaseForm {
  temperatureC?: number | null;
  note: string;
  reason?: string;
}

/** 解除隔离: a final check without fever and a note; before the planned end only as an early release with a reason. */
function ReleaseModal({ q, open, onClose, threshold }: { q: Quarantine; open: boolean; onClose: () => void; threshold: number }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const describe = useHealthError();
  const [form] = Form.useForm<ReleaseForm>();
  const release = useRelease(q.id);
  const temperatureRules = useTemperatureRules(true);
  const [failure, setFailure] = useState<string | null>(null);
  const early = shanghaiToday() < q.plannedEnd;
  const submit = (v: ReleaseForm) => {
    setFailure(null);
    const temperatureC = v.temperatureC ?? 0;
    void modal.confirm({
      title: t('healthCases.quarantine.releaseConfirmTitle'),
      content: early ? t('healthCases.quarantine.releaseConfirmEarly', { end: q.plannedEnd }) : t('healthCases.quarantine.releaseConfirm'),
      okText: t('healthCases.quarantine.release'),
      okButtonProps: { danger: early },
      cancelText: t('common.cancel'),
      onOk: () =>
        release.mutateAsync({ temperatureC, note: v.note.trim(), version: q.version, early, ...(early && v.reason?.trim() ? { reason: v.reason.trim() } : {}) }).then(
          () => {
            void message.success(t('healthCases.quarantine.released'));
            onClose();
          },
          (e: unknown) => {
            if (!showFieldErrors(form, e, { temperatureC: 'temperatureC', note: 'note', reason: 'reason' })) setFailure(describe(e));
          },
        ),
    });
  };
  return (
    <Modal open={open} title={t('healthCases.quarantine.release')} okText={t('healthCases.quarantine.releaseNext')} cancelText={t('common.cancel')} onOk={() => form.submit()} onCancel={onClose} confirmLoading={release.isPending} destroyOnHidden>
      <Form<ReleaseForm> form={form} layout="vertical" onFinish={submit}>
        {early ? <Alert type="warning" showIcon title={t('healthCases.quarantine.earlyWarning', { end: q.plannedEnd })} style={{ marginBottom: 12 }} /> : null}
        <Form.Item name="temperatureC" label={t('healthCases.quarantine.finalTemperature')} rules={temperatureRules} extra={t('healthCases.quarantine.finalHint', { threshold: threshold.toFixed(1) })}>
          <InputNumber min={30} max={45} step={0.1} style={{ width: 160 }} inputMode="decimal" />
        </Form.Item>
        <Form.Item name="note" label={t('healthCases.common.note')} rules={[{ required: true, whitespace: true, message: t('common.fieldRequired', { field: t('healthCases.common.note') }) }]}>
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
        {early ? (
          <Form.Item name="reason" label={t('healthCases.quarantine.earlyReason')} rules={[{ required: true, whitespace: true, message: t('common.fieldRequired', { field: t('healthCases.quarantine.earlyReason') }) }]}>
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
        ) : null}
        {failure ? <Alert type="error" showIcon title={failure} /> : null}
      </Form>
    </Modal>
  );
}

/** 生活保障: requests (food, medicine, supplies) and their delivery. */
function Supports({ q, canDeclare }: { q: Quarantine; canDeclare: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const describe = useHealthError();
  const add = useAddSupport(q.id);
  const deliver = useDeliverSupport(q.id);
  const [kind, setKind] = useState<SupportKind>('food');
  const [request, setRequest] = useState('');
  const submit = () =>
    add.mutate(
      { kind, request: request.trim() },
      {
        onSuccess: () => {
          setRequest('');
          void message.success(t('healthCases.quarantine.supportAdded'));
        },
        onError: (e) => void message.error(describe(e)),
      },
    );
  const active = q.status === 'active';
  return (
    <Card size="small" title={t('healthCases.quarantine.supports')}>
      <List<Support>
        size="small"
        dataSource={q.supports}
        locale={{ emptyText: active ? t('healthCases.quarantine.noSupportsActive') : t('healthCases.quarantine.noSupports') }}
        renderItem={(s) => (
          <List.Item
            actions={
              s.deliveredAt === null && canDeclare
                ? [
                    <Popconfirm
                      key="deliver"
                      title={t('healthCases.quarantine.deliverConfirm')}
                      okText={t('healthCases.quarantine.deliver')}
                      cancelText={t('common.cancel')}
                      onConfirm={() =>
                        deliver.mutateAsync({ supportId: s.id }).then(
                          () => void message.success(t('healthCases.quarantine.delivered')),
                          (e: unknown) => void message.error(describe(e)),
                        )
                      }
                    >
                      <Button size="small" icon={<CheckOutlined aria-hidden />}>
                        {t('healthCases.quarantine.deliver')}
                      </Button>
                    </Popconfirm>,
                  ]
                : []
            }
          >
            <Flex vertical gap={2}>
              <span>
                <Tag color="orange">{t(`healthCases.supportKinds.${s.kind}`)}</Tag> {s.request}
              </span>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('healthCases.quarantine.requestedAt', { at: formatShanghai(s.requestedAt, 'dateHm') })}
                {s.deliveredAt ? ` · ${t('healthCases.quarantine.deliveredAt', { at: formatShanghai(s.deliveredAt, 'dateHm'), by: s.deliveredBy ?? '—' })}` : ''}
                {s.deliveryNote ? ` · ${s.deliveryNote}` : ''}
              </Typography.Text>
            </Flex>
            {s.deliveredAt === null ? <Badge status="warning" text={t('healthCases.quarantine.open')} /> : null}
          </List.Item>
        )}
      />
      {active && canDeclare ? (
        <Flex gap={8} wrap style={{ marginTop: 8 }}>
          <Select<SupportKind> aria-label={t('healthCases.quarantine.supportKind')} value={kind} onChange={setKind} style={{ width: 140 }} options={SUPPORT_KINDS.map((k) => ({ value: k, label: t(`healthCases.supportKinds.${k}`) }))} />
          <Input aria-label={t('healthCases.quarantine.supportRequest')} placeholder={t('healthCases.quarantine.supportRequest')} value={request} onChange={(e) => setRequest(e.target.value)} maxLength={1000} style={{ flex: 1, minWidth: 180 }} onPressEnter={() => request.trim() && submit()} />
          <Button onClick={submit} disabled={!request.trim()} loading={add.isPending}>
            {t('healthCases.quarantine.addSupport')}
          </Button>
        </Flex>
      ) : null}
    </Card>
  );
}

/** 心理疏导: counselling and other notes. */
function Notes({ q, canWrite }: { q: Quarantine; canWrite: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const describe = useHealthError();
  const add = useAddNote(q.id);
  const [kind, setKind] = useState<Note['kind']>('counselling');
  const [text, setText] = useState('');
  const submit = () =>
    add.mutate(
      { kind, text: text.trim() },
      {
        onSuccess: () => {
          setText('');
          void message.success(t('healthCases.quarantine.noteAdded'));
        },
        onError: (e) => void message.error(describe(e)),
      },
    );
  return (
    <Card size="small" title={t('healthCases.quarantine.notes')}>
      <List<Note>
        size="small"
        dataSource={q.notes}
        locale={{ emptyText: t('healthCases.quarantine.noNotes') }}
        renderItem={(n) => (
          <List.Item>
            <Flex vertical gap={2}>
              <span>
                <Tag color={n.kind === 'counselling' ? 'cyan' : 'default'}>{t(`healthCases.noteKinds.${n.kind}`)}</Tag> {n.text}
              </span>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {formatShanghai(n.at, 'dateHm')} · {n.writtenBy ?? '—'}
              </Typography.Text>
            </Flex>
          </List.Item>
        )}
      />
      {canWrite ? (
        <Flex vertical gap={8} style={{ marginTop: 8 }}>
          <Select<Note['kind']> aria-label={t('healthCases.quarantine.noteKind')} value={kind} onChange={setKind} style={{ width: 140 }} options={NOTE_KINDS.map((k) => ({ value: k, label: t(`healthCases.noteKinds.${k}`) }))} />
          <Input.TextArea aria-label={t('healthCases.quarantine.noteText')} placeholder={t('healthCases.quarantine.noteText')} rows={2} maxLength={4000} value={text} onChange={(e) => setText(e.target.value)} />
          <Button onClick={submit} disabled={!text.trim()} loading={add.isPending} style={{ alignSelf: 'flex-start' }}>
            {t('healthCases.quarantine.addNote')}
          </Button>
        </Flex>
      ) : null}
    </Card>
  );
}

/** 隔离观察: one person's quarantine — the follow-up schedule as a calendar grid, checks recorded on it (phone-sized), living support, counselling, release. */
export function QuarantinePage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const describe = useHealthError();
  const can = usePermission();
  const quarantine = useQuarantine(id);
  const incident = useActiveIncident();
  const markLost = useMarkLost(id ?? '');
  const [check, setCheck] = useState<FollowUp | null>(null);
  const [releasing, setReleasing] = useState(false);
  if (quarantine.isPending) return <PageSpin />;
  if (quarantine.isError) return <LoadError error={quarantine.error} onRetry={() => void quarantine.refetch()} />;
  const q = quarantine.data;
  const active = q.status === 'active';
  const threshold = incident.data && incident.data.id === q.incidentId ? incident.data.settings.feverThresholdC : DEFAULT_FEVER_C;
  const counts = { done: 0, due: 0, missed: 0, planned: 0 };
  for (const f of q.followUps) if (!f.cancelled && f.status !== 'cancelled') counts[f.status] += 1;

  const askLost = () =>
    confirmWithReason(modal, {
      title: t('healthCases.quarantine.lostTitle'),
      content: t('healthCases.quarantine.lostContent', { name: q.person.name }),
      label: t('healthCases.quarantine.lostNote'),
      okText: t('healthCases.quarantine.markLost'),
      cancelText: t('common.cancel'),
      onOk: (note) =>
        markLost.mutateAsync({ note, version: q.version }).then(
          () => void message.success(t('healthCases.quarantine.markedLost')),
          (e: unknown) => {
            void message.error(describe(e));
            throw e;
          },
        ),
    });

  return (
    <Flex vertical gap={16} className="quarantine-page">
      <Flex gap={8} wrap align="center" justify="space-between">
        <Link to="/health/quarantines">
          <Button icon={<ArrowLeftOutlined aria-hidden />}>{t('healthCases.quarantine.back')}</Button>
        </Link>
        {active && can('health.write') ? (
          <Flex gap={8} wrap>
            <Button icon={<LogoutOutlined aria-hidden />} onClick={() => setReleasing(true)}>
              {t('healthCases.quarantine.release')}
            </Button>
            <Button danger icon={<StopOutlined aria-hidden />} onClick={askLost}>
              {t('healthCases.quarantine.markLost')}
            </Button>
          </Flex>
        ) : null}
      </Flex>
      <Flex gap={8} wrap align="center">
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('healthCases.quarantine.title', { name: q.person.name })}
        </Typography.Title>
        <QuarantineStatusTag value={q.status} />
        {q.lost && active ? <Tag color="red">{t('healthCases.quarantines.lostTag')}</Tag> : null}
        {q.missedTotal > 0 ? <Badge count={t('healthCases.quarantine.missedBadge', { count: q.missedTotal })} style={{ backgroundColor: '#ff4d4f' }} /> : null}
      </Flex>
      <Descriptions size="small" bordered column={{ xs: 1, sm: 2, lg: 3 }}>
        <Descriptions.Item label={t('healthCases.common.person')}>
          <PersonName person={q.person} />
        </Descriptions.Item>
        <Descriptions.Item label={t('healthCases.common.site')}>{q.site?.nameZh ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('healthCases.quarantines.place')}>{q.facility ? `${t(`healthCases.places.${q.place}`)} · ${q.facility}` : t(`healthCases.places.${q.place}`)}</Descriptions.Item>
        <Descriptions.Item label={t('healthCases.quarantines.lastExposure')}>{q.lastExposure ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('healthCases.quarantine.window')}>{t('healthCases.quarantine.windowText', { start: q.window.start, end: q.window.end, per: q.perDay })}</Descriptions.Item>
        <Descriptions.Item label={t('healthCases.quarantine.plannedEnd')}>{q.plannedEnd}</Descriptions.Item>
        {q.release ? (
          <Descriptions.Item label={t('healthCases.quarantine.releasedAt')} span="filled">
            {formatShanghai(q.release.at, 'dateHm')} · {q.release.by ?? '—'} · {formatTemperature(q.release.temperatureC)}
            {q.release.note ? ` · ${q.release.note}` : ''}
          </Descriptions.Item>
        ) : null}
      </Descriptions>
      <Card
        size="small"
        title={t('healthCases.quarantine.schedule')}
        extra={
          <Typography.Text type="secondary" data-testid="schedule-counts">
            {t('healthCases.quarantine.counts', counts)}
          </Typography.Text>
        }
      >
        <Flex vertical gap={12}>
          {active && can('health.declare') ? <NextCheckButton q={q} onPick={setCheck} /> : null}
          {active && !can('health.declare') ? <Typography.Text type="secondary">{t('healthCases.quarantine.readOnly')}</Typography.Text> : null}
          <StateLegend />
          <ScheduleGrid q={q} canRecord={can('health.declare')} onPick={setCheck} />
          {q.followUps.some((f) => f.cancelled) ? <Typography.Text type="secondary">{t('healthCases.quarantine.movedHint')}</Typography.Text> : null}
        </Flex>
      </Card>
      <Supports q={q} canDeclare={can('health.declare')} />
      <Notes q={q} canWrite={can('health.write')} />
      <RecordCheckModal q={q} check={check} threshold={threshold} onClose={() => setCheck(null)} />
      {releasing ? <ReleaseModal q={q} open onClose={() => setReleasing(false)} threshold={threshold} /> : null}
    </Flex>
  );
}
