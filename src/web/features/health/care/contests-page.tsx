import { AuditOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, DatePicker, Flex, Form, Input, Modal, Radio, Select, Table, Tabs, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { addDays } from '../../../../domain/notices/week';
import { describeValue, factLabels, FACT_NAMES } from '../../../../domain/health/status-rules';
import { formatDateTime } from '../../../app/format';
import { usePermission } from '../../../app/session';
import { LoadError } from '../../../app/status-pages';
import { useTabParam } from '../../../app/use-tab-param';
import { shanghaiToday, showFieldErrors } from '../../access/live-parts';
import { ColourTag, HEALTH_COLOURS, PersonName, useCareError, useLang } from './care-parts';
import { useContests, useDecideContest, type ContestView, type HealthColour } from './care-queries';

const TABS = ['open', 'decided'] as const;

/** The contested facts in words: the snapshot's explanation when it has one, else the facts that were set. */
function ContestedFacts({ contest }: { contest: ContestView }) {
  const lang = useLang();
  const facts = contest.facts;
  const explanation = (facts.explanation as { zh?: string; en?: string } | undefined)?.[lang];
  if (explanation) return <Typography.Text style={{ fontSize: 13 }}>{explanation}</Typography.Text>;
  const set = FACT_NAMES.filter((f) => {
    const v = facts[f];
    return v !== undefined && v !== null && v !== false && !(Array.isArray(v) && v.length === 0);
  });
  return <Typography.Text style={{ fontSize: 13 }}>{set.map((f) => `${factLabels[f][lang]}: ${describeValue(f, facts[f], lang)}`).join('; ') || '—'}</Typography.Text>;
}

/**
 * 状态申诉: contests of a status by a person, their household or grid worker; a reviewer upholds the
 * status or overturns it to another colour until a day. The snapshot of what was contested stays.
 */
export function ContestsPage() {
  const { t } = useTranslation();
  const can = usePermission();
  const [tab, setTab] = useTabParam(TABS);
  const contests = useContests(tab);
  const [deciding, setDeciding] = useState<ContestView | null>(null);
  const admin = can('health.admin');

  const columns: ColumnsType<ContestView> = [
    { title: t('healthCare.common.person'), key: 'person', render: (_v, r) => <PersonName person={r.person} /> },
    { title: t('healthCare.contests.contested'), key: 'status', render: (_v, r) => <ColourTag colour={r.status} /> },
    {
      title: t('healthCare.contests.basis'),
      key: 'basis',
      render: (_v, r) => (
        <Flex vertical gap={2} style={{ maxWidth: 360 }}>
          <Typography.Text code style={{ fontSize: 12 }}>
            {r.rule}
          </Typography.Text>
          <ContestedFacts contest={r} />
        </Flex>
      ),
    },
    { title: t('healthCare.contests.reason'), dataIndex: 'reason', render: (v: string) => <Typography.Paragraph style={{ margin: 0, maxWidth: 320 }}>{v}</Typography.Paragraph> },
    { title: t('healthCare.contests.submittedAt'), dataIndex: 'submittedAt', render: (v: string) => formatDateTime(v).slice(0, 16) },
    ...(tab === 'decided'
      ? [
          {
            title: t('healthCare.contests.decision'),
            key: 'decision',
            render: (_v: unknown, r: ContestView) => (
              <Flex vertical gap={2}>
                <Flex gap={4} align="center" wrap>
                  <Tag color={r.decision === 'overturned' ? 'success' : 'default'}>{r.decision ? t(`healthCare.contest.states.${r.decision}`) : '—'}</Tag>
                  {r.newStatus ? <ColourTag colour={r.newStatus} /> : null}
                  {r.validUntil ? <Typography.Text style={{ fontSize: 12 }}>{t('healthCare.contest.until', { date: r.validUntil })}</Typography.Text> : null}
                </Flex>
                {r.decisionNote ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.decisionNote}</Typography.Text> : null}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {[r.reviewer, formatDateTime(r.decidedAt).slice(0, 16)].filter(Boolean).join(' · ')}
                </Typography.Text>
              </Flex>
            ),
          },
        ]
      : admin
        ? [
            {
              title: t('common.actions'),
              key: 'actions',
              render: (_v: unknown, r: ContestView) => (
                <Button size="small" type="primary" icon={<AuditOutlined aria-hidden />} onClick={() => setDeciding(r)}>
                  {t('healthCare.contests.decide')}
                </Button>
              ),
            },
          ]
        : []),
  ];

  return (
    <Flex vertical gap={16}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('healthCare.contests.title')}
      </Typography.Title>
      <Typography.Text type="secondary">{t('healthCare.contests.intro')}</Typography.Text>
      <Tabs activeKey={tab} onChange={setTab} items={TABS.map((k) => ({ key: k, label: t(`healthCare.contests.tabs.${k}`) }))} />
      {contests.isError ? (
        <LoadError error={contests.error} onRetry={() => void contests.refetch()} />
      ) : (
        <Card size="small">
          <Table<ContestView>
            size="small"
            rowKey="id"
            loading={contests.isFetching}
            dataSource={contests.data?.rows ?? []}
            columns={columns}
            scroll={{ x: 'max-content' }}
            pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true, showTotal: (total) => t('common.total', { total }) }}
            locale={{ emptyText: tab === 'open' ? t('healthCare.contests.emptyOpen') : t('healthCare.contests.emptyDecided') }}
          />
        </Card>
      )}
      <DecideModal contest={deciding} onClose={() => setDeciding(null)} />
    </Flex>
  );
}

