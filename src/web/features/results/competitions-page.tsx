import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Empty, Flex, Form, Input, InputNumber, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Chart, type ChartOption } from '../../app/charts';
import { useErrorMessage } from '../../app/errors';
import { usePermission } from '../../app/session';
import { LoadError, PageSpin } from '../../app/status-pages';
import { useAddEvent, useCompetitions, useLeaderboard, type EventInput, type LeaderboardRow } from './queries';

const categories = ['strengthen', 'supervise', 'assess', 'safety', 'quality', 'innovation', 'other', 'veto'] as const;
type Category = (typeof categories)[number];

/** The data items and events behind one unit's score. */
function Explained({ row }: { row: LeaderboardRow }) {
  const { t } = useTranslation();
  return (
    <Flex vertical gap={8}>
      <Typography.Text code style={{ whiteSpace: 'normal' }}>
        {row.arithmetic}
      </Typography.Text>
      <Table
        size="small"
        rowKey="indicator"
        pagination={false}
        dataSource={row.items}
        scroll={{ x: 640 }}
        columns={[
          { key: 'indicator', title: t('results.competitions.indicator'), dataIndex: 'indicator' },
          { key: 'weight', title: t('results.competitions.weight'), dataIndex: 'weight', align: 'right' },
          { key: 'value', title: t('results.competitions.value'), dataIndex: 'value', align: 'right' },
          { key: 'score', title: t('results.competitions.score'), align: 'right', render: (_v, i) => (i.score === null ? <Tag>{t('results.competitions.missing')}</Tag> : i.score) },
          { key: 'why', title: t('results.common.arithmetic'), render: (_v, i) => <Typography.Text type="secondary">{i.explanation?.arithmetic ?? i.problem}</Typography.Text> },
        ]}
      />
      {row.events.length > 0 && (
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={row.events}
          columns={[
            { key: 'date', title: t('results.common.date'), dataIndex: 'date', width: 110 },
            { key: 'category', title: t('results.competitions.category'), width: 100, render: (_v, e) => t(`results.competitions.categories.${e.category as Category}`) },
            { key: 'points', title: t('results.competitions.eventPoints'), align: 'right', width: 80, render: (_v, e) => <Typography.Text type={e.points < 0 ? 'danger' : e.category === 'veto' ? 'danger' : 'success'}>{e.points > 0 ? `+${e.points}` : e.points}</Typography.Text> },
            { key: 'reason', title: t('results.common.reason'), dataIndex: 'reason' },
          ]}
        />
      )}
    </Flex>
  );
}

