import { healthCareEn } from './health-care-en';
import { healthCasesEn } from './health-cases-en';
import { healthSupportEn } from './health-support-en';
import type { HealthMessages } from './health-zh-CN';

/** The health pages' English texts, one chunk loaded with those pages only (app/i18n.ts). */
export const healthEnUS: HealthMessages = {
  healthCare: healthCareEn,
  healthCases: healthCasesEn,
  healthSupport: healthSupportEn,
};
