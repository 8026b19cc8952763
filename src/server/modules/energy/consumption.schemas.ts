import { z } from 'zod';
import { isoDate } from '../../schemas';
import { unitCode } from '../measurements/measurements.schemas';
import { CARRIERS, meterCode } from './energy.schemas';

const range = { from: isoDate, to: isoDate };
export const consumptionQuery = z.strictObject({ meter: meterCode, ...range, interval: z.enum(['hour', 'day', 'month']).default('day') });
/** `start`: the bucket's first instant, ISO-8601 in Asia/Shanghai; `quality`: 0–100 (hour: the day's score; month: the worst day's). */
export const consumptionRow = z.object({ start: z.string(), consumption: z.number().nullable(), quality: z.number().nullable() });
export const consumptionResult = z.object({
  meter: z.string(),
  /** The unit of measure of the consumption (kWh, m³, …). */
  unit: z.string(),
  carrier: z.enum(CARRIERS),
  interval: z.enum(['hour', 'day', 'month']),
  rows: z.array(consumptionRow),
});
export const unitConsumptionParams = z.strictObject({ code: unitCode });
export const unitConsumptionQuery = z.strictObject({ carrier: z.enum(CARRIERS), ...range, interval: z.enum(['day', 'month']).default('day') });
export const unitConsumptionResult = z.object({
  unit: z.string(),
  carrier: z.enum(CARRIERS),
  uom: z.string().nullable(),
  /** The meters that were summed (see README: the roots of the unit's tree; virtual roots first). */
  meters: z.array(z.string()),
  interval: z.enum(['day', 'month']),
  rows: z.array(consumptionRow),
});

export const qualityQuery = z.strictObject({ unit: unitCode, ...range });
export const qualityResult = z.object({
  unit: z.string(),
  days: z.array(z.string()),
  meters: z.array(
    z.object({
      meter: z.string(),
      carrier: z.enum(CARRIERS),
      kind: z.enum(['counter', 'interval', 'virtual']),
      days: z.array(
        z.object({
          day: z.string(),
          score: z.number().nullable(),
          suspect: z.boolean(),
          confirmed: z.boolean(),
          consumption: z.number().nullable(),
          expected: z.number().int(),
          received: z.number().int(),
          findings: z.array(z.object({ code: z.string(), facts: z.record(z.string(), z.unknown()) })),
        }),
      ),
    }),
  ),
});
export const confirmParams = z.strictObject({ meter: meterCode, day: isoDate });
export const confirmBody = z.strictObject({ reason: z.string().trim().min(1).max(1000) });
export const confirmResult = z.object({ meter: z.string(), day: z.string(), suspect: z.boolean(), confirmed: z.boolean(), confirmedBy: z.string(), confirmedAt: z.string(), reason: z.string() });

export const productionBody = z.strictObject({
  unit: unitCode,
  day: isoDate,
  product: z.string().trim().min(1).max(40),
  quantity: z.number().min(0).max(1e12),
  uom: z.string().trim().min(1).max(20).default('t'),
});
export const productionRow = z.object({ unit: z.string(), day: z.string(), product: z.string(), quantity: z.number(), uom: z.string(), source: z.string() });
export const productionQuery = z.strictObject({ unit: unitCode, ...range });
export const productionList = z.object({ unit: z.string(), rows: z.array(productionRow) });

export const feedBody = z.strictObject({ indicator: z.string().trim().min(1).max(64), unit: unitCode, meter: meterCode });
export const feedRow = z.object({ indicator: z.string(), indicatorName: z.string(), unit: z.string(), meter: z.string(), uom: z.string(), createdAt: z.string() });
export const feedList = z.object({ rows: z.array(feedRow) });
export const queueStatus = z.object({ pendingDays: z.number().int() });
