import { useTranslation } from 'react-i18next';
import { hasMessage } from '../../../app/i18n';
import type { Messages } from '../../../i18n/zh-CN';

type ViolationCode = keyof Messages['passwordPolicy']['violations'];

function isViolationCode(code: string): code is ViolationCode {
  return hasMessage(`passwordPolicy.violations.${code}`);
}

/** The password-policy rules a password broke, as the server listed them (details.violations). */
export function PasswordViolations({ codes }: { codes: readonly string[] }) {
  const { t } = useTranslation();
  return (
    <ul style={{ margin: 0, paddingInlineStart: 20 }}>
      {codes.map((code) => (
        <li key={code}>{isViolationCode(code) ? t(`passwordPolicy.violations.${code}`) : code}</li>
      ))}
    </ul>
  );
}
