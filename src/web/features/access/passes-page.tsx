import { PlusOutlined, PrinterOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Form, Input, Select, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { usePermission } from '../../app/session';
import { LoadError } from '../../app/status-pages';
import { useSetSearchParam } from '../../app/use-search-param';
import { RegistryPassForm } from './registry-pass-form';
import { RegistryPassList } from './registry-pass-list';
import { PASS_STATUSES, RegistrySiteSelect } from './registry-parts';
import { usePasses, type PassStatus } from './registry-queries';

const pageSize = 50;
const isStatus = (v: string | null): v is PassStatus => v !== null && (PASS_STATUSES as readonly string[]).includes(v);

/** 通行证: the passes of a site (or of a person, or all in scope), issue, suspend, revoke, print. */
export function PassesPage() {
  const { t } = useTranslation();
  const can = usePermission();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const set = useSetSearchParam();
  const site = params.get('site') ?? undefined;
  const person = params.get('person') ?? undefined;
  const statusParam = params.get('status');
  const status = isStatus(statusParam) ? statusParam : undefined;
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  const passes = usePasses({ site, person, status, page, pageSize });
  const [issuing, setIssuing] = useState(false);
  /** A filter changes: back to the first page. */
  const setFilter = (key: string, value: string | undefined) => set(key, value, { clear: ['page'] });

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('accessRegistry.passes.title')}
        </Typography.Title>
        <Flex gap={8} wrap>
          <Button icon={<PrinterOutlined aria-hidden />} disabled={!site} onClick={() => void navigate(`/access/passes/print?site=${encodeURIComponent(site ?? '')}`)}>
            {t('accessRegistry.passes.print')}
          </Button>
          {can('access.write') ? (
            <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setIssuing(true)}>
              {t('accessRegistry.passes.issue')}
            </Button>
          ) : null}
        </Flex>
      </Flex>
      <Form layout="inline" style={{ rowGap: 8 }}>
        <Form.Item label={t('accessRegistry.passes.site')} htmlFor="passes-site">
          <RegistrySiteSelect id="passes-site" allowClear value={site ?? null} onChange={(v) => setFilter('site', typeof v === 'string' ? v : undefined)} style={{ width: 240 }} />
        </Form.Item>
        <Form.Item label={t('accessRegistry.passes.statusLabel')} htmlFor="passes-status">
          <Select
            id="passes-status"
            allowClear
            value={status}
            onChange={(v: string | undefined) => setFilter('status', v)}
            options={PASS_STATUSES.map((s) => ({ value: s, label: t(`accessRegistry.passes.status.${s}`) }))}
            style={{ width: 120 }}
          />
        </Form.Item>
        <Form.Item label={t('accessRegistry.passes.personCode')} htmlFor="passes-person">
          <Input.Search id="passes-person" allowClear defaultValue={person} onSearch={(v) => setFilter('person', v.trim() || undefined)} style={{ width: 200 }} />
        </Form.Item>
      </Form>
      {!site ? <Typography.Text type="secondary">{t('accessRegistry.passes.printHint')}</Typography.Text> : null}
      {passes.isError ? (
        <LoadError error={passes.error} onRetry={() => void passes.refetch()} />
      ) : (
        <Card size="small">
          <RegistryPassList
            holder
            rows={passes.data?.rows ?? []}
            loading={passes.isPending}
            pagination={{
              current: page,
              pageSize,
              total: passes.data?.total ?? 0,
              showSizeChanger: false,
              showTotal: (total) => t('common.total', { total }),
              onChange: (p) => set('page', p > 1 ? String(p) : null),
            }}
          />
        </Card>
      )}
      {issuing ? <RegistryPassForm sites={site ? [site] : []} onClose={() => setIssuing(false)} /> : null}
    </Flex>
  );
}
