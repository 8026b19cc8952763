import { ArrowLeftOutlined, EditOutlined, IdcardOutlined, PrinterOutlined, TeamOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, Flex, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { usePermission } from '../../app/session';
import { LoadError, PageSpin } from '../../app/status-pages';
import { useSetSearchParam } from '../../app/use-search-param';
import { useTabParam } from '../../app/use-tab-param';
import { RegistryCheckpoints } from './registry-checkpoints';
import { AccessLevelTag, useSiteName } from './registry-parts';
import { useSite } from './registry-queries';
import { RegistrySiteForm } from './registry-site-form';
import { RegistryBuildings, RegistryGridCells, RegistryHouseholds } from './registry-site-parts';
import { RegistrySiteSettings } from './registry-site-settings';

const tabs = ['checkpoints', 'gridCells', 'buildings', 'households', 'settings'] as const;

/** One site: its checkpoints and devices, grid cells, buildings, households and gate rules. */
export function SitePage() {
  const { t } = useTranslation();
  const { code = '' } = useParams();
  const can = usePermission();
  const navigate = useNavigate();
  const site = useSite(code);
  const name = useSiteName();
  const [tab, setTab] = useTabParam(tabs);
  const [params] = useSearchParams();
  const set = useSetSearchParam();
  const [editing, setEditing] = useState(false);

  if (site.isPending) return <PageSpin />;
  if (site.isError) return <LoadError error={site.error} onRetry={() => void site.refetch()} />;
  const s = site.data;
  const quota = s.householdQuota ? t('accessRegistry.settings.quotaText', { days: s.householdQuota.days, count: s.householdQuota.count }) : t('common.none');

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Flex align="center" gap={8} wrap>
          <Link to="/access/sites" aria-label={t('accessRegistry.sites.back')}>
            <ArrowLeftOutlined aria-hidden />
          </Link>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {name(s)}
          </Typography.Title>
          <Tag>{t(`accessRegistry.kinds.${s.kind}`)}</Tag>
          <AccessLevelTag level={s.accessLevel} />
        </Flex>
        <Flex gap={8} wrap>
          <Button icon={<TeamOutlined aria-hidden />} onClick={() => void navigate(`/access/people?site=${encodeURIComponent(s.code)}`)}>
            {t('accessRegistry.sites.people')}
          </Button>
          <Button icon={<IdcardOutlined aria-hidden />} onClick={() => void navigate(`/access/passes?site=${encodeURIComponent(s.code)}`)}>
            {t('accessRegistry.sites.passes')}
          </Button>
          <Button icon={<PrinterOutlined aria-hidden />} onClick={() => void navigate(`/access/passes/print?site=${encodeURIComponent(s.code)}`)}>
            {t('accessRegistry.sites.printCards')}
          </Button>
          {can('access.write') ? (
            <Button icon={<EditOutlined aria-hidden />} onClick={() => setEditing(true)}>
              {t('common.edit')}
            </Button>
          ) : null}
        </Flex>
      </Flex>
      <Card size="small">
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 4 }}>
          <Descriptions.Item label={t('accessRegistry.site.code')}>{s.code}</Descriptions.Item>
          <Descriptions.Item label={t('accessRegistry.site.unit')}>{s.unitName ?? s.unit ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('accessRegistry.settings.temperatureMode')}>{t(`accessRegistry.temperatureModes.${s.temperatureMode}`)}</Descriptions.Item>
          <Descriptions.Item label={t('accessRegistry.settings.feverThreshold')}>{`${s.feverThresholdC.toFixed(1)} ℃`}</Descriptions.Item>
          <Descriptions.Item label={t('accessRegistry.settings.quota')}>{quota}</Descriptions.Item>
          <Descriptions.Item label={t('accessRegistry.site.capacity')}>{s.capacity ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('accessRegistry.site.people')}>{s.counts.people}</Descriptions.Item>
          <Descriptions.Item label={t('accessRegistry.site.households')}>{s.counts.households}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card size="small">
        <Tabs
          activeKey={tab}
          onChange={setTab}
          destroyOnHidden
          items={[
            { key: 'checkpoints', label: t('accessRegistry.siteTabs.checkpoints', { count: s.counts.checkpoints }), children: <RegistryCheckpoints site={s.code} /> },
            { key: 'gridCells', label: t('accessRegistry.siteTabs.gridCells', { count: s.counts.gridCells }), children: <RegistryGridCells site={s.code} /> },
            { key: 'buildings', label: t('accessRegistry.siteTabs.buildings', { count: s.counts.buildings }), children: <RegistryBuildings site={s.code} /> },
            {
              key: 'households',
              label: t('accessRegistry.siteTabs.households', { count: s.counts.households }),
              children: <RegistryHouseholds site={s.code} building={params.get('building') ?? undefined} onBuilding={(b) => set('building', b)} />,
            },
            { key: 'settings', label: t('accessRegistry.siteTabs.settings'), children: <RegistrySiteSettings key={s.version} site={s} /> },
          ]}
        />
      </Card>
      {editing ? <RegistrySiteForm site={s} onClose={() => setEditing(false)} onSaved={() => setEditing(false)} /> : null}
    </Flex>
  );
}
