import { CheckOutlined, PaperClipOutlined, PlayCircleOutlined, RollbackOutlined, SendOutlined, StopOutlined } from '@ant-design/icons';
import { Alert, App, Button, Descriptions, Drawer, Empty, Flex, Form, Grid, Input, Modal, Tag, Timeline, Typography, Upload } from 'antd';
import type { TimelineProps, UploadFile } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../app/format';
import { LoadError, PageSpin } from '../../app/status-pages';
import { LightDot, useDaysLeftText } from './light-dot';
import { attachmentUrl, uploadAttachment, useSupervisionItem, useTransition, type Attachment, type SupervisionDetail, type SupervisionEvent } from './queries';
import { stateColors, useSupervisionError } from './supervision-parts';

type Action = SupervisionDetail['allowedActions'][number];
type TimelineItem = NonNullable<TimelineProps['items']>[number];

const actionIcons: Record<Action, ReactNode> = {
  accept: <CheckOutlined aria-hidden />,
  start: <PlayCircleOutlined aria-hidden />,
  report: <SendOutlined aria-hidden />,
  approve: <CheckOutlined aria-hidden />,
  reject: <RollbackOutlined aria-hidden />,
  cancel: <StopOutlined aria-hidden />,
};
const eventColors: Record<string, string> = { assign: 'blue', accept: 'blue', start: 'blue', report: 'blue', approve: 'green', reject: 'red', cancel: 'gray', 'light.yellow': 'orange', 'light.red': 'red', escalate: 'red' };
/** Steps that need a note (report: what was done; reject and cancel: why). */
const needsNote = new Set<Action>(['report', 'reject', 'cancel']);

function AttachmentLinks({ files }: { files: Attachment[] }) {
  if (files.length === 0) return null;
  return (
    <Flex gap={8} wrap>
      {files.map((f) => (
        <a key={f.id} href={attachmentUrl(f.id)} target="_blank" rel="noreferrer">
          <PaperClipOutlined aria-hidden /> {f.fileName || f.id}
        </a>
      ))}
    </Flex>
  );
}

