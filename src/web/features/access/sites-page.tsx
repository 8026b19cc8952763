import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Form, Select, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { usePermission } from '../../app/session';
import { LoadError } from '../../app/status-pages';
import { useSetSearchParam } from '../../app/use-search-param';
import { ACCESS_LEVELS, AccessLevelTag, SITE_KINDS, useSiteName, type AccessLevel } from './registry-parts';
import { useSites, type Site } from './registry-queries';
import { RegistrySiteForm } from './registry-site-form';

/** 小区/厂区: the sites in scope with their access level and counts. */
export function SitesPage() {
  const { t } = useTranslation();
  const can = usePermission();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const set = useSetSearchParam();
  const kind = params.get('kind') ?? undefined;
  const level = params.get('level') ?? undefined;
  const sites = useSites();
  const name = useSiteName();
  const [creating, setCreating] = useState(false);
  const rows = useMemo(() => (sites.data?.rows ?? []).filter((s) => (!kind || s.kind === kind) && (!level || s.accessLevel === level)), [sites.data, kind, level]);

  const columns: ColumnsType<Site> = [
    { title: t('accessRegistry.site.code'), dataIndex: 'code', render: (code: string) => <Link to={`/access/sites/${encodeURIComponent(code)}`}>{code}</Link> },
    { title: t('accessRegistry.site.name'), key: 'name', render: (_v, s) => name(s) },
    { title: t('accessRegistry.site.kind'), dataIndex: 'kind', render: (k: Site['kind']) => <Tag>{t(`accessRegistry.kinds.${k}`)}</Tag> },
    { title: t('accessRegistry.site.accessLevel'), dataIndex: 'accessLevel', render: (l: AccessLevel) => <AccessLevelTag level={l} /> },
    { title: t('accessRegistry.site.unit'), key: 'unit', render: (_v, s) => s.unitName ?? s.unit ?? '—' },
    { title: t('accessRegistry.site.checkpoints'), key: 'checkpoints', align: 'right', render: (_v, s) => s.counts.checkpoints },
    { title: t('accessRegistry.site.gridCells'), key: 'gridCells', align: 'right', render: (_v, s) => s.counts.gridCells },
    { title: t('accessRegistry.site.buildings'), key: 'buildings', align: 'right', render: (_v, s) => s.counts.buildings },
    { title: t('accessRegistry.site.households'), key: 'households', align: 'right', render: (_v, s) => s.counts.households },
    { title: t('accessRegistry.site.people'), key: 'people', align: 'right', render: (_v, s) => s.counts.people },
    { title: t('accessRegistry.site.capacity'), dataIndex: 'capacity', align: 'right', render: (c: number | null) => c ?? '—' },
  ];

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('accessRegistry.sites.title')}
        </Typography.Title>
        {can('access.write') ? (
          <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setCreating(true)}>
            {t('accessRegistry.sites.create')}
          </Button>
        ) : null}
      </Flex>
      <Form layout="inline" style={{ rowGap: 8 }}>
        <Form.Item label={t('accessRegistry.site.kind')} htmlFor="sites-kind">
          <Select id="sites-kind" allowClear value={kind} onChange={(v: string | undefined) => set('kind', v)} options={SITE_KINDS.map((k) => ({ value: k, label: t(`accessRegistry.kinds.${k}`) }))} style={{ width: 140 }} />
        </Form.Item>
        <Form.Item label={t('accessRegistry.site.accessLevel')} htmlFor="sites-level">
          <Select id="sites-level" allowClear value={level} onChange={(v: string | undefined) => set('level', v)} options={ACCESS_LEVELS.map((l) => ({ value: l, label: t(`accessRegistry.levels.${l}`) }))} style={{ width: 140 }} />
        </Form.Item>
      </Form>
      {sites.isError ? (
        <LoadError error={sites.error} onRetry={() => void sites.refetch()} />
      ) : (
        <Card size="small">
          <Table<Site> size="small" rowKey="code" loading={sites.isPending} dataSource={rows} columns={columns} pagination={false} scroll={{ x: 'max-content' }} />
        </Card>
      )}
      {creating ? (
        <RegistrySiteForm
          site={null}
          onClose={() => setCreating(false)}
          onSaved={(s) => {
            setCreating(false);
            void navigate(`/access/sites/${encodeURIComponent(s.code)}`);
          }}
        />
      ) : null}
    </Flex>
  );
}
