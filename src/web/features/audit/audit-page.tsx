import { DownloadOutlined, SafetyOutlined } from '@ant-design/icons';
import { Alert, App, Button, Col, DatePicker, Descriptions, Flex, Form, Input, Row, Select, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditEntry, VerifyResult } from '../../../server/modules/audit/audit.schemas';
import { useErrorMessage } from '../../app/errors';
import { formatDateTime } from '../../app/format';
import { usePermission } from '../../app/session';
import { LoadError } from '../../app/status-pages';
import { useAuditEntries, useExportAudit, useVerifyAuditChain, type AuditFilters } from './queries';

interface FilterValues {
  range: [Dayjs | null, Dayjs | null] | null;
  actor?: string;
  action?: string;
  objectType?: string;
  objectId?: string;
  result?: 'success' | 'failure' | 'all';
}

const trimmed = (value: string | undefined) => value?.trim() || undefined;

function toFilters(values: FilterValues): AuditFilters {
  const [from, to] = values.range ?? [null, null];
  return {
    // ISO 8601 with the browser's offset, as the API expects.
    from: from ? from.format() : undefined,
    to: to ? to.format() : undefined,
    actor: trimmed(values.actor),
    action: trimmed(values.action),
    objectType: trimmed(values.objectType),
    objectId: trimmed(values.objectId),
    result: values.result === 'all' ? undefined : values.result,
  };
}

