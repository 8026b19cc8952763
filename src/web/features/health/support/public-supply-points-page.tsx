import { ClockCircleOutlined, EnvironmentOutlined, PhoneOutlined, ShopOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Flex, Tag, Typography, theme } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../../../app/locale';
import { LoadError, PageSpin } from '../../../app/status-pages';
import { longDate, nameIn, OpeningHours } from './support-parts';
import { usePublicPoints, type PublicPoints } from './support-queries';
import { AntdProviders } from '../../../app/antd-providers';

type PublicSite = PublicPoints['sites'][number];

function PointCard({ point }: { point: PublicSite['points'][number] }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  return (
    <Flex vertical gap={4} style={{ padding: '10px 0', borderTop: `1px solid ${token.colorBorderSecondary}` }} data-testid="public-point">
      <Flex justify="space-between" align="center" gap={8}>
        <Typography.Text strong style={{ fontSize: 16 }}>
          <ShopOutlined aria-hidden /> {point.name}
        </Typography.Text>
        {point.openNow ? <Tag color="green">{t('healthSupport.public.openNow')}</Tag> : <Tag>{t('healthSupport.public.closedNow')}</Tag>}
      </Flex>
      {point.location ? (
        <Typography.Text type="secondary">
          <EnvironmentOutlined aria-hidden /> {point.location}
        </Typography.Text>
      ) : null}
      {point.goods ? (
        <Typography.Text>
          {t('healthSupport.public.goods')}
          {point.goods}
        </Typography.Text>
      ) : null}
      <Flex gap={6} align="flex-start">
        <ClockCircleOutlined aria-hidden style={{ marginTop: 4 }} />
        <OpeningHours windows={point.openingHours} />
      </Flex>
      {point.phone ? (
        <a href={`tel:${point.phone.replace(/[^\d+]/g, '')}`}>
          <PhoneOutlined aria-hidden /> {point.phone}
        </a>
      ) : null}
    </Flex>
  );
}

/** The public page residents open on their phones: each community's supply points, goods, hours and whether they are open now; no sign-in, nothing about anyone. */
export function PublicSupplyPointsPage() {
  return (
    <AntdProviders>
      <PublicSupplyPoints />
    </AntdProviders>
  );
}

function PublicSupplyPoints() {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  const points = usePublicPoints();
  const [site, setSite] = useState<string>('');
  const [openOnly, setOpenOnly] = useState(false);

  useEffect(() => {
    const before = document.title;
    document.title = t('healthSupport.public.title');
    return () => {
      document.title = before;
    };
  }, [t]);

  const data = points.data;
  const shown = (data?.sites ?? [])
    .filter((s) => !site || s.site.code === site)
    .map((s) => ({ ...s, points: openOnly ? s.points.filter((p) => p.openNow) : s.points }))
    .filter((s) => s.points.length > 0 || !openOnly);

  return (
    <Flex vertical align="center" style={{ minHeight: '100vh', background: token.colorBgLayout, padding: '12px 12px 32px' }}>
      <Flex vertical gap={12} style={{ width: '100%', maxWidth: 640 }}>
        <Flex justify="space-between" align="center" gap={8}>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('healthSupport.public.title')}
          </Typography.Title>
          <LanguageSwitch />
        </Flex>
        <Typography.Text type="secondary">{t('healthSupport.public.intro')}</Typography.Text>
        {points.isError ? (
          <LoadError error={points.error} onRetry={() => void points.refetch()} />
        ) : !data ? (
          <PageSpin />
        ) : data.sites.length === 0 ? (
          <Card>
            <Empty description={t('healthSupport.public.empty')} />
          </Card>
        ) : (
          <>
            <Typography.Text data-testid="public-now">
              <ClockCircleOutlined aria-hidden /> {t('healthSupport.public.now', { date: longDate(data.localDate, i18n.language), time: data.localTime, weekday: t(`healthSupport.weekdays.${String(data.weekday) as '1'}`) })}
            </Typography.Text>
            <Flex gap={8} wrap align="center">
              {[{ code: '', label: t('healthSupport.public.all') }, ...data.sites.map((s) => ({ code: s.site.code, label: nameIn(i18n.language, s.site.nameZh, s.site.nameEn) }))].map((c) => (
                <Tag.CheckableTag key={c.code} checked={site === c.code} onChange={() => setSite(c.code)} style={{ fontSize: 14, padding: '2px 10px' }}>
                  {c.label}
                </Tag.CheckableTag>
              ))}
              <Button size="small" type={openOnly ? 'primary' : 'default'} onClick={() => setOpenOnly(!openOnly)} aria-pressed={openOnly}>
                {t('healthSupport.public.openOnly')}
              </Button>
            </Flex>
            {shown.length === 0 ? (
              <Card>
                <Empty description={t('healthSupport.public.noneOpen')} />
              </Card>
            ) : (
              shown.map((s) => (
                <Card
                  key={s.site.code}
                  size="small"
                  data-testid={`public-site-${s.site.code}`}
                  title={nameIn(i18n.language, s.site.nameZh, s.site.nameEn)}
                  extra={<Typography.Text type="secondary">{t('healthSupport.public.openCount', { open: s.points.filter((p) => p.openNow).length, count: s.points.length })}</Typography.Text>}
                  styles={{ body: { paddingTop: 0 } }}
                >
                  {s.points.length === 0 ? <Typography.Text type="secondary">{t('healthSupport.public.noPoints')}</Typography.Text> : s.points.map((p, i) => <PointCard key={`${p.name}-${i}`} point={p} />)}
                </Card>
              ))
            )}
            <Typography.Text type="secondary" style={{ fontSize: 12, textAlign: 'center' }}>
              {t('healthSupport.public.footer')}
            </Typography.Text>
          </>
        )}
      </Flex>
    </Flex>
  );
}
