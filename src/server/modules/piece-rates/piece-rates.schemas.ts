import { z } from 'zod';
import { isoDate } from '../../schemas';
import { monthPeriod, unitCode } from '../measurements/measurements.schemas';

export const personCode = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'person code');
const label = (max: number) => z.string().trim().min(1).max(max);
/** Decimal text ("12.30", "1234.5"): exact, never a binary float. */
const decimal = (intDigits: number, fracDigits: number, signed = false) =>
  z.string().regex(new RegExp(`^${signed ? '-?' : ''}\\d{1,${intDigits}}(\\.\\d{1,${fracDigits}})?$`), `a decimal${signed ? '' : ' ≥ 0'} as text with at most ${fracDigits} decimals`);

const validity = { validFrom: isoDate, validTo: isoDate.nullable().default(null) };
const versioned = { version: z.number().int().min(1) };

export const rateBody = z.strictObject({ team: unitCode, product: label(100), uom: label(20), rate: decimal(10, 4), ...validity });
export type RateBody = z.infer<typeof rateBody>;
export const putRateBody = z.strictObject({ product: label(100), uom: label(20), rate: decimal(10, 4), ...validity, ...versioned });
export type PutRateBody = z.infer<typeof putRateBody>;
export const rateSchema = z.object({ id: z.string(), team: z.string(), teamName: z.string(), product: z.string(), uom: z.string(), rate: z.string(), validFrom: z.string(), validTo: z.string().nullable(), version: z.number().int() });
export type Rate = z.infer<typeof rateSchema>;
export const rateList = z.object({ items: z.array(rateSchema) });
export const rateQuery = z.strictObject({ team: unitCode.optional() });

export const priceBody = z.strictObject({ product: label(100), grade: label(50), price: decimal(10, 4, true), ...validity });
export type PriceBody = z.infer<typeof priceBody>;
export const putPriceBody = priceBody.extend(versioned);
export type PutPriceBody = z.infer<typeof putPriceBody>;
export const priceSchema = z.object({ id: z.string(), product: z.string(), grade: z.string(), price: z.string(), validFrom: z.string(), validTo: z.string().nullable(), version: z.number().int() });
export type Price = z.infer<typeof priceSchema>;
export const priceList = z.object({ items: z.array(priceSchema) });

export const idParams = z.strictObject({ id: z.uuid() });

/** One output line: created without a version, changed with its version (quantity 0 keeps the line at nothing). */
export const outputBody = z.strictObject({ team: unitCode, period: monthPeriod, product: label(100), grade: label(50), quantity: decimal(12, 4), version: z.number().int().min(1).optional() });
export type OutputBody = z.infer<typeof outputBody>;
export const outputSchema = z.object({ id: z.string(), team: z.string(), period: z.string(), product: z.string(), grade: z.string(), quantity: z.string(), version: z.number().int() });

/** A member's points for the month: created without a version, changed with it. */
export const pointsBody = z.strictObject({ team: unitCode, period: monthPeriod, person: personCode, points: decimal(8, 2), version: z.number().int().min(1).optional() });
export type PointsBody = z.infer<typeof pointsBody>;
/** The person's name only for callers who may read people (person.read); the code always. */
export const pointsSchema = z.object({ id: z.string(), team: z.string(), period: z.string(), person: z.string(), personName: z.string().nullable(), points: z.string(), version: z.number().int() });

export const sheetQuery = z.strictObject({ team: unitCode, period: monthPeriod });
export const sheetSchema = z.object({ team: z.string(), teamName: z.string(), period: z.string(), outputs: z.array(outputSchema), points: z.array(pointsSchema) });

export const earningsSchema = z.object({
  team: z.string(),
  teamName: z.string(),
  period: z.string(),
  /** Rates and prices are those valid on the month's last day. */
  rateDate: z.string(),
  lines: z.array(
    z.object({
      product: z.string(),
      grade: z.string(),
      quantity: z.string(),
      uom: z.string().nullable(),
      rate: z.string().nullable(),
      pieceAmount: z.string(),
      qualityPrice: z.string().nullable(),
      qualityAmount: z.string(),
      amount: z.string(),
      arithmetic: z.string(),
      problem: z.enum(['NO_RATE']).nullable(),
    }),
  ),
  pieceTotal: z.string(),
  qualityTotal: z.string(),
  total: z.string(),
  arithmetic: z.string(),
  totalPoints: z.string(),
  members: z.array(z.object({ person: z.string(), personName: z.string().nullable(), points: z.string(), amount: z.string(), arithmetic: z.string() })),
  allocationProblem: z.enum(['NO_MEMBERS', 'NO_POINTS']).nullable(),
});
export type Earnings = z.infer<typeof earningsSchema>;
export const earningsQuery = sheetQuery;
export const exportQuery = z.strictObject({ period: monthPeriod });
