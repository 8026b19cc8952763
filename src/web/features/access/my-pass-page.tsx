import { Card, Empty, Flex, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { LoadError, PageSpin } from '../../app/status-pages';
import { PassStatusTag, todayIso, useSiteName, useWindowsText } from './registry-parts';
import { passQrUrl, useMyPasses, type Pass } from './registry-queries';
import './registry-cards.css';

/** Usable now: active and within its validity dates. */
const usable = (p: Pass, today: string) => p.status === 'active' && p.validFrom <= today && p.validTo >= today;

/**
 * 我的通行证: the phone view of one's own passes (the person linked to the account): a big QR code
 * to show at the gate, the masked name, sites, validity and status.
 */
export function MyPassPage() {
  const { t } = useTranslation();
  const mine = useMyPasses();
  const today = todayIso();
  if (mine.isPending) return <PageSpin />;
  if (mine.isError) return <LoadError error={mine.error} onRetry={() => void mine.refetch()} />;
  const { person, rows } = mine.data;
  // Usable passes first, newest first within each group (the API sends newest first).
  const sorted = [...rows].sort((a, b) => Number(usable(b, today)) - Number(usable(a, today)));

  return (
    <Flex vertical gap={16} className="registry-my-pass">
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('accessRegistry.myPass.title')}
      </Typography.Title>
      {!person ? (
        <Empty description={t('accessRegistry.myPass.noPerson')} />
      ) : sorted.length === 0 ? (
        <Empty description={t('accessRegistry.myPass.none')} />
      ) : (
        sorted.map((p) => <MyPassCard key={p.id} pass={p} usable={usable(p, today)} />)
      )}
    </Flex>
  );
}

function MyPassCard({ pass, usable: ok }: { pass: Pass; usable: boolean }) {
  const { t } = useTranslation();
  const siteName = useSiteName();
  const windowsText = useWindowsText();
  return (
    <Card size="small" data-testid="my-pass">
      <Flex vertical gap={8} align="stretch">
        <Flex justify="space-between" align="center">
          <Typography.Text strong>{t('accessRegistry.myPass.number', { number: pass.number })}</Typography.Text>
          <PassStatusTag pass={pass} />
        </Flex>
        {ok ? (
          <img className="registry-my-pass-qr" src={passQrUrl(pass.id)} alt={t('accessRegistry.passes.qrFor', { number: pass.number })} />
        ) : (
          <Typography.Text type="warning">{pass.statusReason ? t('accessRegistry.myPass.notUsableReason', { reason: pass.statusReason }) : t('accessRegistry.myPass.notUsable')}</Typography.Text>
        )}
        <div className="registry-my-pass-name">{pass.personName}</div>
        <Flex wrap gap={4} justify="center">
          {pass.sites.map((s) => (
            <Tag key={s.code} color="blue">
              {siteName(s)}
            </Tag>
          ))}
        </Flex>
        <Typography.Text style={{ textAlign: 'center' }}>{t('accessRegistry.myPass.validity', { from: pass.validFrom, to: pass.validTo })}</Typography.Text>
        {pass.windows ? <Typography.Text type="secondary" style={{ textAlign: 'center' }}>{windowsText(pass.windows)}</Typography.Text> : null}
        {ok ? <Typography.Text type="secondary" style={{ textAlign: 'center' }}>{t('accessRegistry.myPass.hint')}</Typography.Text> : null}
      </Flex>
    </Card>
  );
}
