import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Checkbox, Col, Drawer, Flex, Form, Grid, Input, InputNumber, List, Modal, Progress, Row, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ASSET_KINDS, DISPOSAL_ROUTES, type AssetKind, type AssetStatus, type DisposalRoute } from '../../../domain/results/idle-assets';
import { ApiError } from '../../app/api-client';
import { errorMessage, useErrorMessage } from '../../app/errors';
import { usePermission } from '../../app/session';
import { LoadError, PageSpin } from '../../app/status-pages';
import { UnitTreeSelect } from '../units/components/unit-tree-select';
import { useCreateAsset, useDispose, useIdleAssetSummary, useIdleAssets, useSetStep, useUpdateAsset, type CreateAssetInput, type IdleAsset } from './queries';

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

const yuanPattern = /^\d{1,14}(\.\d{1,2})?$/;
const codePattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const personPattern = /^[A-Za-z0-9_-]{1,32}$/;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;

interface AssetFormValues {
  code: string;
  name: string;
  kind: AssetKind;
  unit: string | null;
  originalValue: string;
  bookValue: string;
  idleSince: string;
  disposalRoute: DisposalRoute;
  owner?: string;
  plan?: { step: string; due: string; done?: boolean }[];
  note?: string;
}
type FieldName = string | number | (string | number)[];

/** Where the server's answer points: `[field, text]` pairs for the form, and lines without a field. */
function assetProblems(error: unknown, t: TFunction): { fields: { name: FieldName; errors: string[] }[]; general: string[] } {
  const fields: { name: FieldName; errors: string[] }[] = [];
  const general: string[] = [];
  if (!(error instanceof ApiError)) return { fields, general: [errorMessage(error, t)] };
  const details = (typeof error.details === 'object' && error.details !== null ? error.details : {}) as Record<string, unknown>;
  const known = (code: string) => t(`results.idleAssets.form.errors.${code as 'ASSET_EXISTS'}`);
  switch (error.code) {
    case 'VALIDATION_FAILED': {
      for (const d of Array.isArray(error.details) ? (error.details as unknown[]) : []) {
        const item = (typeof d === 'object' && d !== null ? d : {}) as { path?: unknown; message?: unknown };
        const path = typeof item.path === 'string' ? item.path.replace(/^body\/?/, '').split('/').filter(Boolean) : [];
        const text = t('results.idleAssets.form.invalid', { message: typeof item.message === 'string' ? item.message : '' });
        if (path.length === 0) general.push(text);
        else fields.push({ name: path.map((p) => (/^\d+$/.test(p) ? Number(p) : p)), errors: [text] });
      }
      if (fields.length === 0 && general.length === 0) general.push(errorMessage(error, t));
      break;
    }
    case 'BOOK_VALUE_ABOVE_ORIGINAL':
      fields.push({ name: typeof details.field === 'string' ? details.field : 'bookValue', errors: [known(error.code)] });
      break;
    case 'ASSET_EXISTS':
      fields.push({ name: 'code', errors: [known(error.code)] });
      break;
    case 'UNIT_NOT_FOUND':
      fields.push({ name: 'unit', errors: [known(error.code)] });
      break;
    case 'PERSON_NOT_FOUND':
      fields.push({ name: 'owner', errors: [known(error.code)] });
      break;
    default:
      general.push(errorMessage(error, t));
  }
  return { fields, general };
}

