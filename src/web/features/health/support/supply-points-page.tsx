import { EditOutlined, PlusOutlined, StopOutlined } from '@ant-design/icons';
import { App, Button, Card, Empty, Flex, Form, Popconfirm, QRCode, Select, Switch, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { usePermission } from '../../../app/session';
import { LoadError, PageSpin } from '../../../app/status-pages';
import { useSetSearchParam } from '../../../app/use-search-param';
import { SupplyPointDrawer } from './supply-point-form';
import { nameIn, OpeningHours, useSupportError } from './support-parts';
import { useDeactivatePoint, useSites, useSupplyPoints, type SupplyPoint } from './support-queries';

/** Where residents read the points without signing in. */
export const publicPointsPath = '/supply-points';

function PublicLink() {
  const { t } = useTranslation();
  const url = `${window.location.origin}${publicPointsPath}`;
  return (
    <Card size="small" title={t('healthSupport.points.publicTitle')}>
      <Flex gap={16} align="center" wrap>
        <QRCode value={url} size={112} bordered={false} aria-label={t('healthSupport.points.qrLabel')} />
        <Flex vertical gap={4} style={{ minWidth: 0, flex: 1 }}>
          <Typography.Text type="secondary">{t('healthSupport.points.publicHint')}</Typography.Text>
          <Typography.Text copyable={{ text: url }} style={{ wordBreak: 'break-all' }}>
            <Link to={publicPointsPath} target="_blank" rel="noopener">
              {url}
            </Link>
          </Typography.Text>
        </Flex>
      </Flex>
    </Card>
  );
}

/** 供应点: the supply points of each community with their hours; added, edited and taken off the public page. */
export function SupplyPointsPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const describe = useSupportError();
  const can = usePermission();
  const canWrite = can('health.write');
  const [params] = useSearchParams();
  const set = useSetSearchParam();
  const site = params.get('site') ?? undefined;
  const withInactive = params.get('inactive') === 'true';
  const sites = useSites();
  const points = useSupplyPoints(site, withInactive);
  const deactivate = useDeactivatePoint();
  const [editing, setEditing] = useState<{ point: SupplyPoint | null; site?: string } | null>(null);

  // The communities first (a plant may have a canteen shop too), each with its points.
  const groups = useMemo(() => {
    const rows = points.data?.rows ?? [];
    const known = (sites.data?.rows ?? []).filter((s) => (site ? s.code === site : s.kind === 'community' || rows.some((p) => p.site.code === s.code)));
    const bySite = new Map<string, { code: string; name: string; points: SupplyPoint[] }>();
    for (const s of known.sort((a, b) => (a.kind === b.kind ? a.code.localeCompare(b.code) : a.kind === 'community' ? -1 : 1))) {
      bySite.set(s.code, { code: s.code, name: nameIn(i18n.language, s.nameZh, s.nameEn), points: [] });
    }
    for (const p of rows) {
      const group = bySite.get(p.site.code) ?? { code: p.site.code, name: nameIn(i18n.language, p.site.nameZh, p.site.nameEn), points: [] };
      group.points.push(p);
      bySite.set(p.site.code, group);
    }
    return [...bySite.values()];
  }, [points.data, sites.data, site, i18n.language]);

  const columns: ColumnsType<SupplyPoint> = [
    { title: t('healthSupport.points.name'), dataIndex: 'name', render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
    { title: t('healthSupport.points.location'), dataIndex: 'location', render: (v: string | null) => v ?? '—' },
    { title: t('healthSupport.points.goods'), dataIndex: 'goods', render: (v: string | null) => v ?? '—' },
    { title: t('healthSupport.points.hours'), key: 'hours', render: (_v, p) => <OpeningHours windows={p.openingHours} /> },
    { title: t('healthSupport.points.phone'), dataIndex: 'phone', render: (v: string | null) => v ?? '—' },
    {
      title: t('healthSupport.points.status'),
      key: 'status',
      render: (_v, p) =>
        !p.active ? <Tag>{t('healthSupport.points.inactive')}</Tag> : p.openNow ? <Tag color="green">{t('healthSupport.public.openNow')}</Tag> : <Tag>{t('healthSupport.public.closedNow')}</Tag>,
    },
    ...(canWrite
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_v: unknown, p: SupplyPoint) =>
              p.active ? (
                <Flex gap={4}>
                  <Button size="small" icon={<EditOutlined aria-hidden />} onClick={() => setEditing({ point: p })}>
                    {t('common.edit')}
                  </Button>
                  <Popconfirm
                    title={t('healthSupport.points.deactivate')}
                    description={t('healthSupport.points.deactivateConfirm', { name: p.name })}
                    okText={t('healthSupport.points.deactivate')}
                    okButtonProps={{ danger: true, loading: deactivate.isPending }}
                    cancelText={t('common.cancel')}
                    onConfirm={() =>
                      deactivate.mutateAsync({ id: p.id, version: p.version }).then(
                        () => void message.success(t('healthSupport.points.deactivated', { name: p.name })),
                        (error: unknown) => void message.error(describe(error)),
                      )
                    }
                  >
                    <Button size="small" danger icon={<StopOutlined aria-hidden />}>
                      {t('healthSupport.points.deactivate')}
                    </Button>
                  </Popconfirm>
                </Flex>
              ) : null,
          },
        ]
      : []),
  ];

  return (
    <Flex vertical gap={16}>
      <Flex gap={8} wrap align="center" justify="space-between">
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('healthSupport.points.title')}
        </Typography.Title>
        {canWrite ? (
          <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setEditing({ point: null, site })}>
            {t('healthSupport.points.add')}
          </Button>
        ) : null}
      </Flex>
      <PublicLink />
      <Form layout="inline" style={{ rowGap: 8 }}>
        <Form.Item label={t('healthSupport.points.community')} htmlFor="points-site">
          <Select<string>
            id="points-site"
            value={site}
            onChange={(v) => set('site', v)}
            allowClear
            placeholder={t('healthSupport.points.allCommunities')}
            loading={sites.isPending}
            showSearch={{ optionFilterProp: 'label' }}
            style={{ minWidth: 220 }}
            options={(sites.data?.rows ?? []).map((s) => ({ value: s.code, label: `${nameIn(i18n.language, s.nameZh, s.nameEn)} (${s.code})` }))}
          />
        </Form.Item>
        <Form.Item label={t('healthSupport.points.showInactive')} htmlFor="points-inactive">
          <Switch id="points-inactive" checked={withInactive} onChange={(on) => set('inactive', on ? 'true' : null)} />
        </Form.Item>
      </Form>
      {points.isError ? (
        <LoadError error={points.error} onRetry={() => void points.refetch()} />
      ) : !points.data ? (
        <PageSpin />
      ) : groups.length === 0 ? (
        <Card>
          <Empty description={t(canWrite ? 'healthSupport.points.emptyWrite' : 'healthSupport.points.empty')} />
        </Card>
      ) : (
        groups.map((g) => (
          <Card
            key={g.code}
            size="small"
            data-testid={`points-${g.code}`}
            title={
              <Flex gap={8} align="center">
                <span>{g.name}</span>
                <Typography.Text type="secondary">({g.code})</Typography.Text>
                <Tag>{t('healthSupport.points.count', { count: g.points.length })}</Tag>
              </Flex>
            }
            extra={
              canWrite ? (
                <Button size="small" icon={<PlusOutlined aria-hidden />} onClick={() => setEditing({ point: null, site: g.code })}>
                  {t('healthSupport.points.addHere')}
                </Button>
              ) : null
            }
          >
            <Table<SupplyPoint>
              size="small"
              rowKey="id"
              dataSource={g.points}
              columns={columns}
              pagination={false}
              scroll={{ x: 'max-content' }}
              locale={{ emptyText: t(canWrite ? 'healthSupport.points.noneHereWrite' : 'healthSupport.points.noneHere') }}
            />
          </Card>
        ))
      )}
      <SupplyPointDrawer open={editing !== null} point={editing?.point ?? null} site={editing?.site} onClose={() => setEditing(null)} key={editing?.point?.id ?? `new-${editing?.site ?? ''}`} />
    </Flex>
  );
}
