import { Alert, Tag } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useDemoAccounts } from '../auth/queries';
import { formatNumber } from '../benchmarking/format';
import { useQueue, type Carrier } from './queries';

/** The demo's last whole month with energy data (its readings run to 2020-03-01; the demo clock stands in 2020-03). */
const demoMonth = '2020-02';

export const carrierColors: Record<Carrier, string> = { power: 'gold', water: 'blue', air: 'cyan', gas: 'volcano', steam: 'purple', heat: 'magenta' };
export const carrierHex: Record<Carrier, string> = { power: '#d4b106', water: '#1677ff', air: '#13c2c2', gas: '#fa541c', steam: '#722ed1', heat: '#eb2f96' };

export function CarrierTag({ carrier }: { carrier: Carrier }) {
  const { t } = useTranslation();
  return <Tag color={carrierColors[carrier]}>{t(`energy.carriers.${carrier}`)}</Tag>;
}

/** A consumption: grouped digits, at most two decimals (readings are kept to 0.01). */
export function formatQuantity(value: number | null | undefined, locale: string): string {
  if (value === null || value === undefined) return formatNumber(value, locale);
  return new Intl.NumberFormat(locale, { maximumFractionDigits: Math.abs(value) >= 100 ? 0 : 2 }).format(value);
}

/** A quality score 0–100 as a colour: green good, orange doubtful, red poor, grey none. */
export function qualityColor(score: number | null | undefined): string {
  if (score === null || score === undefined) return '#f0f0f0';
  if (score >= 90) return '#52c41a';
  if (score >= 70) return '#faad14';
  return '#f5222d';
}

/**
 * The default range of the energy pages: the last month with data. In the demo that is February
 * 2020 (its clock stands in March 2020); elsewhere the previous calendar month.
 */
export function useDefaultMonth(): string | undefined {
  const demo = useDemoAccounts();
  if (demo.isPending) return undefined;
  return demo.data?.demo ? demoMonth : dayjs().subtract(1, 'month').format('YYYY-MM');
}

/** An instant as Beijing time 'YYYY-MM-DD HH:mm:ss' (meters read in Asia/Shanghai, whatever the browser's zone). */
export function formatShanghai(iso: string | null | undefined): string {
  if (!iso) return '—';
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** The first and last day of a month 'YYYY-MM'. */
export function monthRange(month: string): { from: string; to: string } {
  const start = dayjs(`${month}-01`);
  return { from: start.format('YYYY-MM-DD'), to: start.endOf('month').format('YYYY-MM-DD') };
}

/** "Recomputing…" while the server still works through days queued by an upload (polls until done). */
export function RecomputingNote() {
  const { t } = useTranslation();
  const queue = useQueue();
  const pending = queue.data?.pendingDays ?? 0;
  if (pending <= 0) return null;
  return <Alert type="info" showIcon title={t('energy.recomputing', { count: pending })} />;
}
