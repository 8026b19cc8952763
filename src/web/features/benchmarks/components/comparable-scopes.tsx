import { SwapOutlined } from '@ant-design/icons';
import { App, AutoComplete, Button, Card, Flex, Form, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { usePermission } from '../../../app/session';
import { LoadError } from '../../../app/status-pages';
import { useAddComparableScopes, useComparableScopes, type ComparablePair } from '../queries';
import { ErrorAlert } from './error-alert';

interface FormValues {
  scopeA?: string;
  scopeB?: string;
}

/** Declares two 口径 comparable, after a confirmation: it changes every unit's scorecard. */
function DeclareForm({ scopeTags }: { scopeTags: readonly string[] }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const add = useAddComparableScopes();
  const options = useMemo(() => scopeTags.filter(Boolean).map((value) => ({ value })), [scopeTags]);

  const submit = ({ scopeA = '', scopeB = '' }: FormValues) => {
    const a = scopeA.trim();
    const b = scopeB.trim();
    void modal.confirm({
      title: t('benchmarks.comparable.confirmTitle'),
      content: t('benchmarks.comparable.confirmContent', { a, b }),
      okText: t('benchmarks.comparable.declare'),
      cancelText: t('common.cancel'),
      onOk: () =>
        add.mutateAsync({ scopeA: a, scopeB: b }).then(
          () => {
            void message.success(t('benchmarks.comparable.declared', { a, b }));
            form.resetFields();
          },
          // The error stays below the form; the confirmation closes.
          () => undefined,
        ),
    });
  };

  const scopeRules = (field: string) => [
    { required: true, whitespace: true, message: t('common.fieldRequired', { field }) },
    { max: 16, message: t('benchmarks.comparable.scopeInvalid') },
  ];

  return (
    <Card size="small" title={t('benchmarks.comparable.declareTitle')}>
      <Form<FormValues> form={form} layout="inline" onFinish={submit} onValuesChange={() => add.error && add.reset()} style={{ rowGap: 8 }}>
        <Form.Item label={t('benchmarks.comparable.scopeA')} name="scopeA" rules={scopeRules(t('benchmarks.comparable.scopeA'))}>
          <AutoComplete options={options} placeholder={t('benchmarks.comparable.scopePlaceholder')} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item
          label={t('benchmarks.comparable.scopeB')}
          name="scopeB"
          dependencies={['scopeA']}
          rules={[
            ...scopeRules(t('benchmarks.comparable.scopeB')),
            ({ getFieldValue }) => ({
              validator: async (_rule, value: string | undefined) => {
                const other = (getFieldValue('scopeA') as string | undefined)?.trim();
                if (value?.trim() && other && value.trim() === other) throw new Error(t('benchmarks.comparable.sameScope'));
              },
            }),
          ]}
        >
          <AutoComplete options={options} placeholder={t('benchmarks.comparable.scopePlaceholder')} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={add.isPending}>
            {t('benchmarks.comparable.declare')}
          </Button>
        </Form.Item>
      </Form>
      {add.error ? <ErrorAlert error={add.error} /> : null}
    </Card>
  );
}

/** 可比口径: the pairs of 口径 whose values the scorecard compares directly. */
export function ComparableScopes({ scopeTags, usage }: { scopeTags: readonly string[]; usage: ReadonlyMap<string, number> }) {
  const { t } = useTranslation();
  const can = usePermission();
  const pairs = useComparableScopes();

  const scopeCell = (scope: string) => (
    <Flex gap={6} align="center" wrap>
      <Tag color="geekblue">{scope}</Tag>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('benchmarks.comparable.usedBy', { count: usage.get(scope) ?? 0 })}
      </Typography.Text>
    </Flex>
  );
  const columns: TableColumnsType<ComparablePair> = [
    { key: 'scopeA', title: t('benchmarks.comparable.scopeA'), width: 220, render: (_v, pair) => scopeCell(pair.scopeA) },
    { key: 'sign', title: '', width: 40, align: 'center', render: () => <SwapOutlined aria-hidden /> },
    { key: 'scopeB', title: t('benchmarks.comparable.scopeB'), width: 220, render: (_v, pair) => scopeCell(pair.scopeB) },
  ];

  return (
    <Flex vertical gap={12}>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('benchmarks.comparable.intro')}
      </Typography.Paragraph>
      {can('indicator.write') ? <DeclareForm scopeTags={scopeTags} /> : null}
      {pairs.isError ? (
        <LoadError error={pairs.error} onRetry={() => void pairs.refetch()} />
      ) : (
        <Table<ComparablePair>
          rowKey={(pair) => `${pair.scopeA}~${pair.scopeB}`}
          size="small"
          columns={columns}
          dataSource={pairs.data}
          loading={pairs.isPending}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('benchmarks.comparable.empty') }}
          pagination={false}
        />
      )}
    </Flex>
  );
}
