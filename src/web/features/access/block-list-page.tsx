import { PlusOutlined, StopOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, DatePicker, Flex, Form, Input, Modal, Radio, Select, Switch, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useErrorMessage } from '../../app/errors';
import { usePermission } from '../../app/session';
import { LoadError } from '../../app/status-pages';
import { useSetSearchParam } from '../../app/use-search-param';
import { confirmWithReason, formatShanghai, PersonPicker, shanghaiToday, showFieldErrors, siteLabel, SiteSelect, sortedSites } from './live-parts';
import { useAddBlock, useBlockList, useRemoveBlock, useSites, type BlockEntry, type CreateBlockBody } from './live-queries';

type Target = 'person' | 'idNumber' | 'phone';
const everySite = '*';

interface BlockForm {
  target: Target;
  person?: string | string[] | null;
  idNumber?: string;
  phone?: string;
  site: string;
  reason: string;
  validTo?: Dayjs | null;
}

const fieldMap: Record<string, string> = { person: 'person', idNumber: 'idNumber', phone: 'phone', site: 'site', reason: 'reason', validTo: 'validTo' };

function AddBlockModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const describeError = useErrorMessage();
  const [form] = Form.useForm<BlockForm>();
  const target = Form.useWatch('target', form) ?? 'person';
  const sites = useSites();
  const add = useAddBlock();
  const [failure, setFailure] = useState<string | null>(null);

  const submit = (v: BlockForm) => {
    setFailure(null);
    const person = Array.isArray(v.person) ? v.person[0] : v.person;
    const body: CreateBlockBody = {
      ...(v.target === 'person' && person ? { person } : {}),
      ...(v.target === 'idNumber' && v.idNumber ? { idNumber: v.idNumber.trim() } : {}),
      ...(v.target === 'phone' && v.phone ? { phone: v.phone.trim() } : {}),
      site: v.site === everySite ? null : v.site,
      reason: v.reason.trim(),
      validTo: v.validTo ? v.validTo.format('YYYY-MM-DD') : null,
    };
    add.mutate(body, {
      onSuccess: () => {
        void message.success(t('accessLive.blockList.added'));
        form.resetFields();
        onClose();
      },
      onError: (error) => {
        if (!showFieldErrors(form, error, fieldMap)) setFailure(describeError(error));
      },
    });
  };

  const required = (field: string) => [{ required: true, whitespace: true, message: t('common.fieldRequired', { field }) }];
  return (
    <Modal
      open={open}
      title={t('accessLive.blockList.add')}
      okText={t('accessLive.blockList.addOk')}
      okButtonProps={{ danger: true }}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={add.isPending}
      destroyOnHidden
    >
      <Form<BlockForm> form={form} layout="vertical" onFinish={submit} initialValues={{ target: 'person', site: everySite }}>
        <Form.Item name="target" label={t('accessLive.blockList.target')}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'person', label: t('accessLive.blockList.byPerson') },
              { value: 'idNumber', label: t('accessLive.blockList.byIdNumber') },
              { value: 'phone', label: t('accessLive.blockList.byPhone') },
            ]}
          />
        </Form.Item>
        {target === 'person' ? (
          <Form.Item name="person" label={t('accessLive.common.person')} rules={[{ required: true, message: t('common.fieldRequired', { field: t('accessLive.common.person') }) }]}>
            <PersonPicker />
          </Form.Item>
        ) : target === 'idNumber' ? (
          <Form.Item name="idNumber" label={t('accessLive.visits.idNumber')} extra={t('accessLive.blockList.outsiderHint')} rules={required(t('accessLive.visits.idNumber'))}>
            <Input maxLength={40} autoComplete="off" />
          </Form.Item>
        ) : (
          <Form.Item name="phone" label={t('accessLive.visits.phone')} extra={t('accessLive.blockList.outsiderHint')} rules={required(t('accessLive.visits.phone'))}>
            <Input maxLength={30} inputMode="tel" autoComplete="off" />
          </Form.Item>
        )}
        <Form.Item name="site" label={t('accessLive.common.site')}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            loading={sites.isPending}
            options={[{ value: everySite, label: t('accessLive.common.allSites') }, ...sortedSites(sites.data?.rows ?? []).map((s) => ({ value: s.code, label: `${siteLabel(s, i18n.language)} (${s.code})` }))]}
          />
        </Form.Item>
        <Form.Item name="reason" label={t('accessLive.blockList.reason')} rules={required(t('accessLive.blockList.reason'))}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        <Form.Item name="validTo" label={t('accessLive.blockList.validTo')} extra={t('accessLive.blockList.validToHint')}>
          <DatePicker allowClear disabledDate={(d) => d.format('YYYY-MM-DD') < shanghaiToday()} />
        </Form.Item>
        {failure ? <Alert type="error" showIcon title={failure} /> : null}
      </Form>
    </Modal>
  );
}

