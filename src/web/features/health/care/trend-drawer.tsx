import { Card, Drawer, Empty, Flex, Grid } from 'antd';
import { useTranslation } from 'react-i18next';
import { LoadError } from '../../../app/status-pages';
import { MatchedRules, StatusPanel, useLang } from './care-parts';
import { usePersonStatus, usePersonTrend, type DeclarationRow } from './care-queries';
import { TemperatureTrend } from './care-trend';

/** A person's last 30 days of temperatures and their status explained. */
export function TrendDrawer({ row, onClose }: { row: DeclarationRow | null; onClose: () => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const screens = Grid.useBreakpoint();
  const trend = usePersonTrend(row?.code);
  const status = usePersonStatus(row?.code);
  return (
    <Drawer open={row !== null} onClose={onClose} title={row ? t('healthCare.declarations.trendOf', { name: row.name }) : ''} size={screens.md ? 560 : '100%'} destroyOnHidden>
      <Flex vertical gap={16}>
        {status.data ? <StatusPanel colour={status.data.status} explanation={status.data.explanation[lang]} /> : null}
        {trend.isError ? (
          <LoadError error={trend.error} onRetry={() => void trend.refetch()} />
        ) : trend.data ? (
          trend.data.rows.length === 0 ? (
            <Empty description={t('healthCare.card.trendEmpty')} />
          ) : (
            <TemperatureTrend rows={trend.data.rows} from={trend.data.from} to={trend.data.to} threshold={trend.data.feverThresholdC} />
          )
        ) : (
          <Card loading size="small" />
        )}
        {status.data ? <MatchedRules matched={status.data.matched} rules={[{ code: status.data.rule, nameZh: status.data.ruleName.zh, nameEn: status.data.ruleName.en }]} /> : null}
      </Flex>
    </Drawer>
  );
}