function EventTimeline({ events }: { events: SupervisionEvent[] }) {
  const { t } = useTranslation();
  if (events.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  const items: TimelineItem[] = [...events].reverse().map((e) => ({
    key: e.id,
    color: eventColors[e.action] ?? 'gray',
    content: (
      <Flex vertical gap={2}>
        <Typography.Text type="secondary" className="num" style={{ fontSize: 12 }}>
          {formatDateTime(e.at)}
        </Typography.Text>
        <span>
          <strong>{e.by ? e.by.name : t('supervision.system')}</strong> · {t(`supervision.events.${e.action}`, { defaultValue: e.action })}
          {e.from && e.to && e.from !== e.to ? (
            <Typography.Text type="secondary">
              {' '}
              （{t(`supervision.states.${e.from}`, { defaultValue: e.from })} → {t(`supervision.states.${e.to}`, { defaultValue: e.to })}）
            </Typography.Text>
          ) : null}
        </span>
        {e.note ? <Typography.Text>{e.note}</Typography.Text> : null}
        <AttachmentLinks files={e.attachments} />
      </Flex>
    ),
  }));
  return <Timeline items={items} />;
}

/** The form of one step: a note (required for report, reject, cancel) and, for a report, the evidence files. */
function StepModal({ item, action, onClose }: { item: SupervisionDetail; action: Action; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const describe = useSupervisionError();
  const transition = useTransition();
  const [form] = Form.useForm<{ note?: string }>();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [uploading, setUploading] = useState(false);
  const [uploadError, setUploadError] = useState<unknown>(null);
  const isReport = action === 'report';

  const submit = async ({ note }: { note?: string }) => {
    setUploadError(null);
    let ids: string[] = [];
    if (isReport) {
      if (files.length === 0) {
        setUploadError(new Error(t('supervision.evidenceRequired')));
        return;
      }
      setUploading(true);
      try {
        ids = (await Promise.all(files.map((f) => uploadAttachment(f.originFileObj as File)))).map((a) => a.id);
      } catch (e) {
        setUploadError(e);
        return;
      } finally {
        setUploading(false);
      }
    }
    transition.mutate(
      { id: item.id, version: item.version, action, note: note?.trim() ?? '', attachments: ids },
      {
        onSuccess: () => {
          void message.success(t(`supervision.done.${action}`));
          onClose();
        },
      },
    );
  };

  const error = uploadError ?? transition.error;
  return (
    <Modal
      open
      title={`${t(`supervision.actions.${action}`)} · #${item.number} ${item.title}`}
      okText={t(`supervision.actions.${action}`)}
      okButtonProps={{ danger: action === 'reject' || action === 'cancel' }}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={uploading || transition.isPending}
      destroyOnHidden
      mask={{ closable: false }}
    >
      <Typography.Paragraph type="secondary">{t(`supervision.hints.${action}`)}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} onValuesChange={() => transition.error && transition.reset()}>
        <Form.Item
          label={t(action === 'reject' || action === 'cancel' ? 'supervision.reason' : 'supervision.note')}
          name="note"
          rules={needsNote.has(action) ? [{ required: true, whitespace: true, message: t('supervision.noteRequired') }, { max: 4000 }] : [{ max: 4000 }]}
        >
          <Input.TextArea rows={3} />
        </Form.Item>
        {isReport ? (
          <Form.Item label={t('supervision.evidence')} required>
            <Upload
              multiple
              fileList={files}
              beforeUpload={(file) => {
                setFiles((list) => [...list, { uid: file.uid, name: file.name, size: file.size, originFileObj: file }]);
                return false;
              }}
              onRemove={(file) => setFiles((list) => list.filter((f) => f.uid !== file.uid))}
            >
              <Button icon={<PaperClipOutlined aria-hidden />}>{t('supervision.addEvidence')}</Button>
            </Upload>
          </Form.Item>
        ) : null}
      </Form>
      {error ? <Alert type="error" showIcon role="alert" title={describe(error)} /> : null}
    </Modal>
  );
}

/** One item: its facts, the steps the user may take, and the timeline of every step. */
export function ItemDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const screens = Grid.useBreakpoint();
  const { modal, message } = App.useApp();
  const describe = useSupervisionError();
  const daysText = useDaysLeftText();
  const item = useSupervisionItem(id);
  const transition = useTransition();
  const [stepping, setStepping] = useState<Action | null>(null);
  const d = item.data;

  const take = (action: Action) => {
    if (!d) return;
    if (needsNote.has(action)) return setStepping(action);
    if (action === 'approve') {
      // 销号 is final: ask first.
      modal.confirm({
        title: t('supervision.approveTitle', { number: d.number }),
        content: t('supervision.approveText'),
        okText: t('supervision.actions.approve'),
        cancelText: t('common.cancel'),
        onOk: () =>
          transition.mutateAsync({ id: d.id, version: d.version, action, note: '', attachments: [] }).then(
            () => void message.success(t('supervision.done.approve')),
            (e: unknown) => void message.error(describe(e)),
          ),
      });
      return;
    }
    transition.mutate({ id: d.id, version: d.version, action, note: '', attachments: [] }, { onSuccess: () => void message.success(t(`supervision.done.${action}`)) });
  };

  return (
    <Drawer open={id !== null} onClose={onClose} size={screens.md ? 640 : '100%'} title={d ? `#${d.number} ${d.title}` : t('supervision.item')} destroyOnHidden>
      {item.isError ? (
        <LoadError error={item.error} onRetry={() => void item.refetch()} />
      ) : !d ? (
        <PageSpin />
      ) : (
        <Flex vertical gap={16}>
          <Flex gap={8} wrap align="center">
            <LightDot light={d.light} />
            <Tag color={stateColors[d.state]}>{t(`supervision.states.${d.state}`)}</Tag>
            <Typography.Text type={d.light === 'red' ? 'danger' : 'secondary'}>{daysText(d.daysLeft, d.light)}</Typography.Text>
            {d.escalatedAt ? <Tag color="red">{t('supervision.escalated')}</Tag> : null}
          </Flex>
          {d.allowedActions.length ? (
            <Flex gap={8} wrap role="group" aria-label={t('supervision.yourSteps')}>
              {d.allowedActions.map((a) => (
                <Button key={a} icon={actionIcons[a]} type={a === 'approve' || a === 'report' || a === 'accept' || a === 'start' ? 'primary' : 'default'} danger={a === 'reject' || a === 'cancel'} loading={transition.isPending && transition.variables?.action === a} onClick={() => take(a)}>
                  {t(`supervision.actions.${a}`)}
                </Button>
              ))}
            </Flex>
          ) : null}
          {transition.error && !stepping ? <Alert type="error" showIcon role="alert" title={describe(transition.error)} closable onClose={() => transition.reset()} /> : null}
          <Descriptions
            size="small"
            bordered
            column={1}
            items={[
              { key: 'unit', label: t('supervision.unit'), children: d.unit },
              ...(d.problemNumber !== null ? [{ key: 'problem', label: t('supervision.problem'), children: `#${d.problemNumber}` }] : []),
              { key: 'description', label: t('supervision.description'), children: d.description || '—' },
              { key: 'owner', label: t('supervision.owner'), children: `${d.owner.name}（${d.owner.code}）` },
              { key: 'supervisor', label: t('supervision.supervisor'), children: d.supervisor.name },
              { key: 'reviewer', label: t('supervision.reviewer'), children: d.reviewer ? d.reviewer.name : t('supervision.reviewerIsSupervisor') },
              { key: 'due', label: t('supervision.dueDate'), children: <span className="num">{d.dueDate}</span> },
              { key: 'yellow', label: t('supervision.yellowDays'), children: t('supervision.yellowDaysValue', { days: d.yellowDays }) },
              ...(d.closedAt ? [{ key: 'closed', label: t('supervision.closedAt'), children: <span className="num">{formatDateTime(d.closedAt)}</span> }] : []),
            ]}
          />
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('supervision.timeline')}
          </Typography.Title>
          <EventTimeline events={d.events} />
        </Flex>
      )}
      {d && stepping ? <StepModal item={d} action={stepping} onClose={() => setStepping(null)} /> : null}
    </Drawer>
  );
}
