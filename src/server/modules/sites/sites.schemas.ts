import { z } from 'zod';
import { unitCode } from '../measurements/measurements.schemas';
import { hhmmPattern } from './opening-hours';

export const SITE_KINDS = ['community', 'plant'] as const;
export type SiteKind = (typeof SITE_KINDS)[number];
export const ACCESS_LEVELS = ['open', 'restricted', 'closed'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];
export const TEMPERATURE_MODES = ['off', 'optional', 'required'] as const;
export type TemperatureMode = (typeof TEMPERATURE_MODES)[number];
export const ID_MASK_STYLES = ['1+2', '6+4'] as const;

/** Codes of sites and checkpoints (the database checks the same pattern). */
export const siteCode = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/, 'code: 1–40 letters, digits, _ . -, starting with a letter or digit');
export const checkpointCode = siteCode;
/** Codes of grid cells and buildings within a site. */
export const partCode = siteCode;
/** 户号 within a site, e.g. 3-2-401 or 3栋2单元401. */
export const householdCode = z.string().trim().regex(/^[\p{L}\p{N}][\p{L}\p{N}_.#-]{0,39}$/u, 'household number: 1–40 letters, digits, _ . # -');
/** People are referred to by their code. */
export const personCode = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'person code');

export const hhmm = z.string().regex(hhmmPattern, 'a local time HH:MM, 00:00–23:59');
export const openingWindow = z.strictObject({ from: hhmm, to: hhmm }).refine((w) => w.from !== w.to, { message: 'from and to must differ (a window may run past midnight, e.g. 22:00–06:00)', path: ['to'] });
/** Null = always open; a list of 1–8 windows otherwise. */
export const openingHours = z.array(openingWindow).min(1, 'at least one window, or null for always open').max(8);

const oneDecimal = (n: number) => Math.abs(Math.round(n * 10) - n * 10) < 1e-9;
export const householdQuota = z.strictObject({ days: z.number().int().min(1).max(30), count: z.number().int().min(1).max(20) });

const siteFields = {
  nameZh: z.string().trim().min(1).max(100),
  nameEn: z.string().trim().max(200).nullable(),
  kind: z.enum(SITE_KINDS),
  accessLevel: z.enum(ACCESS_LEVELS),
  /** The owning unit (data scope); null only for users who see every unit. */
  unit: unitCode.nullable(),
  temperatureMode: z.enum(TEMPERATURE_MODES),
  feverThresholdC: z.number().min(35).max(42).refine(oneDecimal, 'at most one decimal'),
  /** While restricted: at most `count` members of a household out in `days` days; null = no rule. */
  householdQuota: householdQuota.nullable(),
  capacity: z.number().int().min(1).max(1_000_000).nullable(),
};
export const createSiteBody = z.strictObject({
  code: siteCode,
  nameZh: siteFields.nameZh,
  nameEn: siteFields.nameEn.default(null),
  kind: siteFields.kind,
  accessLevel: siteFields.accessLevel.default('open'),
  unit: siteFields.unit.default(null),
  temperatureMode: siteFields.temperatureMode.default('optional'),
  feverThresholdC: siteFields.feverThresholdC.default(37.3),
  householdQuota: siteFields.householdQuota.default(null),
  capacity: siteFields.capacity.default(null),
});
export type CreateSiteBody = z.infer<typeof createSiteBody>;
export const patchSiteBody = z.strictObject({
  version: z.number().int().min(1),
  nameZh: siteFields.nameZh.optional(),
  nameEn: siteFields.nameEn.optional(),
  kind: siteFields.kind.optional(),
  accessLevel: siteFields.accessLevel.optional(),
  unit: siteFields.unit.optional(),
  temperatureMode: siteFields.temperatureMode.optional(),
  feverThresholdC: siteFields.feverThresholdC.optional(),
  householdQuota: siteFields.householdQuota.optional(),
  capacity: siteFields.capacity.optional(),
});
export type PatchSiteBody = z.infer<typeof patchSiteBody>;

export const siteSchema = z.object({
  id: z.string(),
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string().nullable(),
  kind: z.enum(SITE_KINDS),
  accessLevel: z.enum(ACCESS_LEVELS),
  unit: z.string().nullable(),
  unitName: z.string().nullable(),
  temperatureMode: z.enum(TEMPERATURE_MODES),
  feverThresholdC: z.number(),
  householdQuota: householdQuota.nullable(),
  capacity: z.number().int().nullable(),
  counts: z.object({ gridCells: z.number().int(), buildings: z.number().int(), households: z.number().int(), checkpoints: z.number().int(), people: z.number().int() }),
  version: z.number().int(),
  updatedAt: z.string(),
});
export type Site = z.infer<typeof siteSchema>;
export const siteList = z.object({ rows: z.array(siteSchema) });
export const siteQuery = z.strictObject({ kind: z.enum(SITE_KINDS).optional(), accessLevel: z.enum(ACCESS_LEVELS).optional(), unit: unitCode.optional() });
export const siteParams = z.strictObject({ code: siteCode });

// Grid cells (网格) with their grid worker (网格员).
export const gridCellSchema = z.object({
  id: z.string(),
  site: z.string(),
  code: z.string(),
  name: z.string(),
  worker: z.object({ code: z.string(), name: z.string() }).nullable(),
  buildings: z.number().int(),
  version: z.number().int(),
});
export type GridCell = z.infer<typeof gridCellSchema>;
export const gridCellList = z.object({ rows: z.array(gridCellSchema) });
export const createGridCellBody = z.strictObject({ code: partCode, name: z.string().trim().min(1).max(100), worker: personCode.nullable().default(null) });
export type CreateGridCellBody = z.infer<typeof createGridCellBody>;
export const patchGridCellBody = z.strictObject({ version: z.number().int().min(1), name: z.string().trim().min(1).max(100).optional(), worker: personCode.nullable().optional() });
export type PatchGridCellBody = z.infer<typeof patchGridCellBody>;
export const gridCellParams = z.strictObject({ code: siteCode, cell: partCode });

// Buildings (楼栋), optionally in a grid cell.
export const buildingSchema = z.object({
  id: z.string(),
  site: z.string(),
  code: z.string(),
  name: z.string(),
  gridCell: z.string().nullable(),
  households: z.number().int(),
  version: z.number().int(),
});
export type Building = z.infer<typeof buildingSchema>;
export const buildingList = z.object({ rows: z.array(buildingSchema) });
export const createBuildingBody = z.strictObject({ code: partCode, name: z.string().trim().min(1).max(100), gridCell: partCode.nullable().default(null) });
export type CreateBuildingBody = z.infer<typeof createBuildingBody>;

// Households (户), optionally in a building.
export const householdSchema = z.object({
  id: z.string(),
  site: z.string(),
  code: z.string(),
  building: z.string().nullable(),
  members: z.number().int(),
  version: z.number().int(),
});
export type Household = z.infer<typeof householdSchema>;
export const householdList = z.object({ rows: z.array(householdSchema) });
export const householdQuery = z.strictObject({ building: partCode.optional() });
export const createHouseholdBody = z.strictObject({ code: householdCode, building: partCode.nullable().default(null) });
export type CreateHouseholdBody = z.infer<typeof createHouseholdBody>;

// Checkpoints (卡口).
const checkpointFields = {
  nameZh: z.string().trim().min(1).max(100),
  nameEn: z.string().trim().max(200).nullable(),
  site: siteCode,
  /** Local (Asia/Shanghai) opening windows; null = always open. */
  openingHours: openingHours.nullable(),
  /** Whether vehicles pass here. */
  vehicles: z.boolean(),
};
export const createCheckpointBody = z.strictObject({
  code: checkpointCode,
  nameZh: checkpointFields.nameZh,
  nameEn: checkpointFields.nameEn.default(null),
  site: checkpointFields.site,
  openingHours: checkpointFields.openingHours.default(null),
  vehicles: checkpointFields.vehicles.default(true),
});
export type CreateCheckpointBody = z.infer<typeof createCheckpointBody>;
export const patchCheckpointBody = z.strictObject({
  version: z.number().int().min(1),
  nameZh: checkpointFields.nameZh.optional(),
  nameEn: checkpointFields.nameEn.optional(),
  site: checkpointFields.site.optional(),
  openingHours: checkpointFields.openingHours.optional(),
  vehicles: checkpointFields.vehicles.optional(),
});
export type PatchCheckpointBody = z.infer<typeof patchCheckpointBody>;
export const checkpointSchema = z.object({
  id: z.string(),
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string().nullable(),
  site: z.string(),
  siteName: z.string(),
  openingHours: z.array(z.object({ from: z.string(), to: z.string() })).nullable(),
  vehicles: z.boolean(),
  /** Devices bound to it and not revoked. */
  devices: z.number().int(),
  version: z.number().int(),
  updatedAt: z.string(),
});
export type Checkpoint = z.infer<typeof checkpointSchema>;
export const checkpointList = z.object({ rows: z.array(checkpointSchema) });
export const checkpointQuery = z.strictObject({ site: siteCode.optional() });
export const checkpointParams = z.strictObject({ code: checkpointCode });

// Access-control settings.
export const accessSettings = z.object({
  /** How ID numbers are masked everywhere: first 1 + last 2 characters, or first 6 + last 4. */
  idMask: z.enum(ID_MASK_STYLES),
});
export type AccessSettings = z.infer<typeof accessSettings>;
export const putAccessSettingsBody = z.strictObject({ idMask: z.enum(ID_MASK_STYLES) });
