import type { Role } from '../../../server/modules/roles/roles.schemas';

/** A role's (or permission's) name in the UI language. */
export function roleName(role: Pick<Role, 'nameZh' | 'nameEn'>, locale: string): string {
  return locale === 'en-US' && role.nameEn ? role.nameEn : role.nameZh;
}
