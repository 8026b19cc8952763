import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useHealth } from './queries';

/** "Pacesetter · version x.y.z" for footers; nothing while the server has not answered. */
export function VersionNote() {
  const { t } = useTranslation();
  const { data } = useHealth();
  return (
    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
      Pacesetter{data ? ` · ${t('app.version', { version: data.version })}` : ''}
    </Typography.Text>
  );
}
