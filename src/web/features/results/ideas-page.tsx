import { App, Button, Col, Flex, Form, Input, InputNumber, Modal, Row, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useSetSearchParam } from '../../app/use-search-param';
import { IDEA_STATUSES, nextIdeaStatus, type IdeaAction, type IdeaStatus } from '../../../domain/results/ideas';
import { Chart, type ChartOption } from '../../app/charts';
import { formatDateTime } from '../../app/format';
import { useErrorMessage } from '../../app/errors';
import { usePermission } from '../../app/session';
import { LoadError } from '../../app/status-pages';
import { UnitTreeSelect } from '../units/components/unit-tree-select';
import { useIdeaSummary, useIdeas, useReviewIdea, useSubmitIdea, type Idea } from './queries';
import { Panel } from '../../app/panel';

const statusColors: Record<IdeaStatus, string> = { submitted: 'default', reviewing: 'processing', adopted: 'blue', rejected: 'red', implemented: 'green' };
const actions: IdeaAction[] = ['start', 'adopt', 'reject', 'implement'];

/** The year (Asia/Shanghai) of an instant. */
const shanghaiYear = (iso: string) => Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date(iso)));

/** The submit form: one column, big enough for a phone; `onSubmitted` gets the idea saved. */
function SubmitForm({ onSubmitted }: { onSubmitted: (idea: Idea) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorMessage();
  const submit = useSubmitIdea();
  const [form] = Form.useForm<{ title: string; description: string; category: 'idea' | 'small-improvement' }>();
  return (
    <Panel size="small" title={t('results.ideas.submit')}>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ category: 'idea' }}
        onFinish={(v) =>
          submit.mutate(v, {
            onSuccess: (idea) => {
              void message.success(t('results.ideas.submitted'));
              form.resetFields();
              onSubmitted(idea);
            },
            onError: (e) => void message.error(errorText(e)),
          })
        }
      >
        <Form.Item name="title" label={t('results.ideas.submitTitle')} rules={[{ required: true, whitespace: true, max: 200 }]}>
          <Input size="large" />
        </Form.Item>
        <Form.Item name="category" label={t('results.ideas.category')}>
          <Select size="large" options={(['idea', 'small-improvement'] as const).map((c) => ({ value: c, label: t(`results.ideas.categories.${c}`) }))} />
        </Form.Item>
        <Form.Item name="description" label={t('results.ideas.description')} rules={[{ max: 4000 }]}>
          <Input.TextArea rows={4} />
        </Form.Item>
        <Button type="primary" size="large" htmlType="submit" block loading={submit.isPending}>
          {t('results.ideas.submit')}
        </Button>
      </Form>
    </Panel>
  );
}

