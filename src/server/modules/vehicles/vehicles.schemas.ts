import { z } from 'zod';
import { isoDate } from '../../schemas';
import { personCode, siteCode } from '../access-live/access-scope';

export const VEHICLE_KINDS = ['car', 'truck', 'bus', 'ambulance', 'other'] as const;
export type VehicleKind = (typeof VEHICLE_KINDS)[number];

/** A site the vehicle may enter, until validTo (null = no end). */
const vehicleSite = z.strictObject({ site: siteCode, validTo: isoDate.nullable().default(null) });
const vehicleSites = z
  .array(vehicleSite)
  .min(1, 'at least one site')
  .max(50)
  .refine((s) => new Set(s.map((x) => x.site)).size === s.length, 'each site once');

export const createVehicleBody = z.strictObject({
  /** Normalised to upper case without spaces; a Chinese plate (e.g. 晋A12345, 晋AD12345). */
  plate: z.string().trim().min(1).max(20),
  owner: personCode.nullable().default(null),
  kind: z.enum(VEHICLE_KINDS).default('car'),
  note: z.string().trim().max(500).default(''),
  sites: vehicleSites,
});
export type CreateVehicleBody = z.infer<typeof createVehicleBody>;

export const patchVehicleBody = z.strictObject({
  version: z.number().int().min(1),
  owner: personCode.nullable().optional(),
  kind: z.enum(VEHICLE_KINDS).optional(),
  note: z.string().trim().max(500).optional(),
  /** Replaces the vehicle's sites within your scope (sites outside it stay as they are). */
  sites: vehicleSites.optional(),
});
export type PatchVehicleBody = z.infer<typeof patchVehicleBody>;

export const vehicleParams = z.strictObject({ plate: z.string().min(1).max(30) });
export const vehicleQuery = z.strictObject({ site: siteCode.optional() });

export const vehicleSchema = z.object({
  id: z.string(),
  /** Plain for access.write, masked (晋A1***5) for readers. */
  plate: z.string(),
  owner: z.object({ code: z.string(), name: z.string() }).nullable(),
  kind: z.enum(VEHICLE_KINDS),
  note: z.string(),
  /** The sites in your scope the vehicle may enter; `active`: validTo not past. */
  sites: z.array(z.object({ site: z.string(), nameZh: z.string(), validTo: z.string().nullable(), active: z.boolean() })),
  version: z.number().int(),
});
export type Vehicle = z.infer<typeof vehicleSchema>;
export const vehicleList = z.object({ rows: z.array(vehicleSchema) });
