import dayjs from 'dayjs';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { Messages } from '../i18n/zh-CN';
import { ApiError } from './api-client';
import { hasMessage } from './i18n';

type KnownErrorCode = keyof Messages['errors'];

function isKnownErrorCode(code: string): code is KnownErrorCode {
  return hasMessage(`errors.${code}`);
}

function detailsRecord(details: unknown): Record<string, unknown> {
  return typeof details === 'object' && details !== null ? (details as Record<string, unknown>) : {};
}

/** The lock's end as the user's clock shows it: the time of day, with the date when it is not today. */
function formatLockedUntil(iso: unknown): string | null {
  if (typeof iso !== 'string') return null;
  const until = dayjs(iso);
  if (!until.isValid()) return null;
  return until.isSame(dayjs(), 'day') ? until.format('HH:mm') : until.format('YYYY-MM-DD HH:mm');
}

/** A sentence for the user about an error: translated by its code, else the server's own message. */
export function errorMessage(error: unknown, t: TFunction): string {
  if (!(error instanceof ApiError)) {
    return error instanceof Error && error.message ? error.message : t('errors.UNKNOWN');
  }
  switch (error.code) {
    case 'ACCOUNT_LOCKED': {
      const time = formatLockedUntil(detailsRecord(error.details).lockedUntil);
      return time ? t('errors.ACCOUNT_LOCKED', { time }) : t('errors.ACCOUNT_LOCKED_LATER');
    }
    case 'UNEXPECTED_RESPONSE':
      return t('errors.UNEXPECTED_RESPONSE', { message: error.message });
    default:
      if (isKnownErrorCode(error.code)) return t(`errors.${error.code}`);
      return error.message || t('errors.UNKNOWN');
  }
}

export function useErrorMessage(): (error: unknown) => string {
  const { t } = useTranslation();
  return (error) => errorMessage(error, t);
}

export function hasErrorCode(error: unknown, code: string): error is ApiError {
  return error instanceof ApiError && error.code === code;
}

/** The `details.violations` codes of a PASSWORD_POLICY error. */
export function passwordViolations(error: unknown): string[] {
  if (!hasErrorCode(error, 'PASSWORD_POLICY')) return [];
  const violations = detailsRecord(error.details).violations;
  return Array.isArray(violations) ? violations.filter((v): v is string => typeof v === 'string') : [];
}
