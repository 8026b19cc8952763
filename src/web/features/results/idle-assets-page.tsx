import { App, Button, Card, Checkbox, Col, Flex, Form, Input, InputNumber, List, Modal, Progress, Row, Statistic, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AssetStatus } from '../../../domain/results/idle-assets';
import { useErrorMessage } from '../../app/errors';
import { usePermission } from '../../app/session';
import { LoadError, PageSpin } from '../../app/status-pages';
import { useDispose, useIdleAssetSummary, useIdleAssets, useSetStep, type IdleAsset } from './queries';

const statusColors: Record<AssetStatus, string> = { idle: 'default', planned: 'blue', 'in-progress': 'processing', disposed: 'green' };

function PlanSteps({ asset, editable }: { asset: IdleAsset; editable: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorMessage();
  const setStep = useSetStep();
  if (asset.plan.length === 0) return <Typography.Text type="secondary">{t('results.common.noData')}</Typography.Text>;
  return (
    <List
      size="small"
      dataSource={asset.plan.map((s, index) => ({ ...s, index }))}
      renderItem={(s) => (
        <List.Item>
          <Checkbox
            checked={s.done}
            disabled={!editable || asset.status === 'disposed' || setStep.isPending}
            onChange={(e) => setStep.mutate({ id: asset.id, index: s.index, done: e.target.checked, version: asset.version }, { onError: (err) => void message.error(errorText(err)) })}
          >
            {s.step}
          </Checkbox>
          <span>
            {t('results.idleAssets.due')} {s.due} {s.overdue && <Tag color="red">{t('results.idleAssets.stepOverdue')}</Tag>}
          </span>
        </List.Item>
      )}
    />
  );
}

function DisposeModal({ asset, onClose }: { asset: IdleAsset; onClose: () => void }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const errorText = useErrorMessage();
  const dispose = useDispose();
  const [form] = Form.useForm<{ proceeds: number; disposedOn: string; note: string }>();
  return (
    <Modal
      open
      title={`${t('results.idleAssets.dispose')} · ${asset.name}`}
      onCancel={onClose}
      confirmLoading={dispose.isPending}
      onOk={() =>
        void form.validateFields().then((v) => {
          modal.confirm({
            title: t('results.common.confirmTitle'),
            content: t('results.idleAssets.disposeConfirm'),
            onOk: () =>
              dispose.mutateAsync({ id: asset.id, proceedsYuan: v.proceeds.toFixed(2), disposedOn: v.disposedOn, note: v.note ?? '', version: asset.version }).then(
                () => (void message.success(t('results.idleAssets.saved')), onClose()),
                (e: unknown) => void message.error(errorText(e)),
              ),
          });
        })
      }
    >
      <Form form={form} layout="vertical">
        <Form.Item name="proceeds" label={t('results.idleAssets.proceeds')} rules={[{ required: true }]}>
          <InputNumber min={0} precision={2} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="disposedOn" label={t('results.idleAssets.disposedOn')} rules={[{ required: true, pattern: /^\d{4}-\d{2}-\d{2}$/ }]}>
          <Input placeholder="YYYY-MM-DD" />
        </Form.Item>
        <Form.Item name="note" label={t('results.common.reason')}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 闲置资产盘活: the ledger with plan progress, status and proceeds. */
export function IdleAssetsPage() {
  const { t } = useTranslation();
  const can = usePermission();
  const assets = useIdleAssets();
  const summary = useIdleAssetSummary();
  const [disposing, setDisposing] = useState<IdleAsset | null>(null);
  const editable = can('improvement.review');
  if (assets.isPending) return <PageSpin />;
  if (assets.isError) return <LoadError error={assets.error} onRetry={() => void assets.refetch()} />;
  const s = summary.data;
  return (
    <Flex vertical gap={16}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('results.idleAssets.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('results.idleAssets.intro')}</Typography.Paragraph>
      {s && (
        <Row gutter={[16, 16]}>
          {(['idle', 'planned', 'in-progress', 'disposed'] as const).map((k) => (
            <Col key={k} xs={12} md={4}>
              <Statistic title={t(`results.idleAssets.statuses.${k}`)} value={s.byStatus[k]} />
            </Col>
          ))}
          <Col xs={12} md={4}>
            <Statistic title={t('results.idleAssets.idleBook')} value={s.idleBookValue} />
          </Col>
          <Col xs={12} md={4}>
            <Statistic title={t('results.idleAssets.proceedsTotal')} value={s.proceeds} valueStyle={{ color: '#389e0d' }} />
          </Col>
        </Row>
      )}
      <Card size="small">
        <Table
          rowKey="id"
          size="small"
          dataSource={assets.data}
          scroll={{ x: 960 }}
          pagination={false}
          expandable={{ expandedRowRender: (a) => <PlanSteps asset={a} editable={editable} /> }}
          columns={[
            { key: 'code', title: t('results.idleAssets.code'), dataIndex: 'code', width: 110 },
            { key: 'name', title: t('results.idleAssets.name'), render: (_v, a) => <Flex vertical><span>{a.name}</span><Typography.Text type="secondary">{a.unitName}</Typography.Text></Flex> },
            { key: 'kind', title: t('results.idleAssets.kind'), render: (_v, a) => t(`results.idleAssets.kinds.${a.kind}`) },
            { key: 'book', title: t('results.idleAssets.bookValue'), dataIndex: 'bookValue', align: 'right' },
            { key: 'route', title: t('results.idleAssets.route'), render: (_v, a) => t(`results.idleAssets.routes.${a.disposalRoute}`) },
            { key: 'owner', title: t('results.idleAssets.owner'), render: (_v, a) => a.ownerName ?? a.owner ?? '' },
            { key: 'progress', title: t('results.idleAssets.progress'), width: 140, render: (_v, a) => <Progress percent={a.status === 'disposed' ? 100 : a.progress} size="small" status={a.plan.some((p) => p.overdue) ? 'exception' : undefined} /> },
            { key: 'status', title: t('results.common.status'), render: (_v, a) => <Tag color={statusColors[a.status]}>{t(`results.idleAssets.statuses.${a.status}`)}</Tag> },
            { key: 'proceeds', title: t('results.idleAssets.proceeds'), align: 'right', render: (_v, a) => (a.proceeds ? `${a.proceeds}（${a.disposedOn}）` : '') },
            ...(editable
              ? [{ key: 'act', title: '', render: (_v: unknown, a: IdleAsset) => a.status !== 'disposed' && <Button size="small" onClick={() => setDisposing(a)}>{t('results.idleAssets.dispose')}</Button> }]
              : []),
          ]}
        />
      </Card>
      {disposing && <DisposeModal asset={disposing} onClose={() => setDisposing(null)} />}
    </Flex>
  );
}
