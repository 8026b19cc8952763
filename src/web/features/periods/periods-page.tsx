import { LockOutlined, UnlockOutlined } from '@ant-design/icons';
import { App, Button, Flex, Form, Input, Modal, Select, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../../app/errors';
import { formatDateTime } from '../../app/format';
import { usePermission } from '../../app/session';
import { LoadError } from '../../app/status-pages';
import { monthOf, monthsDescending } from '../benchmarking/period';
import { usePeriods, useSetPeriodLocked, type PeriodState } from './queries';

/** The first month of the benchmarking data; earlier months are listed only when they have a record. */
const firstMonth = '2017-01';

interface MonthRow {
  period: string;
  state: PeriodState | null;
}

/** Asks for the reason of a lock (optional) or an unlock (required). Mounted while open. */
function ReasonModal({ target, onClose }: { target: { period: string; lock: boolean }; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const describeError = useErrorMessage();
  const [form] = Form.useForm<{ reason: string }>();
  const setLocked = useSetPeriodLocked();
  const { period, lock } = target;
  return (
    <Modal
      open
      title={lock ? t('periods.lockTitle', { period }) : t('periods.unlockTitle', { period })}
      okText={lock ? t('periods.lock') : t('periods.unlock')}
      okButtonProps={{ danger: !lock }}
      cancelText={t('common.cancel')}
      confirmLoading={setLocked.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{lock ? t('periods.lockHint') : t('periods.unlockHint')}</Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        onFinish={({ reason }) =>
          setLocked.mutate(
            { period, locked: lock, reason: reason?.trim() ?? '' },
            {
              onSuccess: () => {
                void message.success(lock ? t('periods.lockedDone', { period }) : t('periods.unlockedDone', { period }));
                onClose();
              },
              onError: (error) => void message.error(describeError(error)),
            },
          )
        }
      >
        <Form.Item
          name="reason"
          label={lock ? t('periods.lockReason') : t('periods.unlockReason')}
          rules={lock ? [{ max: 1000 }] : [{ required: true, whitespace: true, message: t('periods.unlockReasonRequired') }, { max: 1000 }]}
        >
          <Input.TextArea rows={3} autoFocus />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 期间管理: which months are closed; closing and reopening for those who may. */
export function PeriodsPage() {
  const { t } = useTranslation();
  const can = usePermission();
  const canLock = can('period.lock');
  const periods = usePeriods();
  const [year, setYear] = useState<string>('all');
  const [dialog, setDialog] = useState<{ period: string; lock: boolean } | null>(null);

  const rows = useMemo<MonthRow[]>(() => {
    const states = new Map((periods.data ?? []).map((state) => [state.period, state]));
    const recorded = [...states.keys()].sort();
    const from = recorded[0] && recorded[0] < firstMonth ? recorded[0] : firstMonth;
    const to = monthOf(dayjs());
    const last = recorded.at(-1) && recorded.at(-1)! > to ? recorded.at(-1)! : to;
    return monthsDescending(from, last).map((period) => ({ period, state: states.get(period) ?? null }));
  }, [periods.data]);
  const years = [...new Set(rows.map((row) => row.period.slice(0, 4)))];
  const shown = year === 'all' ? rows : rows.filter((row) => row.period.startsWith(year));

  const columns: TableColumnsType<MonthRow> = [
    { key: 'period', title: t('periods.period'), dataIndex: 'period', width: 110, render: (period: string) => <span className="num">{period}</span> },
    {
      key: 'state',
      title: t('periods.state'),
      width: 110,
      render: (_v, row) =>
        row.state?.locked ? (
          <Tag color="default" icon={<LockOutlined aria-hidden />}>
            {t('periods.locked')}
          </Tag>
        ) : (
          <Tag color="success" icon={<UnlockOutlined aria-hidden />}>
            {t('periods.open')}
          </Tag>
        ),
    },
    { key: 'changedAt', title: t('periods.changedAt'), width: 180, render: (_v, row) => formatDateTime(row.state?.changedAt) },
    { key: 'reason', title: t('periods.reason'), render: (_v, row) => row.state?.reason || '—' },
  ];
  if (canLock) {
    columns.push({
      key: 'actions',
      title: t('common.actions'),
      width: 120,
      render: (_v, row) =>
        row.state?.locked ? (
          <Button size="small" icon={<UnlockOutlined aria-hidden />} onClick={() => setDialog({ period: row.period, lock: false })}>
            {t('periods.unlock')}
          </Button>
        ) : (
          <Button size="small" icon={<LockOutlined aria-hidden />} onClick={() => setDialog({ period: row.period, lock: true })}>
            {t('periods.lock')}
          </Button>
        ),
    });
  }

  return (
    <Flex vertical gap={16}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('periods.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('periods.intro')}
      </Typography.Paragraph>
      <Flex gap={8} align="center">
        <label htmlFor="periods-year">{t('periods.year')}</label>
        <Select
          id="periods-year"
          value={year}
          onChange={setYear}
          style={{ width: 140 }}
          options={[{ value: 'all', label: t('periods.allYears') }, ...years.map((y) => ({ value: y, label: y }))]}
        />
      </Flex>
      {periods.isError ? (
        <LoadError error={periods.error} onRetry={() => void periods.refetch()} />
      ) : (
        <Table<MonthRow>
          rowKey="period"
          size="small"
          columns={columns}
          dataSource={shown}
          loading={periods.isPending}
          scroll={{ x: 640 }}
          pagination={{ pageSize: 12, showSizeChanger: false, showTotal: (total) => t('common.total', { total }) }}
        />
      )}
      {dialog ? <ReasonModal target={dialog} onClose={() => setDialog(null)} /> : null}
    </Flex>
  );
}