/** A logged value as text: strings as they are, everything else as JSON. */
function showValue(value: unknown): string {
  if (value === undefined) return '—';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

function EntryDetails({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation();
  const changes = Object.entries(entry.changes ?? {});
  const details = Object.entries(entry.details ?? {});
  return (
    <Flex vertical gap={12} style={{ maxWidth: '100%' }}>
      <Typography.Text strong>{t('audit.changes')}</Typography.Text>
      {changes.length > 0 ? (
        <Table
          size="small"
          rowKey="field"
          pagination={false}
          scroll={{ x: 480 }}
          dataSource={changes.map(([field, change]) => ({ field, old: change.old, new: change.new }))}
          columns={[
            { key: 'field', title: t('audit.field'), dataIndex: 'field', width: 180 },
            { key: 'old', title: t('audit.oldValue'), render: (_v, row) => showValue(row.old) },
            { key: 'new', title: t('audit.newValue'), render: (_v, row) => showValue(row.new) },
          ]}
        />
      ) : (
        <Typography.Text type="secondary">{t('audit.noChanges')}</Typography.Text>
      )}
      {details.length > 0 ? (
        <Descriptions
          size="small"
          bordered
          column={1}
          title={t('audit.details')}
          items={details.map(([key, value]) => ({
            key,
            label: key,
            children: <span style={{ wordBreak: 'break-all' }}>{showValue(value)}</span>,
          }))}
        />
      ) : null}
      <Typography.Text type="secondary" style={{ fontSize: 12, wordBreak: 'break-all' }}>
        {t('audit.hash')}: <Typography.Text code>{entry.hash}</Typography.Text>
      </Typography.Text>
    </Flex>
  );
}

export function AuditPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const describeError = useErrorMessage();
  const can = usePermission();
  const [form] = Form.useForm<FilterValues>();
  const [filters, setFilters] = useState<AuditFilters>({});
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(50);
  const entries = useAuditEntries(filters, page, pageSize);
  const verify = useVerifyAuditChain();
  const exportCsv = useExportAudit();
  const [verification, setVerification] = useState<VerifyResult | null>(null);

  const columns: TableColumnsType<AuditEntry> = [
    { key: 'seq', title: t('audit.seq'), dataIndex: 'seq', width: 80 },
    { key: 'at', title: t('audit.time'), dataIndex: 'at', width: 170, render: (at: string) => formatDateTime(at) },
    {
      key: 'actor',
      title: t('audit.actor'),
      render: (_value, entry) => entry.actorUsername ?? <Typography.Text type="secondary">{t('audit.system')}</Typography.Text>,
    },
    { key: 'role', title: t('audit.role'), dataIndex: 'role', render: (role: string | null) => role ?? '—' },
    { key: 'ip', title: t('audit.ip'), dataIndex: 'ip', render: (ip: string | null) => ip ?? '—' },
    {
      key: 'action',
      title: t('audit.action'),
      dataIndex: 'action',
      render: (action: string) => (
        <Typography.Text code style={{ whiteSpace: 'nowrap' }}>
          {action}
        </Typography.Text>
      ),
    },
    {
      key: 'object',
      title: t('audit.object'),
      render: (_value, entry) =>
        entry.objectType ? (
          <span style={{ wordBreak: 'break-all' }}>
            {entry.objectType}
            {entry.objectId ? <Typography.Text type="secondary"> / {entry.objectId}</Typography.Text> : null}
          </span>
        ) : (
          '—'
        ),
    },
    {
      key: 'result',
      title: t('audit.result'),
      dataIndex: 'result',
      width: 90,
      render: (result: AuditEntry['result']) =>
        result === 'success' ? <Tag color="success">{t('audit.success')}</Tag> : <Tag color="error">{t('audit.failure')}</Tag>,
    },
  ];

  const search = (values: FilterValues) => {
    setFilters(toFilters(values));
    setPage(1);
  };

  return (
    <Flex vertical gap={16}>
      <Flex gap={8} wrap justify="space-between" align="center">
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('audit.title')}
        </Typography.Title>
        <Flex gap={8} wrap>
          <Button
            icon={<SafetyOutlined aria-hidden  />}
            loading={verify.isPending}
            onClick={() =>
              verify.mutate(undefined, {
                onSuccess: setVerification,
                onError: (error) => void message.error(describeError(error)),
              })
            }
          >
            {t('audit.verify')}
          </Button>
          {can('audit.export') ? (
            <Button
              icon={<DownloadOutlined aria-hidden  />}
              loading={exportCsv.isPending}
              onClick={() =>
                exportCsv.mutate(filters, {
                  onSuccess: () => void message.success(t('audit.exported')),
                  onError: (error) => void message.error(describeError(error)),
                })
              }
            >
              {t('audit.export')}
            </Button>
          ) : null}
        </Flex>
      </Flex>
      {verification ? (
        <Alert
          type={verification.ok ? 'success' : 'error'}
          showIcon
          closable={{ onClose: () => setVerification(null) }}
          title={verification.ok ? t('audit.verifyOk') : t('audit.verifyBroken')}
          description={
            verification.ok || !verification.firstBroken
              ? t('audit.verifyOkDetail', { checked: verification.checked })
              : t('audit.verifyBrokenDetail', {
                  checked: verification.checked,
                  seq: verification.firstBroken.seq,
                  reason: verification.firstBroken.reason,
                })
          }
        />
      ) : null}
      <Form<FilterValues> form={form} layout="vertical" onFinish={search} initialValues={{ result: 'all', range: null }}>
        <Row gutter={[12, 0]}>
          <Col xs={24} md={12} xl={8}>
            <Form.Item label={t('audit.timeRange')} name="range">
              <DatePicker.RangePicker showTime allowEmpty={[true, true]} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6} xl={4}>
            <Form.Item label={t('audit.actor')} name="actor">
              <Input allowClear autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6} xl={4}>
            <Form.Item label={t('audit.action')} name="action">
              <Input allowClear autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6} xl={4}>
            <Form.Item label={t('audit.objectType')} name="objectType">
              <Input allowClear autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6} xl={4}>
            <Form.Item label={t('audit.objectId')} name="objectId">
              <Input allowClear autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6} xl={4}>
            <Form.Item label={t('audit.result')} name="result">
              <Select
                options={[
                  { value: 'all', label: t('audit.resultAll') },
                  { value: 'success', label: t('audit.success') },
                  { value: 'failure', label: t('audit.failure') },
                ]}
              />
            </Form.Item>
          </Col>
          <Col xs={12} md={6} xl={4}>
            <Form.Item label=" " colon={false}>
              <Flex gap={8}>
                <Button type="primary" htmlType="submit">
                  {t('common.search')}
                </Button>
                <Button
                  onClick={() => {
                    form.resetFields();
                    search(form.getFieldsValue());
                  }}
                >
                  {t('common.reset')}
                </Button>
              </Flex>
            </Form.Item>
          </Col>
        </Row>
      </Form>
      {entries.isError ? (
        <LoadError error={entries.error} onRetry={() => void entries.refetch()} />
      ) : (
        <Table<AuditEntry>
          rowKey="seq"
          size="small"
          columns={columns}
          dataSource={entries.data?.items}
          loading={entries.isFetching}
          scroll={{ x: 1100 }}
          locale={{ emptyText: t('audit.empty') }}
          expandable={{
            expandedRowRender: (entry) => <EntryDetails entry={entry} />,
            rowExpandable: (entry) => entry.changes !== null || entry.details !== null,
          }}
          pagination={{
            current: page,
            pageSize,
            total: entries.data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [20, 50, 100, 200],
            showTotal: (total) => t('common.total', { total }),
            onChange: (nextPage, nextSize) => {
              setPage(nextSize === pageSize ? nextPage : 1);
              setPageSize(nextSize);
            },
          }}
        />
      )}
    </Flex>
  );
}