/** 登记 / 编辑: an asset's fields and its disposal timetable; mounted while open. */
function AssetDrawer({ asset, onClose }: { asset: IdleAsset | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const screens = Grid.useBreakpoint();
  const [form] = Form.useForm<AssetFormValues>();
  const create = useCreateAsset();
  const update = useUpdateAsset();
  const saving = create.isPending || update.isPending;
  const [general, setGeneral] = useState<string[]>([]);
  const initialValues: Partial<AssetFormValues> = asset
    ? {
        code: asset.code,
        name: asset.name,
        kind: asset.kind,
        unit: asset.unit,
        originalValue: asset.originalValue,
        bookValue: asset.bookValue,
        idleSince: asset.idleSince,
        disposalRoute: asset.disposalRoute,
        owner: asset.owner ?? '',
        plan: asset.plan.map((s) => ({ step: s.step, due: s.due, done: s.done })),
        note: asset.note,
      }
    : { kind: 'equipment', disposalRoute: 'sale', plan: [], note: '' };

  const onError = (error: unknown) => {
    const problems = assetProblems(error, t);
    form.setFields(problems.fields as Parameters<typeof form.setFields>[0]);
    setGeneral(problems.general);
  };
  const submit = (v: AssetFormValues) => {
    setGeneral([]);
    const body: Omit<CreateAssetInput, 'code'> = {
      name: v.name.trim(),
      kind: v.kind,
      unit: v.unit ?? '',
      originalValue: v.originalValue.trim(),
      bookValue: v.bookValue.trim(),
      idleSince: v.idleSince,
      disposalRoute: v.disposalRoute,
      owner: v.owner?.trim() ? v.owner.trim() : null,
      plan: (v.plan ?? []).map((s) => ({ step: s.step.trim(), due: s.due, done: s.done ?? false })),
      note: (v.note ?? '').trim(),
    };
    if (asset) {
      update.mutate({ id: asset.id, ...body, version: asset.version }, { onSuccess: () => (void message.success(t('results.idleAssets.saved')), onClose()), onError });
    } else {
      const code = v.code.trim();
      create.mutate({ code, ...body }, { onSuccess: () => (void message.success(t('results.idleAssets.form.created', { code })), onClose()), onError });
    }
  };
  const yuanRules = [{ required: true, message: t('results.idleAssets.form.badYuan') }, { pattern: yuanPattern, message: t('results.idleAssets.form.badYuan') }];
  const dateRules = [{ required: true, pattern: datePattern, message: t('results.idleAssets.form.badDate') }];

  return (
    <Drawer
      open
      title={asset ? t('results.idleAssets.form.editTitle', { code: asset.code }) : t('results.idleAssets.form.createTitle')}
      size={screens.md ? 640 : '100%'}
      onClose={onClose}
      destroyOnHidden
      mask={{ closable: false }}
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={saving} onClick={() => form.submit()}>
            {t('results.common.save')}
          </Button>
        </Flex>
      }
    >
      <Form form={form} name="idle-asset" layout="vertical" initialValues={initialValues} onFinish={submit} scrollToFirstError>
        <Row gutter={12}>
          <Col xs={24} sm={10}>
            <Form.Item name="code" label={t('results.idleAssets.code')} extra={asset ? undefined : t('results.idleAssets.form.codeHint')} rules={[{ required: true, message: t('results.idleAssets.form.badCode') }, { pattern: codePattern, message: t('results.idleAssets.form.badCode') }]}>
              <Input disabled={!!asset} maxLength={64} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={14}>
            <Form.Item name="name" label={t('results.idleAssets.name')} rules={[{ required: true, whitespace: true }, { max: 200 }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} sm={10}>
            <Form.Item name="kind" label={t('results.idleAssets.kind')} rules={[{ required: true }]}>
              <Select options={ASSET_KINDS.map((k) => ({ value: k, label: t(`results.idleAssets.kinds.${k}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={14}>
            <Form.Item name="unit" label={t('results.common.unit')} rules={[{ required: true }]}>
              <UnitTreeSelect valueField="code" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="originalValue" label={t('results.idleAssets.originalValue')} extra={t('results.idleAssets.form.yuanHint')} rules={yuanRules}>
              <Input inputMode="decimal" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="bookValue" label={t('results.idleAssets.bookValue')} rules={yuanRules}>
              <Input inputMode="decimal" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="idleSince" label={t('results.idleAssets.idleSince')} rules={dateRules}>
              <Input type="date" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="disposalRoute" label={t('results.idleAssets.route')} rules={[{ required: true }]}>
              <Select options={DISPOSAL_ROUTES.map((r) => ({ value: r, label: t(`results.idleAssets.routes.${r}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="owner" label={t('results.idleAssets.owner')} extra={t('results.idleAssets.form.ownerHint')} rules={[{ pattern: personPattern, message: t('results.idleAssets.form.badPerson') }]}>
              <Input maxLength={32} />
            </Form.Item>
          </Col>
        </Row>
        <Typography.Text strong>{t('results.idleAssets.plan')}</Typography.Text>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
          {t('results.idleAssets.form.planHint')}
        </Typography.Paragraph>
        <Form.List name="plan">
          {(steps, { add, remove }) => (
            <Flex vertical gap={0} style={{ marginBottom: 16 }}>
              {steps.map(({ key, name }, index) => (
                <Flex key={key} gap={8} align="flex-start" wrap className="idle-asset-step">
                  <Typography.Text type="secondary" style={{ lineHeight: '32px', minWidth: 20 }}>
                    {index + 1}.
                  </Typography.Text>
                  <Form.Item name={[name, 'step']} rules={[{ required: true, whitespace: true, message: t('results.idleAssets.step') }, { max: 200 }]} style={{ flex: '1 1 200px', marginBottom: 8 }}>
                    <Input aria-label={`${t('results.idleAssets.step')} ${index + 1}`} placeholder={t('results.idleAssets.step')} />
                  </Form.Item>
                  <Form.Item name={[name, 'due']} rules={dateRules} style={{ flex: '0 0 160px', marginBottom: 8 }}>
                    <Input type="date" aria-label={`${t('results.idleAssets.due')} ${index + 1}`} />
                  </Form.Item>
                  <Form.Item name={[name, 'done']} valuePropName="checked" style={{ marginBottom: 8 }}>
                    <Checkbox>{t('results.idleAssets.stepDone')}</Checkbox>
                  </Form.Item>
                  <Button type="text" danger icon={<DeleteOutlined aria-hidden />} aria-label={`${t('results.idleAssets.form.removeStep')} ${index + 1}`} onClick={() => remove(name)} />
                </Flex>
              ))}
              <Button type="dashed" icon={<PlusOutlined aria-hidden />} onClick={() => add({ step: '', due: '', done: false })} disabled={steps.length >= 30} block>
                {t('results.idleAssets.addStep')}
              </Button>
            </Flex>
          )}
        </Form.List>
        <Form.Item name="note" label={t('results.idleAssets.form.note')} rules={[{ max: 2000 }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </Form>
      {general.length > 0 && <Alert type="error" showIcon role="alert" title={t('results.idleAssets.form.problems')} description={<Flex vertical>{general.map((g, i) => <span key={i}>{g}</span>)}</Flex>} />}
    </Drawer>
  );
}

/** 闲置资产盘活: the ledger with plan progress, status and proceeds. */
export function IdleAssetsPage() {
  const { t } = useTranslation();
  const can = usePermission();
  const assets = useIdleAssets();
  const summary = useIdleAssetSummary();
  const [disposing, setDisposing] = useState<IdleAsset | null>(null);
  const [editing, setEditing] = useState<IdleAsset | 'new' | null>(null);
  const editable = can('improvement.review');
  if (assets.isPending) return <PageSpin />;
  if (assets.isError) return <LoadError error={assets.error} onRetry={() => void assets.refetch()} />;
  const s = summary.data;
  return (
    <Flex vertical gap={16}>
      <Flex gap={8} wrap justify="space-between" align="center">
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('results.idleAssets.title')}
        </Typography.Title>
        {editable && (
          <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setEditing('new')}>
            {t('results.idleAssets.register')}
          </Button>
        )}
      </Flex>
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
              ? [
                  {
                    key: 'act',
                    title: '',
                    render: (_v: unknown, a: IdleAsset) =>
                      a.status !== 'disposed' && (
                        <Space size={4} wrap>
                          <Button size="small" icon={<EditOutlined aria-hidden />} aria-label={t('results.idleAssets.editLabel', { name: a.name })} onClick={() => setEditing(a)}>
                            {t('results.idleAssets.edit')}
                          </Button>
                          <Button size="small" onClick={() => setDisposing(a)}>
                            {t('results.idleAssets.dispose')}
                          </Button>
                        </Space>
                      ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      {disposing && <DisposeModal asset={disposing} onClose={() => setDisposing(null)} />}
      {editing && <AssetDrawer asset={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </Flex>
  );
}
