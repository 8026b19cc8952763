import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../app/api-client';
import { errorMessage } from '../../../app/errors';
import { hasMessage } from '../../../app/i18n';
import type { Messages } from '../../../i18n/zh-CN';

type BenchmarkErrorCode = keyof Messages['benchmarks']['errors'];

function isBenchmarkErrorCode(code: string): code is BenchmarkErrorCode {
  return hasMessage(`benchmarks.errors.${code}`);
}

/** Like `useErrorMessage`, with the codes of benchmarks and selections translated too. */
export function useBenchmarkErrorMessage(): (error: unknown) => string {
  const { t } = useTranslation();
  return (error) => (error instanceof ApiError && isBenchmarkErrorCode(error.code) ? t(`benchmarks.errors.${error.code}`) : errorMessage(error, t));
}

/**
 * A failed save, said plainly; below it the server's own words when they add something (which
 * indicators are unknown, which field is wrong, which peer classes differ).
 */
export function ErrorAlert({ error }: { error: unknown }) {
  const describeError = useBenchmarkErrorMessage();
  const title = describeError(error);
  const serverText = error instanceof ApiError && error.status < 500 && error.message && error.message !== title ? error.message : undefined;
  return <Alert type="error" showIcon title={title} description={serverText} role="alert" style={{ marginTop: 8 }} />;
}
