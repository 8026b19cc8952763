import { z } from 'zod';

/** Who a person is to the sites (issue 6): staff, people living there, their family, outsiders. */
export const personCategories = ['employee', 'resident', 'family', 'contractor', 'visitor'] as const;
export type PersonCategory = (typeof personCategories)[number];
export const idTypes = ['resident-id', 'passport', 'hk-macao-permit', 'taiwan-permit', 'foreigner-permit', 'other'] as const;
export type IdType = (typeof idTypes)[number];
export const sexes = ['male', 'female'] as const;
/** The personal fields that can be shown unmasked (with a reason). */
export const unmaskFields = ['idNumber', 'phone'] as const;

export const personCode = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'person code: 1–32 letters, digits, _ -');
export const siteCode = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/, 'site code: 1–40 letters, digits, _ . -');
/** A household number (户号) within its site, e.g. 3-2-401. */
export const householdCode = z.string().trim().regex(/^[\p{L}\p{N}][\p{L}\p{N}_.#-]{0,39}$/u, 'household number: 1–40 letters, digits, _ . # -');
/** A photo as base64 (optionally a data: URL), JPEG or PNG of at most 200 KB once decoded. */
const photo = z.string().max(280_000).describe('base64 JPEG or PNG (a data: URL is accepted), at most 200 KB decoded');

export const personSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  unitId: z.string().nullable(),
  /** The unit's code. */
  unit: z.string().nullable(),
  userId: z.string().nullable(),
  cadre: z.boolean(),
  category: z.enum(personCategories),
  sex: z.enum(sexes).nullable(),
  idType: z.enum(idTypes).nullable(),
  idNumber: z.string().nullable().describe('masked (settings access.idMask: 1+2 by default, or 6+4); POST /api/people/{id}/unmask shows it in full'),
  phone: z.string().nullable().describe('masked 3+4'),
  site: z.string().nullable(),
  household: z.string().nullable(),
  proxyPerson: z.string().nullable().describe('the code of the person who registered this one on their behalf'),
  hasPhoto: z.boolean(),
  version: z.number().int(),
});
export type Person = z.infer<typeof personSchema>;
export const personList = z.object({ items: z.array(personSchema), total: z.number().int() });
export type PersonList = z.infer<typeof personList>;

export const personParams = z.strictObject({ id: z.uuid() });

/** Filters of the people list; without page/pageSize every match comes back (the benchmarking pages' pickers). */
export const personQuery = z.strictObject({
  q: z.string().trim().min(1).max(100).optional().describe('prefix of the name or the code'),
  idNumber: z.string().trim().min(1).max(40).optional().describe('exact ID number (found by its blind index)'),
  phone: z.string().trim().min(1).max(30).optional().describe('exact phone number (found by its blind index)'),
  site: siteCode.optional(),
  household: householdCode.optional(),
  category: z.enum(personCategories).optional(),
  page: z.coerce.number().int().min(1).max(100_000).optional(),
  pageSize: z.coerce.number().int().min(1).max(500).optional(),
});
export type PersonQuery = z.infer<typeof personQuery>;
export const personExportQuery = personQuery.pick({ q: true, site: true, household: true, category: true });

const registryFields = {
  category: z.enum(personCategories).optional(),
  sex: z.enum(sexes).nullable().optional(),
  idType: z.enum(idTypes).nullable().optional().describe('default resident-id when an ID number is given'),
  idNumber: z.string().trim().min(1).max(40).nullable().optional().describe('plain; a resident ID is checked (length, birth date, check character)'),
  phone: z.string().trim().min(1).max(30).nullable().optional(),
  site: siteCode.nullable().optional(),
  household: householdCode.nullable().optional().describe('the household number within the site; created when new'),
  proxyPerson: personCode.nullable().optional(),
  photo: photo.nullable().optional(),
};

export const createPersonBody = z.strictObject({
  code: personCode,
  name: z.string().trim().min(1).max(100),
  unitId: z.uuid().nullable().optional(),
  userId: z.uuid().nullable().optional(),
  cadre: z.boolean().optional(),
  ...registryFields,
});
export type CreatePersonBody = z.infer<typeof createPersonBody>;
export const updatePersonBody = z.strictObject({
  version: z.number().int().min(1),
  name: z.string().trim().min(1).max(100).optional(),
  unitId: z.uuid().nullable().optional(),
  userId: z.uuid().nullable().optional(),
  cadre: z.boolean().optional(),
  ...registryFields,
});
export type UpdatePersonBody = z.infer<typeof updatePersonBody>;

export const unmaskBody = z.strictObject({
  field: z.enum(unmaskFields),
  reason: z.string().max(500).default('').describe('why the full value is needed (at least 4 characters); written to the audit log'),
});
export const unmaskResult = z.object({ value: z.string() });
