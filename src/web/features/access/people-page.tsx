import { DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Button, Card, Flex, Form, Input, Select, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { downloadFile } from '../../app/api-client';
import { usePermission } from '../../app/session';
import { LoadError } from '../../app/status-pages';
import { useSetSearchParam } from '../../app/use-search-param';
import { PersonDrawer } from './person-drawer';
import { CATEGORIES, RegistrySiteSelect, useRegistryErrorMessage } from './registry-parts';
import { RegistryPersonForm } from './registry-person-form';
import { usePeople, type Person, type PersonCategory } from './registry-queries';

const pageSize = 50;
const isCategory = (v: string | null): v is PersonCategory => v !== null && (CATEGORIES as readonly string[]).includes(v);

/**
 * 人员登记: the people registry in scope. Search by name or code, or exactly by ID number or phone
 * (the server finds them by blind index; these two stay out of the address). ID numbers and phones
 * are shown masked as the API sends them; the drawer unmasks one with a reason.
 */
export function PeoplePage() {
  const { t } = useTranslation();
  const can = usePermission();
  const { message } = App.useApp();
  const describe = useRegistryErrorMessage();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const set = useSetSearchParam();
  const q = params.get('q') ?? undefined;
  const site = params.get('site') ?? undefined;
  const household = params.get('household') ?? undefined;
  const categoryParam = params.get('category');
  const category = isCategory(categoryParam) ? categoryParam : undefined;
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  const open = params.get('person') ?? undefined;
  // Exact searches by personal values: kept in memory only, never in the address or history.
  const [exact, setExact] = useState<{ idNumber?: string; phone?: string }>({});
  const [exactField, setExactField] = useState<'idNumber' | 'phone'>('idNumber');
  const [exactText, setExactText] = useState('');
  const [creating, setCreating] = useState(false);
  const [exporting, setExporting] = useState(false);
  const people = usePeople({ q, site, household, category, page, pageSize, ...exact });

  /** A filter changes: back to the first page. */
  const setFilter = (key: string, value: string | undefined) => set(key, value, { clear: ['page'] });

  const runExact = (value: string) => {
    const v = value.trim();
    setExactText(value);
    set('page', null);
    setExact(v ? { [exactField]: v } : {});
  };

  const exportXlsx = () => {
    setExporting(true);
    downloadFile('/api/people/export.xlsx', { q, site, household, category }, 'pacesetter-people.xlsx')
      .catch((error: unknown) => void message.error(describe(error)))
      .finally(() => setExporting(false));
  };

  const columns: ColumnsType<Person> = [
    { title: t('accessRegistry.person.code'), dataIndex: 'code' },
    { title: t('accessRegistry.person.name'), dataIndex: 'name', render: (n: string) => <Typography.Link>{n}</Typography.Link> },
    { title: t('accessRegistry.person.category'), dataIndex: 'category', render: (c: PersonCategory) => <Tag>{t(`accessRegistry.categories.${c}`)}</Tag> },
    { title: t('accessRegistry.person.idNumber'), dataIndex: 'idNumber', render: (v: string | null) => (v ? <Typography.Text code>{v}</Typography.Text> : '—') },
    { title: t('accessRegistry.person.phone'), dataIndex: 'phone', render: (v: string | null) => (v ? <Typography.Text code>{v}</Typography.Text> : '—') },
    { title: t('accessRegistry.person.unit'), dataIndex: 'unit', render: (v: string | null) => v ?? '—' },
    { title: t('accessRegistry.person.site'), dataIndex: 'site', render: (v: string | null) => v ?? '—' },
    { title: t('accessRegistry.person.household'), dataIndex: 'household', render: (v: string | null) => v ?? '—' },
    { title: t('accessRegistry.person.proxy'), dataIndex: 'proxyPerson', render: (v: string | null) => (v ? t('accessRegistry.person.proxyBy', { code: v }) : '') },
  ];

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('accessRegistry.people.title')}
        </Typography.Title>
        <Flex gap={8} wrap>
          <Button icon={<DownloadOutlined aria-hidden />} loading={exporting} onClick={exportXlsx}>
            {t('accessRegistry.people.export')}
          </Button>
          {can('import.run') ? (
            <Button icon={<UploadOutlined aria-hidden />} onClick={() => void navigate('/imports?kind=people')}>
              {t('accessRegistry.people.import')}
            </Button>
          ) : null}
          {can('access.write') || can('person.write') ? (
            <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setCreating(true)}>
              {t('accessRegistry.people.create')}
            </Button>
          ) : null}
        </Flex>
      </Flex>
      <Form layout="inline" style={{ rowGap: 8 }}>
        <Form.Item label={t('accessRegistry.people.q')} htmlFor="people-q">
          <Input.Search id="people-q" allowClear defaultValue={q} placeholder={t('accessRegistry.people.qPlaceholder')} onSearch={(v) => setFilter('q', v.trim() || undefined)} style={{ width: 220 }} />
        </Form.Item>
        <Form.Item label={t('accessRegistry.people.exact')} htmlFor="people-exact">
          <Flex gap={0}>
            <Select
              value={exactField}
              onChange={(f: 'idNumber' | 'phone') => setExactField(f)}
              options={[
                { value: 'idNumber', label: t('accessRegistry.person.idNumber') },
                { value: 'phone', label: t('accessRegistry.person.phone') },
              ]}
              style={{ width: 110 }}
              aria-label={t('accessRegistry.people.exactField')}
            />
            <Input.Search
              id="people-exact"
              allowClear
              value={exactText}
              onChange={(e) => setExactText(e.target.value)}
              onSearch={runExact}
              placeholder={t('accessRegistry.people.exactPlaceholder')}
              autoComplete="off"
              style={{ width: 240 }}
            />
          </Flex>
        </Form.Item>
        <Form.Item label={t('accessRegistry.person.site')} htmlFor="people-site">
          <RegistrySiteSelect id="people-site" allowClear value={site ?? null} onChange={(v) => setFilter('site', typeof v === 'string' ? v : undefined)} style={{ width: 220 }} />
        </Form.Item>
        <Form.Item label={t('accessRegistry.person.category')} htmlFor="people-category">
          <Select
            id="people-category"
            allowClear
            value={category}
            onChange={(v: string | undefined) => setFilter('category', v)}
            options={CATEGORIES.map((c) => ({ value: c, label: t(`accessRegistry.categories.${c}`) }))}
            style={{ width: 120 }}
          />
        </Form.Item>
        {household ? (
          <Form.Item label={t('accessRegistry.person.household')}>
            <Tag closable onClose={() => setFilter('household', undefined)}>
              {household}
            </Tag>
          </Form.Item>
        ) : null}
      </Form>
      <Typography.Text type="secondary">{t('accessRegistry.people.maskNote')}</Typography.Text>
      {people.isError ? (
        <LoadError error={people.error} onRetry={() => void people.refetch()} />
      ) : (
        <Card size="small">
          <Table<Person>
            size="small"
            rowKey="id"
            loading={people.isFetching}
            dataSource={people.data?.items ?? []}
            columns={columns}
            scroll={{ x: 'max-content' }}
            onRow={(p) => ({ onClick: () => set('person', p.id, { push: true }), style: { cursor: 'pointer' } })}
            pagination={{
              current: page,
              pageSize,
              total: people.data?.total ?? 0,
              showSizeChanger: false,
              showTotal: (total) => t('common.total', { total }),
              onChange: (p) => set('page', p > 1 ? String(p) : null),
            }}
          />
        </Card>
      )}
      <PersonDrawer id={open} onClose={() => set('person', null)} />
      {creating ? (
        <RegistryPersonForm
          person={null}
          site={site}
          onClose={() => setCreating(false)}
          onSaved={(p) => {
            setCreating(false);
            set('person', p.id, { push: true });
          }}
        />
      ) : null}
    </Flex>
  );
}
