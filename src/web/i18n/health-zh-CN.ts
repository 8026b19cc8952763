import { healthCareZh } from './health-care';
import { healthCasesZh } from './health-cases';
import { healthSupportZh } from './health-support';

/** The health pages' Chinese texts, one chunk loaded with those pages only (app/i18n.ts). */
export const healthZhCN = {
  healthCare: healthCareZh,
  healthCases: healthCasesZh,
  healthSupport: healthSupportZh,
};

/** The shape of the health pages' texts in every language. */
export type HealthMessages = typeof healthZhCN;