function EventModal({ code, units, open, onClose }: { code: string; units: string[]; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorMessage();
  const [form] = Form.useForm<EventInput>();
  const add = useAddEvent(code);
  const category = Form.useWatch('category', form);
  return (
    <Modal
      open={open}
      title={t('results.competitions.addEvent')}
      okText={t('results.common.save')}
      confirmLoading={add.isPending}
      onCancel={onClose}
      destroyOnHidden
      onOk={() =>
        void form.validateFields().then((values) =>
          add.mutate(values.category === 'veto' ? { ...values, points: 0 } : values, {
            onSuccess: () => {
              void message.success(t('results.competitions.eventSaved'));
              form.resetFields();
              onClose();
            },
            onError: (e) => void message.error(errorText(e)),
          }),
        )
      }
    >
      <Form form={form} layout="vertical" initialValues={{ category: 'assess', date: new Date().toISOString().slice(0, 10) }}>
        <Form.Item name="unit" label={t('results.common.unit')} rules={[{ required: true }]}>
          <Select options={units.map((u) => ({ value: u, label: u }))} />
        </Form.Item>
        <Form.Item name="date" label={t('results.common.date')} rules={[{ required: true, pattern: /^\d{4}-\d{2}-\d{2}$/ }]}>
          <Input placeholder="YYYY-MM-DD" />
        </Form.Item>
        <Form.Item name="category" label={t('results.competitions.category')} rules={[{ required: true }]}>
          <Select options={categories.map((c) => ({ value: c, label: t(`results.competitions.categories.${c}`) }))} />
        </Form.Item>
        {category === 'veto' ? (
          <Alert type="warning" showIcon title={t('results.competitions.vetoHint')} style={{ marginBottom: 16 }} />
        ) : (
          <Form.Item name="points" label={t('results.competitions.points')} rules={[{ required: true }]}>
            <InputNumber step={0.5} precision={2} style={{ width: '100%' }} />
          </Form.Item>
        )}
        <Form.Item name="reason" label={t('results.common.reason')} rules={[{ required: true, whitespace: true }]}>
          <Input.TextArea rows={3} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 劳动竞赛: the leaderboard (chart and table, every point explained) and the add/deduct events. */
export function CompetitionsPage() {
  const { t, i18n } = useTranslation();
  const can = usePermission();
  const competitions = useCompetitions();
  const [picked, setPicked] = useState<string>();
  const [period, setPeriod] = useState('');
  const [adding, setAdding] = useState(false);
  const code = picked ?? competitions.data?.[0]?.code;
  const board = useLeaderboard(code, period.trim() || undefined);
  if (competitions.isPending) return <PageSpin />;
  if (competitions.isError) return <LoadError error={competitions.error} onRetry={() => void competitions.refetch()} />;
  if (competitions.data.length === 0) return <Empty description={t('results.competitions.none')} />;
  const current = competitions.data.find((c) => c.code === code);
  const rows = board.data?.rows ?? [];
  const name = current ? (i18n.language === 'en-US' && current.nameEn ? current.nameEn : current.nameZh) : '';
  const option: ChartOption = {
    tooltip: { trigger: 'axis' },
    grid: { left: 48, right: 16, top: 24, bottom: 32 },
    xAxis: { type: 'category', data: rows.map((r) => r.unitName) },
    yAxis: { type: 'value' },
    series: [
      { type: 'bar', name: t('results.competitions.dataScore'), stack: 'score', data: rows.map((r) => (r.vetoed ? 0 : r.dataScore)) },
      { type: 'bar', name: t('results.competitions.eventPoints'), stack: 'score', data: rows.map((r) => (r.vetoed ? 0 : r.eventPoints)) },
    ],
  };
  const columns: TableColumnsType<LeaderboardRow> = [
    { key: 'rank', title: t('results.competitions.rank'), dataIndex: 'rank', width: 64 },
    { key: 'unit', title: t('results.common.unit'), render: (_v, r) => r.unitName },
    { key: 'data', title: t('results.competitions.dataScore'), dataIndex: 'dataScore', align: 'right' },
    { key: 'events', title: t('results.competitions.eventPoints'), dataIndex: 'eventPoints', align: 'right' },
    { key: 'total', title: t('results.competitions.totalScore'), align: 'right', render: (_v, r) => (r.vetoed ? <Tag color="red">{t('results.competitions.vetoed')} 0</Tag> : <strong>{r.total}</strong>) },
    { key: 'prize', title: t('results.competitions.prize'), render: (_v, r) => (r.prize ? `${i18n.language === 'en-US' && r.prize.nameEn ? r.prize.nameEn : r.prize.nameZh} ¥${r.prize.amountYuan}` : '') },
  ];
  return (
    <Flex vertical gap={16}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('results.competitions.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('results.competitions.intro')}</Typography.Paragraph>
      <Space wrap>
        <Select aria-label={t('results.competitions.pick')} value={code} onChange={setPicked} style={{ minWidth: 260 }} options={competitions.data.map((c) => ({ value: c.code, label: `${c.nameZh}（${t(`results.competitions.statuses.${c.status}`)}）` }))} />
        <Input aria-label={t('results.competitions.period')} placeholder={t('results.competitions.period')} value={period} onChange={(e) => setPeriod(e.target.value)} style={{ width: 200 }} allowClear />
        {can('evaluation.write') && current?.status !== 'closed' && (
          <Button icon={<PlusOutlined />} onClick={() => setAdding(true)}>
            {t('results.competitions.addEvent')}
          </Button>
        )}
      </Space>
      {board.isError ? (
        <LoadError error={board.error} onRetry={() => void board.refetch()} />
      ) : (
        <Card size="small" title={name} extra={board.data ? t('results.competitions.window', { months: `${board.data.months[0]} … ${board.data.months.at(-1)}` }) : null}>
          {rows.length > 0 && <Chart option={option} height={260} label={t('results.competitions.chartLabel', { name })} />}
          <Table rowKey="unit" loading={board.isFetching} dataSource={rows} columns={columns} pagination={false} scroll={{ x: 560 }} expandable={{ expandedRowRender: (r) => <Explained row={r} /> }} />
        </Card>
      )}
      {code && <EventModal code={code} units={current?.participants.map((p) => p.unit) ?? []} open={adding} onClose={() => setAdding(false)} />}
    </Flex>
  );
}
