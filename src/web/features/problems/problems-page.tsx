import { PaperClipOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, App, AutoComplete, Badge, Button, Card, Descriptions, Drawer, Empty, Flex, Form, Input, InputNumber, Modal, Progress, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { formatDateTime } from '../../app/format';
import { useErrorMessage } from '../../app/errors';
import { usePermission } from '../../app/session';
import { LoadError, PageSpin } from '../../app/status-pages';
import { useIndicatorMap } from '../indicators/queries';
import { UnitTreeSelect } from '../units/components/unit-tree-select';
import { useUnits } from '../units/queries';
import {
  acceptedFiles,
  attachmentUrl,
  isActiveStatus,
  manualSourceList,
  severityList,
  sourceList,
  statusOrder,
  uploadAttachment,
  useAddMeasure,
  useAddMeasureUpdate,
  useCancelProblem,
  useCloseProblem,
  useOwnerOptions,
  useProblem,
  useProblems,
  useRaiseProblem,
  useUpdateMeasure,
  useUpdateProblem,
  type Attachment,
  type ManualSource,
  type Measure,
  type Problem,
  type ProblemDetail,
  type ProblemSource,
  type ProblemStatus,
  type Severity,
} from './queries';

const statusColors: Record<ProblemStatus, string> = { open: 'red', 'in-progress': 'processing', closing: 'gold', verified: 'success', 'closed-unverified': 'orange', cancelled: 'default' };
const severityColors: Record<Severity, string> = { low: 'default', medium: 'blue', high: 'volcano', critical: 'magenta' };

/** Picks files and uploads each at once; the ids go to the form. */
function FileUploader({ value = [], onChange }: { value?: Attachment[]; onChange?: (files: Attachment[]) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const describe = useErrorMessage();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  async function pick(files: FileList | null) {
    if (!files?.length) return;
    setBusy(true);
    const added: Attachment[] = [];
    for (const f of Array.from(files)) {
      try {
        added.push(await uploadAttachment(f));
      } catch (e) {
        void message.error(`${f.name}: ${describe(e)}`);
      }
    }
    setBusy(false);
    if (input.current) input.current.value = '';
    onChange?.([...value, ...added]);
  }
  return (
    <Flex vertical gap={4}>
      <input ref={input} type="file" multiple accept={acceptedFiles} hidden onChange={(e) => void pick(e.target.files)} aria-label={t('problems.attach')} />
      <Button icon={<UploadOutlined aria-hidden />} loading={busy} onClick={() => input.current?.click()}>
        {t('problems.attach')}
      </Button>
      <Typography.Text type="secondary">{t('problems.attachHint')}</Typography.Text>
      {value.map((f) => (
        <Flex key={f.id} gap={8} align="center">
          <PaperClipOutlined aria-hidden /> {f.fileName}
          <Button size="small" type="link" danger onClick={() => onChange?.(value.filter((x) => x.id !== f.id))}>
            {t('problems.remove')}
          </Button>
        </Flex>
      ))}
    </Flex>
  );
}

function Files({ files }: { files: Attachment[] }) {
  if (!files.length) return null;
  return (
    <Flex gap={8} wrap>
      {files.map((f) => (
        <a key={f.id} href={attachmentUrl(f.id)} download={f.fileName}>
          <PaperClipOutlined aria-hidden /> {f.fileName}
        </a>
      ))}
    </Flex>
  );
}

function OwnerInput(props: { value?: string; onChange?: (v: string) => void; id?: string }) {
  const people = useOwnerOptions();
  const options = (people.data ?? []).map((p) => ({ value: p.code, label: `${p.code} ${p.name}` }));
  return <AutoComplete {...props} options={options} filterOption={(input, o) => String(o?.label ?? '').toLowerCase().includes(input.toLowerCase())} />;
}

function UnitCodesSelect(props: { value?: string[]; onChange?: (v: string[]) => void; id?: string }) {
  const units = useUnits();
  const { i18n } = useTranslation();
  const options = (units.data ?? []).map((u) => ({ value: u.code, label: `${u.code} ${i18n.language.startsWith('zh') ? u.nameZh : u.nameEn}` }));
  return <Select {...props} mode="multiple" options={options} optionFilterProp="label" allowClear />;
}

function MeasureCard({ problem, measure, canWrite }: { problem: ProblemDetail; measure: Measure; canWrite: boolean }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const describe = useErrorMessage();
  const update = useUpdateMeasure();
  const progress = useAddMeasureUpdate();
  const [form] = Form.useForm<{ note: string; progress?: number; files: Attachment[] }>();
  const [open, setOpen] = useState(false);
  const editable = canWrite && isActiveStatus(problem.status);
  const setStatus = (status: 'done' | 'cancelled' | 'open') =>
    modal.confirm({
      title: t(`problems.measure.confirm.${status}`),
      okButtonProps: { danger: status === 'cancelled' },
      onOk: () =>
        update.mutateAsync({ id: measure.id, status, version: measure.version }).then(
          () => void message.success(t('problems.saved')),
          (e: unknown) => void message.error(describe(e)),
        ),
    });
  return (
    <Card size="small" style={{ marginBottom: 8 }} title={measure.description} extra={<Tag color={measure.status === 'open' ? (measure.overdue ? 'red' : 'blue') : measure.status === 'done' ? 'green' : 'default'}>{t(`problems.measure.status.${measure.status}`)}</Tag>}>
      <Descriptions size="small" column={{ xs: 1, sm: 2 }}>
        <Descriptions.Item label={t('problems.measure.owner')}>{`${measure.owner.code} ${measure.owner.name}`}</Descriptions.Item>
        <Descriptions.Item label={t('problems.measure.coUnits')}>{measure.coUnits.join('、') || '—'}</Descriptions.Item>
        <Descriptions.Item label={t('problems.measure.dueDate')}>
          <Typography.Text type={measure.overdue ? 'danger' : undefined} strong={measure.overdue}>
            {measure.dueDate}
            {measure.overdue ? ` (${t('problems.overdue')})` : ''}
          </Typography.Text>
        </Descriptions.Item>
      </Descriptions>
      <Progress percent={measure.progress} status={measure.overdue ? 'exception' : measure.status === 'done' ? 'success' : 'active'} />
      {measure.updates.map((u) => (
        <Flex key={u.id} vertical style={{ borderLeft: '2px solid #d9d9d9', paddingLeft: 8, marginTop: 6 }}>
          <Typography.Text type="secondary">
            {formatDateTime(u.createdAt)} · {u.createdBy ?? '—'}
            {u.progress !== null ? ` · ${u.progress}%` : ''}
          </Typography.Text>
          <Typography.Text>{u.note}</Typography.Text>
          <Files files={u.attachments} />
        </Flex>
      ))}
      {editable && (
        <Space wrap style={{ marginTop: 8 }}>
          {measure.status === 'open' && <Button size="small" onClick={() => { form.setFieldsValue({ note: '', progress: measure.progress, files: [] }); setOpen(true); }}>{t('problems.measure.addUpdate')}</Button>}
          {measure.status === 'open' && <Button size="small" onClick={() => setStatus('done')}>{t('problems.measure.markDone')}</Button>}
          {measure.status === 'open' && <Button size="small" danger onClick={() => setStatus('cancelled')}>{t('problems.measure.cancel')}</Button>}
          {measure.status !== 'open' && <Button size="small" onClick={() => setStatus('open')}>{t('problems.measure.reopen')}</Button>}
        </Space>
      )}
      <Modal
        open={open}
        title={t('problems.measure.addUpdate')}
        onCancel={() => setOpen(false)}
        confirmLoading={progress.isPending}
        onOk={() =>
          void form.validateFields().then((v) =>
            progress.mutate(
              { id: measure.id, note: v.note, ...(v.progress !== undefined && v.progress !== null ? { progress: v.progress } : {}), attachments: (v.files ?? []).map((f) => f.id) },
              { onSuccess: () => { setOpen(false); void message.success(t('problems.saved')); }, onError: (e) => void message.error(describe(e)) },
            ),
          )
        }
      >
        <Form form={form} layout="vertical">
          <Form.Item name="note" label={t('problems.measure.note')} rules={[{ required: true, whitespace: true }]}>
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
          <Form.Item name="progress" label={t('problems.measure.progress')}>
            <InputNumber min={0} max={100} addonAfter="%" />
          </Form.Item>
          <Form.Item name="files" label={t('problems.attachments')}>
            <FileUploader />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}

function ProblemDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const describe = useErrorMessage();
  const can = usePermission();
  const detail = useProblem(id);
  const update = useUpdateProblem();
  const addMeasure = useAddMeasure();
  const close = useCloseProblem();
  const cancel = useCancelProblem();
  const [editForm] = Form.useForm<{ title: string; causeAnalysis: string; description: string; severity: Severity }>();
  const [measureForm] = Form.useForm<{ description: string; owner: string; coUnits: string[]; dueDate: string }>();
  const [closeForm] = Form.useForm<{ note: string; files: Attachment[] }>();
  const [cancelForm] = Form.useForm<{ reason: string }>();
  const [dialog, setDialog] = useState<null | 'measure' | 'close' | 'edit' | 'cancel'>(null);
  const p = detail.data;
  const canWrite = can('problem.write');
  const canSupervise = can('supervision.write');
  const active = p ? isActiveStatus(p.status) : false;
  const fail = (e: unknown) => void message.error(describe(e));
  const verification = p?.verification as { verified?: boolean; goodRun?: number; required?: number; goodPeriods?: string[]; lastChecked?: string | null; by?: string } | undefined;

  return (
    <Drawer open={id !== null} onClose={onClose} width={Math.min(720, typeof window === 'undefined' ? 720 : window.innerWidth)} title={p ? `#${p.number} ${p.title}` : t('problems.detail')} destroyOnHidden>
      {detail.isLoading && <PageSpin />}
      {detail.isError && <LoadError error={detail.error} onRetry={() => void detail.refetch()} />}
      {p && (
        <Flex vertical gap={12}>
          <Space wrap>
            <Tag color={statusColors[p.status]}>{t(`problems.status.${p.status}`)}</Tag>
            <Tag color={severityColors[p.severity]}>{t(`problems.severity.${p.severity}`)}</Tag>
            <Tag>{t(`problems.source.${p.source}`)}</Tag>
          </Space>
          <Descriptions size="small" column={{ xs: 1, sm: 2 }} bordered>
            <Descriptions.Item label={t('problems.unit')}>{`${p.unit} ${p.unitName}`}</Descriptions.Item>
            <Descriptions.Item label={t('problems.indicators')}>{p.indicators.join('、') || '—'}</Descriptions.Item>
            <Descriptions.Item label={t('problems.raisedAt')}>{`${formatDateTime(p.raisedAt)} · ${p.raisedBy ?? t('problems.bySystem')}`}</Descriptions.Item>
            {p.gapPeriod && <Descriptions.Item label={t('problems.gapPeriod')}>{p.gapPeriod}</Descriptions.Item>}
            {p.closedAt && <Descriptions.Item label={t('problems.closedAt')}>{formatDateTime(p.closedAt)}</Descriptions.Item>}
            {p.closeReason && <Descriptions.Item label={t('problems.closeReason')}>{p.closeReason}</Descriptions.Item>}
          </Descriptions>
          {p.warning && (
            <Card size="small" title={t('problems.warningFacts', { rule: p.warning.rule, period: p.warning.period ?? '—' })}>
              <Descriptions size="small" column={1}>
                {Object.entries(p.warning.facts)
                  .filter(([k]) => !['definition', 'rule', 'points'].includes(k))
                  .map(([k, v]) => (
                    <Descriptions.Item key={k} label={k}>
                      {typeof v === 'object' ? JSON.stringify(v) : String(v)}
                    </Descriptions.Item>
                  ))}
              </Descriptions>
              <Typography.Text type="secondary">{String(p.warning.facts.definition ?? '')}</Typography.Text>
            </Card>
          )}
          {verification && verification.by && (
            <Alert
              type={verification.verified ? 'success' : 'warning'}
              showIcon
              message={verification.verified ? t('problems.verifiedByData', { periods: (verification.goodPeriods ?? []).join('、') || '—' }) : t('problems.notVerified', { run: verification.goodRun ?? 0, required: verification.required ?? p.verifyPeriods })}
            />
          )}
          <Card size="small" title={t('problems.description')} extra={canWrite && active && <Button size="small" onClick={() => { editForm.setFieldsValue({ title: p.title, description: p.description, causeAnalysis: p.causeAnalysis, severity: p.severity }); setDialog('edit'); }}>{t('problems.edit')}</Button>}>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{p.description || '—'}</Typography.Paragraph>
            <Typography.Text strong>{t('problems.causeAnalysis')}</Typography.Text>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{p.causeAnalysis || t('problems.noCauseAnalysis')}</Typography.Paragraph>
          </Card>
          <Flex justify="space-between" align="center">
            <Typography.Title level={5} style={{ margin: 0 }}>
              {t('problems.measures')} ({p.measureCounts.open}/{p.measureCounts.total})
            </Typography.Title>
            {canWrite && active && (
              <Button icon={<PlusOutlined aria-hidden />} onClick={() => { measureForm.resetFields(); setDialog('measure'); }}>
                {t('problems.addMeasure')}
              </Button>
            )}
          </Flex>
          {p.measures.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('problems.noMeasures')} /> : p.measures.map((m) => <MeasureCard key={m.id} problem={p} measure={m} canWrite={canWrite} />)}
          {(p.supervisionItems.length > 0 || (active && canSupervise)) && (
            <Card
              size="small"
              title={t('problems.supervisionItems')}
              extra={active && canSupervise && <Link to={`/supervision?problem=${p.id}&assign=1`}>{t('problems.assignSupervision')}</Link>}
            >
              {p.supervisionItems.length === 0 && <Typography.Text type="secondary">{t('problems.noSupervision')}</Typography.Text>}
              {p.supervisionItems.map((s) => (
                <div key={s.id}>
                  <Link to={`/supervision?problem=${p.id}&item=${s.id}`}>#{s.number}</Link> · {t(`supervision.states.${s.state}`, { defaultValue: s.state })} · {s.dueDate}
                </div>
              ))}
            </Card>
          )}
          {active && canSupervise && (
            <Space wrap>
              <Button type="primary" onClick={() => { closeForm.resetFields(); setDialog('close'); }}>
                {t('problems.close')}
              </Button>
              <Button danger onClick={() => { cancelForm.resetFields(); setDialog('cancel'); }}>
                {t('problems.cancel')}
              </Button>
            </Space>
          )}
          <Modal open={dialog === 'edit'} title={t('problems.edit')} onCancel={() => setDialog(null)} confirmLoading={update.isPending} onOk={() => void editForm.validateFields().then((v) => update.mutate({ id: p.id, ...v, version: p.version }, { onSuccess: () => { setDialog(null); void message.success(t('problems.saved')); }, onError: fail }))}>
            <Form form={editForm} layout="vertical">
              <Form.Item name="title" label={t('problems.title')} rules={[{ required: true, whitespace: true }]}>
                <Input maxLength={200} />
              </Form.Item>
              <Form.Item name="severity" label={t('problems.severityLabel')}>
                <Select options={severityList.map((s) => ({ value: s, label: t(`problems.severity.${s}`) }))} />
              </Form.Item>
              <Form.Item name="description" label={t('problems.description')}>
                <Input.TextArea rows={3} maxLength={4000} />
              </Form.Item>
              <Form.Item name="causeAnalysis" label={t('problems.causeAnalysis')}>
                <Input.TextArea rows={4} maxLength={4000} />
              </Form.Item>
            </Form>
          </Modal>
          <Modal open={dialog === 'measure'} title={t('problems.addMeasure')} onCancel={() => setDialog(null)} confirmLoading={addMeasure.isPending} onOk={() => void measureForm.validateFields().then((v) => addMeasure.mutate({ problemId: p.id, ...v, coUnits: v.coUnits ?? [] }, { onSuccess: () => { setDialog(null); void message.success(t('problems.saved')); }, onError: fail }))}>
            <Form form={measureForm} layout="vertical">
              <Form.Item name="description" label={t('problems.measure.description')} rules={[{ required: true, whitespace: true }]}>
                <Input.TextArea rows={3} maxLength={2000} />
              </Form.Item>
              <Form.Item name="owner" label={t('problems.measure.owner')} rules={[{ required: true, whitespace: true }]} extra={t('problems.measure.ownerHint')}>
                <OwnerInput />
              </Form.Item>
              <Form.Item name="coUnits" label={t('problems.measure.coUnits')}>
                <UnitCodesSelect />
              </Form.Item>
              <Form.Item name="dueDate" label={t('problems.measure.dueDate')} rules={[{ required: true }]}>
                <Input type="date" />
              </Form.Item>
            </Form>
          </Modal>
          <Modal open={dialog === 'close'} title={t('problems.close')} okText={t('problems.close')} onCancel={() => setDialog(null)} confirmLoading={close.isPending} onOk={() => void closeForm.validateFields().then((v) => close.mutate({ id: p.id, note: v.note, attachments: v.files.map((f) => f.id), version: p.version }, { onSuccess: (r) => { setDialog(null); void message.success(t(`problems.closedAs.${r.status === 'verified' ? 'verified' : 'unverified'}`)); }, onError: fail }))}>
            <Alert type="info" showIcon message={t('problems.closeHint', { n: p.verifyPeriods })} style={{ marginBottom: 12 }} />
            <Form form={closeForm} layout="vertical" initialValues={{ files: [] }}>
              <Form.Item name="note" label={t('problems.closeNote')} rules={[{ required: true, whitespace: true }]}>
                <Input.TextArea rows={3} maxLength={2000} />
              </Form.Item>
              <Form.Item name="files" label={t('problems.evidence')} rules={[{ validator: (_r, v: Attachment[] | undefined) => (v && v.length > 0 ? Promise.resolve() : Promise.reject(new Error(t('problems.evidenceRequired')))) }]}>
                <FileUploader />
              </Form.Item>
            </Form>
          </Modal>
          <Modal
            open={dialog === 'cancel'}
            title={t('problems.cancelTitle')}
            okText={t('problems.cancel')}
            okButtonProps={{ danger: true }}
            onCancel={() => setDialog(null)}
            confirmLoading={cancel.isPending}
            onOk={() =>
              void cancelForm.validateFields().then((v) => {
                modal.confirm({
                  title: t('problems.cancelConfirm'),
                  okButtonProps: { danger: true },
                  onOk: () => cancel.mutateAsync({ id: p.id, reason: v.reason, version: p.version }).then(() => setDialog(null), fail),
                });
              })
            }
          >
            <Form form={cancelForm} layout="vertical">
              <Form.Item name="reason" label={t('problems.cancelReason')} rules={[{ required: true, whitespace: true }]}>
                <Input.TextArea rows={3} maxLength={1000} />
              </Form.Item>
            </Form>
          </Modal>
        </Flex>
      )}
    </Drawer>
  );
}

function RaiseModal({ open, onClose, onRaised }: { open: boolean; onClose: () => void; onRaised: (id: string) => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const describe = useErrorMessage();
  const raise = useRaiseProblem();
  const indicators = useIndicatorMap();
  const [form] = Form.useForm<{ source: ManualSource; unit: string; indicators: string[]; title: string; description: string; causeAnalysis: string; severity: Severity }>();
  const zh = i18n.language.startsWith('zh');
  return (
    <Modal
      open={open}
      title={t('problems.raise')}
      onCancel={onClose}
      confirmLoading={raise.isPending}
      destroyOnHidden
      onOk={() =>
        void form.validateFields().then((v) =>
          raise.mutate(
            { ...v, indicators: v.indicators ?? [], description: v.description ?? '', causeAnalysis: v.causeAnalysis ?? '' },
            { onSuccess: (p) => { void message.success(t('problems.raised', { number: p.number })); onRaised(p.id); }, onError: (e) => void message.error(describe(e)) },
          ),
        )
      }
    >
      <Form form={form} layout="vertical" initialValues={{ source: 'instruction', severity: 'medium', indicators: [] }}>
        <Form.Item name="source" label={t('problems.sourceLabel')} rules={[{ required: true }]}>
          <Select options={manualSourceList.map((s) => ({ value: s, label: t(`problems.source.${s}`) }))} />
        </Form.Item>
        <Form.Item name="unit" label={t('problems.unit')} rules={[{ required: true }]}>
          <UnitTreeSelect valueField="code" />
        </Form.Item>
        <Form.Item name="indicators" label={t('problems.indicators')}>
          <Select mode="multiple" optionFilterProp="label" options={[...indicators.values()].map((i) => ({ value: i.code, label: `${i.code} ${zh ? i.nameZh : i.nameEn}` }))} />
        </Form.Item>
        <Form.Item name="title" label={t('problems.title')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="description" label={t('problems.description')}>
          <Input.TextArea rows={3} maxLength={4000} />
        </Form.Item>
        <Form.Item name="causeAnalysis" label={t('problems.causeAnalysis')}>
          <Input.TextArea rows={3} maxLength={4000} />
        </Form.Item>
        <Form.Item name="severity" label={t('problems.severityLabel')}>
          <Select options={severityList.map((s) => ({ value: s, label: t(`problems.severity.${s}`) }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 问题看板: problems by status, with filters, a detail drawer and raising by hand. */
export function ProblemsPage() {
  const { t } = useTranslation();
  const can = usePermission();
  const [unit, setUnit] = useState<string | null>(null);
  const [source, setSource] = useState<ProblemSource | undefined>();
  const [severity, setSeverity] = useState<Severity | undefined>();
  const [tab, setTab] = useState<'all' | ProblemStatus>('open');
  // The open problem is in the address (?id=…), so that other pages and notifications can link to it.
  const [params, setParams] = useSearchParams();
  const selected = params.get('id');
  const setSelected = (id: string | null) => setParams(id ? { id } : {}, { replace: true });
  const [raising, setRaising] = useState(false);
  const list = useProblems({ ...(unit ? { unit } : {}), ...(source ? { source } : {}) });
  const rows = useMemo(() => (list.data ?? []).filter((p) => !severity || p.severity === severity), [list.data, severity]);
  const counts = useMemo(() => {
    const c = new Map<string, number>();
    for (const p of rows) c.set(p.status, (c.get(p.status) ?? 0) + 1);
    return c;
  }, [rows]);
  const shown = tab === 'all' ? rows : rows.filter((p) => p.status === tab);

  const columns: TableColumnsType<Problem> = [
    { title: '#', dataIndex: 'number', width: 64 },
    {
      title: t('problems.title'),
      dataIndex: 'title',
      render: (_v, p) => (
        <Flex vertical>
          <Typography.Link onClick={() => setSelected(p.id)}>{p.title}</Typography.Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {p.indicators.join('、')}
          </Typography.Text>
        </Flex>
      ),
    },
    { title: t('problems.unit'), dataIndex: 'unitName', responsive: ['sm'] },
    { title: t('problems.sourceLabel'), dataIndex: 'source', responsive: ['md'], render: (s: ProblemSource) => <Tag>{t(`problems.source.${s}`)}</Tag> },
    { title: t('problems.severityLabel'), dataIndex: 'severity', render: (s: Severity) => <Tag color={severityColors[s]}>{t(`problems.severity.${s}`)}</Tag> },
    { title: t('problems.statusLabel'), dataIndex: 'status', responsive: ['sm'], render: (s: ProblemStatus) => <Tag color={statusColors[s]}>{t(`problems.status.${s}`)}</Tag> },
    {
      title: t('problems.measures'),
      key: 'measures',
      render: (_v, p) => (
        <Space size={4}>
          <span>
            {p.measures.open}/{p.measures.total}
          </span>
          {p.measures.overdue > 0 && <Tag color="red">{t('problems.overdueCount', { count: p.measures.overdue })}</Tag>}
          {p.measures.total === 0 && isActiveStatus(p.status) && <Tag color="warning">{t('problems.noMeasureTag')}</Tag>}
        </Space>
      ),
    },
    { title: t('problems.raisedAt'), dataIndex: 'raisedAt', responsive: ['lg'], render: (v: string) => formatDateTime(v) },
  ];

  return (
    <Flex vertical gap={12}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('problems.pageTitle')}
        </Typography.Title>
        {can('problem.write') && (
          <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setRaising(true)}>
            {t('problems.raise')}
          </Button>
        )}
      </Flex>
      <Flex gap={8} wrap>
        <UnitTreeSelect valueField="code" value={unit} onChange={setUnit} allowClear placeholder={t('problems.filterUnit')} style={{ minWidth: 200 }} />
        <Select allowClear placeholder={t('problems.sourceLabel')} style={{ minWidth: 140 }} value={source} onChange={setSource} options={sourceList.map((s) => ({ value: s, label: t(`problems.source.${s}`) }))} />
        <Select allowClear placeholder={t('problems.severityLabel')} style={{ minWidth: 120 }} value={severity} onChange={setSeverity} options={severityList.map((s) => ({ value: s, label: t(`problems.severity.${s}`) }))} />
      </Flex>
      <Tabs
        activeKey={tab}
        onChange={(k) => setTab(k as typeof tab)}
        items={[
          { key: 'all', label: <Badge count={rows.length} showZero color="#8c8c8c" offset={[10, -2]}>{t('problems.all')}</Badge> },
          ...statusOrder.map((s) => ({ key: s, label: <Badge count={counts.get(s) ?? 0} showZero color={s === 'open' ? 'red' : '#8c8c8c'} offset={[10, -2]}>{t(`problems.status.${s}`)}</Badge> })),
        ]}
      />
      {list.isError ? (
        <LoadError error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <Table<Problem> rowKey="id" size="middle" loading={list.isLoading} dataSource={shown} columns={columns} scroll={{ x: 'max-content' }} pagination={{ pageSize: 20, hideOnSinglePage: true }} onRow={(p) => ({ onClick: () => setSelected(p.id), style: { cursor: 'pointer' } })} locale={{ emptyText: <Empty description={t('problems.empty')} /> }} />
      )}
      <ProblemDrawer id={selected} onClose={() => setSelected(null)} />
      <RaiseModal open={raising} onClose={() => setRaising(false)} onRaised={(id) => { setRaising(false); setSelected(id); }} />
    </Flex>
  );
}
