import { z } from 'zod';
import { siteCode } from '../access-live/access-scope';
import { passWindow } from '../passes/passes.schemas';

const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => text(max).nullable().default(null);

/** Opening hours: ISO weekdays (Monday = 1) and local times HH:MM; a window may run past midnight. */
const openingHours = z.array(passWindow).max(14);

const pointFields = {
  name: text(100),
  location: optionalText(200),
  goods: optionalText(500),
  openingHours,
  phone: optionalText(30),
};

export const createPointBody = z.strictObject({ site: siteCode, ...pointFields });
export type CreatePointBody = z.infer<typeof createPointBody>;
/** Replaces every field but the site. */
export const putPointBody = z.strictObject({ ...pointFields, version: z.number().int().min(1) });
export type PutPointBody = z.infer<typeof putPointBody>;
export const deactivatePointBody = z.strictObject({ version: z.number().int().min(1).optional() });
export const pointParams = z.strictObject({ id: z.uuid() });
export const pointQuery = z.strictObject({ site: siteCode.optional(), active: z.enum(['true', 'false']).optional() });
export const publicPointQuery = z.strictObject({ site: siteCode.optional() });

const window = z.object({ days: z.array(z.number().int()), from: z.string(), to: z.string() });
const site = z.object({ code: z.string(), nameZh: z.string(), nameEn: z.string().nullable() });

export const pointSchema = z.object({
  id: z.string(),
  site,
  name: z.string(),
  location: z.string().nullable(),
  goods: z.string().nullable(),
  openingHours: z.array(window),
  phone: z.string().nullable(),
  active: z.boolean(),
  /** Open at this moment, Asia/Shanghai time (always false when deactivated). */
  openNow: z.boolean(),
  version: z.number().int(),
});
export type SupplyPoint = z.infer<typeof pointSchema>;
export const pointList = z.object({ rows: z.array(pointSchema) });

/** The public page: active points grouped by community, nothing about anyone. */
export const publicPoints = z.object({
  /** Asia/Shanghai local date, time and ISO weekday that `openNow` was computed for. */
  localDate: z.string(),
  localTime: z.string(),
  weekday: z.number().int(),
  sites: z.array(
    z.object({
      site,
      points: z.array(z.object({ name: z.string(), location: z.string().nullable(), goods: z.string().nullable(), openingHours: z.array(window), phone: z.string().nullable(), openNow: z.boolean() })),
    }),
  ),
});
export type PublicPoints = z.infer<typeof publicPoints>;