function ReviewModal({ idea, action, onClose }: { idea: Idea; action: IdeaAction; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorMessage();
  const review = useReviewIdea();
  const [form] = Form.useForm<{ note: string; benefit: number | null }>();
  const withBenefit = action === 'adopt' || action === 'implement';
  return (
    <Modal
      open
      title={`${t(`results.ideas.actions.${action}`)} · ${t('results.ideas.reviewTitle', { title: idea.title })}`}
      onCancel={onClose}
      confirmLoading={review.isPending}
      okButtonProps={{ danger: action === 'reject' }}
      onOk={() =>
        void form.validateFields().then((v) =>
          review.mutate(
            { id: idea.id, action, note: v.note ?? '', version: idea.version, ...(withBenefit && v.benefit !== null && v.benefit !== undefined ? { benefitYuan: v.benefit.toFixed(2) } : {}) },
            { onSuccess: () => (void message.success(t('results.ideas.reviewed')), onClose()), onError: (e) => void message.error(errorText(e)) },
          ),
        )
      }
    >
      <Form form={form} layout="vertical" initialValues={{ benefit: idea.benefitYuan === null ? null : Number(idea.benefitYuan) }}>
        <Form.Item name="note" label={t('results.ideas.note')} rules={action === 'reject' ? [{ required: true, whitespace: true, message: t('results.ideas.rejectNeedsNote') }] : []}>
          <Input.TextArea rows={3} />
        </Form.Item>
        {withBenefit && (
          <Form.Item name="benefit" label={t('results.ideas.benefit')} rules={action === 'implement' ? [{ required: true }] : []}>
            <InputNumber min={0} precision={2} style={{ width: '100%' }} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

/** 金点子: submit (phone layout), the review board and counts and benefit by unit. */
export function IdeasPage() {
  const { t } = useTranslation();
  const can = usePermission();
  // The year and unit come from the address (the evaluation results link here: ?year=2020&unit=YH2).
  const [searchParams] = useSearchParams();
  const yearParam = Number(searchParams.get('year'));
  const year = Number.isInteger(yearParam) && yearParam >= 2000 && yearParam <= 2999 ? yearParam : 2020;
  const unitParam = searchParams.get('unit');
  const unit = unitParam && /^[A-Z][A-Z0-9_-]{0,31}$/.test(unitParam) ? unitParam : undefined;
  const setParam = useSetSearchParam();
  const setYear = (v: number) => setParam('year', String(v));
  const [status, setStatus] = useState<IdeaStatus>();
  const [reviewing, setReviewing] = useState<{ idea: Idea; action: IdeaAction } | null>(null);
  const summary = useIdeaSummary(year);
  const ideas = useIdeas({ year, ...(status ? { status } : {}), ...(unit ? { unit } : {}) });
  const reader = can('problem.read');
  const rows = summary.data?.rows ?? [];
  const option: ChartOption = {
    tooltip: { trigger: 'axis' },
    grid: { left: 48, right: 64, top: 32, bottom: 48 },
    xAxis: { type: 'category', data: rows.map((r) => r.unitName), axisLabel: { interval: 0, rotate: rows.length > 5 ? 30 : 0 } },
    yAxis: [{ type: 'value', name: t('results.ideas.count'), minInterval: 1 }, { type: 'value', name: t('results.ideas.benefit') }],
    series: [
      { type: 'bar', name: t('results.ideas.statuses.submitted'), data: rows.map((r) => r.submitted) },
      { type: 'bar', name: t('results.ideas.adopted'), data: rows.map((r) => r.adopted) },
      { type: 'line', name: t('results.ideas.benefit'), yAxisIndex: 1, data: rows.map((r) => Number(r.benefitYuan)) },
    ],
  };
  return (
    <Flex vertical gap={16}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('results.ideas.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('results.ideas.intro')}</Typography.Paragraph>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={8}>
          {/* The board turns to the year of the idea just submitted, so its submitter sees it there. */}
          <SubmitForm onSubmitted={(idea) => setYear(shanghaiYear(idea.submittedAt))} />
        </Col>
        {reader && (
          <Col xs={24} lg={16}>
            <Panel size="small" title={t('results.ideas.byUnit')} extra={<InputNumber aria-label={t('results.ideas.year')} value={year} min={2000} max={2999} onChange={(v) => v && setYear(v)} />}>
              {summary.isError ? (
                <LoadError error={summary.error} onRetry={() => void summary.refetch()} />
              ) : (
                <>
                  {rows.length > 0 && <Chart option={option} height={260} label={t('results.ideas.chartLabel', { year })} />}
                  <Typography.Text>
                    {t('results.common.total')}: {summary.data?.total.submitted ?? 0} / {t('results.ideas.adopted')} {summary.data?.total.adopted ?? 0} / {t('results.ideas.implemented')} {summary.data?.total.implemented ?? 0} / ¥{summary.data?.total.benefitYuan ?? '0.00'}
                  </Typography.Text>
                </>
              )}
            </Panel>
          </Col>
        )}
      </Row>
      {reader && (
        <Panel size="small" title={t('results.ideas.board')} extra={
            <Space wrap size={8}>
              <UnitTreeSelect valueField="code" allowClear placeholder={t('results.ideas.allUnits')} value={unit ?? null} onChange={(v) => setParam('unit', v)} style={{ width: 200 }} />
              <Select allowClear aria-label={t('results.common.status')} placeholder={t('results.common.all')} value={status} onChange={setStatus} style={{ width: 140 }} options={IDEA_STATUSES.map((s) => ({ value: s, label: t(`results.ideas.statuses.${s}`) }))} />
            </Space>
          }
        >
          {ideas.isError ? (
            <LoadError error={ideas.error} onRetry={() => void ideas.refetch()} />
          ) : (
            <Table
              rowKey="id"
              size="small"
              loading={ideas.isFetching}
              dataSource={ideas.data ?? []}
              scroll={{ x: 800 }}
              columns={[
                { key: 'n', title: t('results.ideas.number'), dataIndex: 'number', width: 64 },
                { key: 'title', title: t('results.ideas.submitTitle'), render: (_v, i) => <Flex vertical><span>{i.title}</span><Typography.Text type="secondary">{t(`results.ideas.categories.${i.category}`)}</Typography.Text></Flex> },
                { key: 'unit', title: t('results.common.unit'), dataIndex: 'unitName' },
                { key: 'who', title: t('results.ideas.submitter'), render: (_v, i) => `${i.submitterName}（${i.submitter}）` },
                { key: 'at', title: t('results.common.date'), render: (_v, i) => formatDateTime(i.submittedAt) },
                { key: 'status', title: t('results.common.status'), render: (_v, i) => <Tag color={statusColors[i.status]}>{t(`results.ideas.statuses.${i.status}`)}</Tag> },
                { key: 'benefit', title: t('results.ideas.benefit'), align: 'right', render: (_v, i) => i.benefitYuan ?? '' },
                ...(can('improvement.review')
                  ? [
                      {
                        key: 'act',
                        title: '',
                        render: (_v: unknown, i: Idea) => (
                          <Space wrap size={4}>
                            {actions
                              .filter((a) => nextIdeaStatus(i.status, a))
                              .map((a) => (
                                <Button key={a} size="small" danger={a === 'reject'} onClick={() => setReviewing({ idea: i, action: a })}>
                                  {t(`results.ideas.actions.${a}`)}
                                </Button>
                              ))}
                          </Space>
                        ),
                      },
                    ]
                  : []),
              ]}
            />
          )}
        </Panel>
      )}
      {reviewing && <ReviewModal idea={reviewing.idea} action={reviewing.action} onClose={() => setReviewing(null)} />}
    </Flex>
  );
}
