import { useTranslation } from 'react-i18next';
import { useHealth } from './queries';

/** "Pacesetter · version x.y.z" for footers; nothing while the server has not answered. Plain (plain.css): the sign-in page shows it too. */
export function VersionNote() {
  const { t } = useTranslation();
  const { data } = useHealth();
  return <span className="plain-version">Pacesetter{data ? ` · ${t('app.version', { version: data.version })}` : ''}</span>;
}
