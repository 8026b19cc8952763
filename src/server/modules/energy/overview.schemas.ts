import { z } from 'zod';
import { isoDate } from '../../schemas';
import { unitCode } from '../measurements/measurements.schemas';
import { CARRIERS } from './energy.schemas';

/** The energy dashboard: the units in scope (optionally one unit and the units below it) over a range of days. */
export const overviewQuery = z.strictObject({ unit: unitCode.optional(), from: isoDate, to: isoDate });
export type OverviewQuery = z.infer<typeof overviewQuery>;

const carrier = z.enum(CARRIERS);
/** Quantities in a common unit of measure per carrier: MWh/GWh as kWh, m3 as m³. */
export const overviewResult = z.object({
  from: z.string(),
  to: z.string(),
  /** Per unit and carrier: the sum of the roots of the unit's own meter tree (as /api/energy/units/:code/consumption counts). */
  units: z.array(
    z.object({
      unit: z.string(),
      unitName: z.string(),
      unitNameEn: z.string(),
      /** The parent unit's code (null at the top). */
      parent: z.string().nullable(),
      carrier,
      uom: z.string(),
      consumption: z.number(),
      /** Days with a suspect (not confirmed) row among the counted meters. */
      suspectDays: z.number().int(),
      meters: z.array(z.string()),
    }),
  ),
  /** Per carrier: the sum over the top units (no unit above them in the list has meters of that carrier); transfers between sites are counted at each. */
  carriers: z.array(z.object({ carrier, uom: z.string(), consumption: z.number(), units: z.array(z.string()) })),
  /** Energy passed down the meter tree from one unit to another (a parent meter of `source` feeding a meter of `target`): the child meters' consumption. */
  flows: z.array(z.object({ carrier, uom: z.string(), source: z.string(), target: z.string(), value: z.number(), meters: z.array(z.string()) })),
});
export type Overview = z.infer<typeof overviewResult>;
