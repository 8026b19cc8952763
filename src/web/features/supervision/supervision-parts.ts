import { useTranslation } from 'react-i18next';
import { ApiError } from '../../app/api-client';
import { useErrorMessage } from '../../app/errors';
import type { Messages } from '../../i18n/zh-CN';
import type { SupervisionState } from './queries';

export const stateColors: Record<SupervisionState, string> = { assigned: 'blue', accepted: 'cyan', acting: 'processing', reported: 'purple', closed: 'success', cancelled: 'default' };

/** An error in words: the sheet's own codes translated here, the others as everywhere. */
export function useSupervisionError(): (error: unknown) => string {
  const { t, i18n } = useTranslation();
  const general = useErrorMessage();
  return (error) => {
    if (error instanceof ApiError && i18n.exists(`supervision.errors.${error.code}`)) {
      const details = (typeof error.details === 'object' && error.details !== null ? error.details : {}) as { allowed?: string[] };
      const allowed = (details.allowed ?? []).map((a) => t(`supervision.actions.${a}`, { defaultValue: a })).join('、') || t('supervision.none');
      return t(`supervision.errors.${error.code as keyof Messages['supervision']['errors']}`, { allowed });
    }
    return general(error);
  };
}
