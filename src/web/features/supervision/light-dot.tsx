import { Flex, theme } from 'antd';
import { useTranslation } from 'react-i18next';
import type { SupervisionLight } from './queries';

/** The light of an item: a coloured dot with its name in words (colour is never the only signal). */
export function LightDot({ light }: { light: SupervisionLight }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const colors: Record<SupervisionLight, string> = { green: token.colorSuccess, yellow: token.colorWarning, red: token.colorError, done: token.colorTextQuaternary };
  return (
    <Flex align="center" gap={6} data-light={light}>
      <span aria-hidden style={{ display: 'inline-block', width: 12, height: 12, borderRadius: '50%', background: colors[light], flex: 'none', border: light === 'done' ? `1px solid ${token.colorBorder}` : undefined }} />
      <span>{t(`supervision.lights.${light}`)}</span>
    </Flex>
  );
}

/** Days left as words: "3 days left", "due today", "2 days overdue"; nothing once finished. */
export function useDaysLeftText(): (daysLeft: number, light: SupervisionLight) => string {
  const { t } = useTranslation();
  return (daysLeft, light) => {
    if (light === 'done') return '—';
    if (daysLeft > 0) return t('supervision.daysLeft', { days: daysLeft });
    if (daysLeft === 0) return t('supervision.dueToday');
    return t('supervision.overdue', { days: -daysLeft });
  };
}