interface DecideForm {
  decision: 'upheld' | 'overturned';
  newStatus?: HealthColour;
  validUntil?: Dayjs;
  note: string;
}

const fieldMap: Record<string, string> = { newStatus: 'newStatus', validUntil: 'validUntil', note: 'note' };

function DecideModal({ contest, onClose }: { contest: ContestView | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const describe = useCareError();
  const decide = useDecideContest();
  const [form] = Form.useForm<DecideForm>();
  const decision = Form.useWatch('decision', form);
  const [failure, setFailure] = useState<string | null>(null);
  const today = shanghaiToday();

  const submit = (v: DecideForm) => {
    if (!contest) return;
    setFailure(null);
    const overturned = v.decision === 'overturned';
    decide.mutate(
      {
        id: contest.id,
        body: {
          decision: v.decision,
          note: v.note.trim(),
          version: contest.version,
          ...(overturned && v.newStatus ? { newStatus: v.newStatus } : {}),
          ...(overturned && v.validUntil ? { validUntil: v.validUntil.format('YYYY-MM-DD') } : {}),
        },
      },
      {
        onSuccess: (r) => {
          void message.success(t('healthCare.contests.decided', { name: r.person.name, status: t(`healthCare.colours.${r.personStatus.status}`) }));
          onClose();
        },
        onError: (e) => {
          if (!showFieldErrors(form, e, fieldMap)) setFailure(describe(e));
        },
      },
    );
  };

  return (
    <Modal
      open={contest !== null}
      title={contest ? t('healthCare.contests.decideTitle', { name: contest.person.name }) : ''}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('healthCare.contests.decide')}
      cancelText={t('common.cancel')}
      confirmLoading={decide.isPending}
      destroyOnHidden
    >
      {contest ? (
        <Form<DecideForm>
          form={form}
          layout="vertical"
          onFinish={submit}
          initialValues={{ decision: 'upheld', newStatus: HEALTH_COLOURS.find((c) => c !== contest.status), validUntil: dayjs(addDays(today, 7)) }}
        >
          <Flex vertical gap={4} style={{ marginBottom: 12 }}>
            <Flex gap={6} align="center">
              <ColourTag colour={contest.status} />
              <Typography.Text code>{contest.rule}</Typography.Text>
            </Flex>
            <ContestedFacts contest={contest} />
            <Typography.Text>{t('healthCare.contests.reasonWas', { reason: contest.reason })}</Typography.Text>
          </Flex>
          <Form.Item name="decision" label={t('healthCare.contests.decision')}>
            <Radio.Group
              options={[
                { value: 'upheld', label: t('healthCare.contest.states.upheld') },
                { value: 'overturned', label: t('healthCare.contest.states.overturned') },
              ]}
            />
          </Form.Item>
          {decision === 'overturned' ? (
            <Flex gap={8} wrap>
              <Form.Item name="newStatus" label={t('healthCare.contests.newStatus')} rules={[{ required: true, message: t('healthCare.contests.newStatusRequired') }]}>
                <Select<HealthColour> style={{ width: 130 }} options={HEALTH_COLOURS.filter((c) => c !== contest.status).map((c) => ({ value: c, label: <ColourTag colour={c} /> }))} />
              </Form.Item>
              <Form.Item name="validUntil" label={t('healthCare.contests.validUntil')} extra={t('healthCare.contests.validUntilHint')}>
                <DatePicker allowClear={false} disabledDate={(d) => d.format('YYYY-MM-DD') < today} />
              </Form.Item>
            </Flex>
          ) : null}
          <Form.Item name="note" label={t('healthCare.contests.note')} rules={[{ required: true, whitespace: true, message: t('healthCare.contests.noteRequired') }]}>
            <Input.TextArea rows={3} maxLength={1000} />
          </Form.Item>
          {failure ? <Alert type="error" showIcon title={failure} /> : null}
        </Form>
      ) : null}
    </Modal>
  );
}