/** 禁止通行名单: people, ID numbers or phones refused at one site or all; added and removed with a reason. */
export function BlockListPage() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const describeError = useErrorMessage();
  const can = usePermission();
  const canWrite = can('access.write');
  const [params] = useSearchParams();
  const set = useSetSearchParam();
  const site = params.get('site') ?? undefined;
  const removed = params.get('removed') === 'true';
  const sites = useSites();
  const list = useBlockList(site, removed);
  const remove = useRemoveBlock();
  const [adding, setAdding] = useState(false);

  const who = (e: BlockEntry) =>
    e.person ? (
      <span>
        {e.person.name} <Typography.Text type="secondary">({e.person.code})</Typography.Text>
      </span>
    ) : e.byIdNumber ? (
      <Tag>{t('accessLive.blockList.byIdNumber')}</Tag>
    ) : (
      <Tag>{t('accessLive.blockList.byPhone')}</Tag>
    );

  const askRemove = (e: BlockEntry) =>
    confirmWithReason(modal, {
      title: t('accessLive.blockList.remove'),
      content: t('accessLive.blockList.removeConfirm', { who: e.person ? e.person.name : e.byIdNumber ? t('accessLive.blockList.byIdNumber') : t('accessLive.blockList.byPhone') }),
      label: t('accessLive.blockList.removeReason'),
      okText: t('accessLive.blockList.remove'),
      cancelText: t('common.cancel'),
      onOk: (reason) =>
        remove.mutateAsync({ id: e.id, reason }).then(
          () => void message.success(t('accessLive.blockList.removed')),
          (error: unknown) => void message.error(describeError(error)),
        ),
    });

  const columns: ColumnsType<BlockEntry> = [
    { title: t('accessLive.blockList.target'), key: 'who', render: (_v, e) => who(e) },
    { title: t('accessLive.common.site'), key: 'site', render: (_v, e) => (e.site ? e.site.nameZh : <Tag color="red">{t('accessLive.common.allSites')}</Tag>) },
    { title: t('accessLive.blockList.reason'), dataIndex: 'reason' },
    { title: t('accessLive.blockList.validTo'), dataIndex: 'validTo', render: (v: string | null) => v ?? t('accessLive.blockList.untilRemoved') },
    {
      title: t('accessLive.visits.status'),
      key: 'state',
      render: (_v, e) =>
        e.removedAt ? <Tag>{t('accessLive.blockList.stateRemoved')}</Tag> : e.active ? <Tag color="red">{t('accessLive.blockList.stateActive')}</Tag> : <Tag>{t('accessLive.blockList.stateExpired')}</Tag>,
    },
    { title: t('accessLive.blockList.createdAt'), dataIndex: 'createdAt', render: (v: string) => formatShanghai(v, 'dateHm') },
    ...(removed ? [{ title: t('accessLive.blockList.removedAt'), key: 'removedAt', render: (_v: unknown, e: BlockEntry) => (e.removedAt ? formatShanghai(e.removedAt, 'dateHm') : '—') }] : []),
    ...(canWrite
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            fixed: 'right' as const,
            render: (_v: unknown, e: BlockEntry) =>
              e.removedAt ? null : (
                <Button size="small" onClick={() => askRemove(e)}>
                  {t('accessLive.blockList.remove')}
                </Button>
              ),
          },
        ]
      : []),
  ];

  return (
    <Flex vertical gap={16}>
      <Flex gap={8} wrap align="center" justify="space-between">
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('accessLive.blockList.title')}
        </Typography.Title>
        {canWrite ? (
          <Button type="primary" danger icon={<PlusOutlined aria-hidden />} onClick={() => setAdding(true)}>
            {t('accessLive.blockList.add')}
          </Button>
        ) : null}
      </Flex>
      <Form layout="inline" style={{ rowGap: 8 }}>
        <Form.Item label={t('accessLive.common.site')} htmlFor="block-site">
          <SiteSelect id="block-site" sites={sites.data?.rows ?? []} value={site} onChange={(v) => set('site', v)} allowClear placeholder={t('accessLive.common.allSites')} />
        </Form.Item>
        <Form.Item label={t('accessLive.blockList.showRemoved')} htmlFor="block-removed">
          <Switch id="block-removed" checked={removed} onChange={(on) => set('removed', on ? 'true' : null)} />
        </Form.Item>
      </Form>
      <Typography.Text type="secondary">
        <StopOutlined aria-hidden /> {t('accessLive.blockList.note')}
      </Typography.Text>
      {list.isError ? (
        <LoadError error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <Card size="small">
          <Table<BlockEntry>
            size="small"
            rowKey="id"
            loading={list.isPending}
            dataSource={list.data?.rows ?? []}
            columns={columns}
            scroll={{ x: 'max-content' }}
            pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true }}
            locale={{ emptyText: t('accessLive.blockList.empty') }}
          />
        </Card>
      )}
      <AddBlockModal open={adding} onClose={() => setAdding(false)} />
    </Flex>
  );
}
