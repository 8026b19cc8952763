import { ArrowLeftOutlined, PrinterOutlined } from '@ant-design/icons';
import { Button, Empty, Flex, Pagination, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { LoadError, PageSpin } from '../../app/status-pages';
import { useSetSearchParam } from '../../app/use-search-param';
import { useSiteName, useWindowsText } from './registry-parts';
import { passQrUrl, usePasses, usePassesByIds, useSite, type Pass } from './registry-queries';
import './registry-cards.css';

// The cards print on A4 portrait (a later @page rule wins over the app's landscape).
const pageRule = '@media print { @page { size: A4 portrait; margin: 10mm; } }';
const perSheet = 8;
/** Cards per batch of the site's list (25 sheets). */
const batch = 200;

/**
 * 通行证打印: an A4 sheet of pass cards (8 a page: masked name, sites, validity, number, QR). From a
 * site's active passes (`?site=<code>`, in batches of 200) or from chosen passes (`?ids=a,b,…`).
 */
export function PassCardsPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const set = useSetSearchParam();
  const site = params.get('site') ?? undefined;
  const ids = useMemo(
    () =>
      (params.get('ids') ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    [params],
  );
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  const bySite = usePasses({ site, status: 'active', page, pageSize: batch }, ids.length === 0 && Boolean(site));
  const byIds = usePassesByIds(ids);
  const siteInfo = useSite(site);
  const siteName = useSiteName();
  const query = ids.length > 0 ? byIds : bySite;
  const passes: Pass[] = (ids.length > 0 ? byIds.data : bySite.data?.rows) ?? [];
  const sheets: Pass[][] = [];
  for (let i = 0; i < passes.length; i += perSheet) sheets.push(passes.slice(i, i + perSheet));
  const heading = siteInfo.data ? t('accessRegistry.cards.titleSite', { site: siteName(siteInfo.data) }) : t('accessRegistry.cards.title');

  if (!site && ids.length === 0) {
    return <Empty description={t('accessRegistry.cards.nothing')} />;
  }

  return (
    <Flex vertical gap={16} className="registry-cards">
      <style>{pageRule}</style>
      <Flex justify="space-between" align="center" wrap gap={8} className="no-print">
        <Flex align="center" gap={8}>
          <Link to={site ? `/access/passes?site=${encodeURIComponent(site)}` : '/access/passes'} aria-label={t('accessRegistry.cards.back')}>
            <ArrowLeftOutlined aria-hidden />
          </Link>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {heading}
          </Typography.Title>
        </Flex>
        <Flex align="center" gap={8} wrap>
          <Typography.Text type="secondary">{t('accessRegistry.cards.count', { count: passes.length, sheets: sheets.length })}</Typography.Text>
          <Button type="primary" icon={<PrinterOutlined aria-hidden />} disabled={passes.length === 0} onClick={() => window.print()}>
            {t('accessRegistry.cards.print')}
          </Button>
        </Flex>
      </Flex>
      {query.isPending ? (
        <PageSpin />
      ) : query.isError ? (
        <LoadError error={query.error} onRetry={() => void query.refetch()} />
      ) : passes.length === 0 ? (
        <Empty description={t('accessRegistry.cards.none')} />
      ) : (
        <>
          {sheets.map((sheet, i) => (
            <div className="registry-card-sheet" key={i}>
              {sheet.map((p) => (
                <PassCard key={p.id} pass={p} />
              ))}
            </div>
          ))}
          {ids.length === 0 && (bySite.data?.total ?? 0) > batch ? (
            <Flex justify="center" className="no-print">
              <Pagination current={page} pageSize={batch} total={bySite.data?.total ?? 0} showSizeChanger={false} onChange={(p) => set('page', p > 1 ? String(p) : null)} />
            </Flex>
          ) : null}
        </>
      )}
    </Flex>
  );
}

function PassCard({ pass }: { pass: Pass }) {
  const { t } = useTranslation();
  const siteName = useSiteName();
  const windowsText = useWindowsText();
  return (
    <div className="registry-card" data-testid="pass-card">
      <div className="registry-card-head">
        <span className="registry-card-title">{t('accessRegistry.cards.cardTitle')}</span>
        <span className="registry-card-number">No. {pass.number}</span>
      </div>
      <div className="registry-card-body">
        <span className="registry-card-name">{pass.personName}</span>
        <span>
          <span className="registry-card-label">{t('accessRegistry.cards.sites')}</span>
          {pass.sites.map((s) => siteName(s)).join('、')}
        </span>
        <span>
          <span className="registry-card-label">{t('accessRegistry.cards.validity')}</span>
          {`${pass.validFrom} – ${pass.validTo}`}
        </span>
        {pass.windows ? (
          <span>
            <span className="registry-card-label">{t('accessRegistry.cards.windows')}</span>
            {windowsText(pass.windows)}
          </span>
        ) : null}
        {pass.essential ? <span className="registry-card-essential">{t('accessRegistry.passes.essentialTag')}</span> : null}
      </div>
      <img className="registry-card-qr" src={passQrUrl(pass.id)} alt={t('accessRegistry.passes.qrFor', { number: pass.number })} />
      <div className="registry-card-foot">{t('accessRegistry.cards.foot')}</div>
    </div>
  );
}
