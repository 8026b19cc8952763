import { z } from 'zod';
import { isoDate } from '../../schemas';
import { checkpointCode } from '../access-live/access-scope';
import { unitCode } from '../measurements/measurements.schemas';
import { decimalText } from './decimal-text';

export const SUPPLY_KINDS = ['mask', 'thermometer', 'disinfectant', 'alcohol', 'gloves', 'protective-suit', 'other'] as const;
/** The fewest quotes a purchase compares (询价比价: at least three suppliers). */
export const minQuotes = 3;

/** A supply's code (the database checks the same pattern). */
export const supplyCode = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/, 'supply code: 1–40 letters, digits, _ . -, starting with a letter or digit');
const text = (max: number) => z.string().trim().min(1).max(max);
/** A stock quantity: numeric(14, 2), above 0. */
const quantity = decimalText({ intDigits: 12, fracDigits: 2, nonZero: true });

export const createSupplyBody = z.strictObject({
  code: supplyCode,
  nameZh: text(100),
  nameEn: text(100).nullable().default(null),
  /** What one counts in: 只, 个, 瓶, 升, 套 … */
  unitLabel: text(20),
  kind: z.enum(SUPPLY_KINDS),
});
export type CreateSupplyBody = z.infer<typeof createSupplyBody>;

export const supplySchema = z.object({
  id: z.string(),
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string().nullable(),
  unitLabel: z.string(),
  kind: z.enum(SUPPLY_KINDS),
  stock: z.string().describe('in − out ± adjustments, 2 decimals'),
  lastPurchase: z.object({ date: z.string(), unitPrice: z.string(), supplier: z.string() }).nullable(),
  version: z.number().int(),
});
export type Supply = z.infer<typeof supplySchema>;
export const supplyList = z.object({ rows: z.array(supplySchema) });

export const purchaseBody = z
  .strictObject({
    supply: supplyCode,
    date: isoDate,
    quantity,
    /** At least 3 (422 QUOTES_TOO_FEW), from distinct suppliers (422 QUOTES_DUPLICATE_SUPPLIER). */
    quotes: z
      .array(z.strictObject({ supplier: text(200), unitPrice: decimalText({ intDigits: 10, fracDigits: 4 }), note: text(500).optional() }))
      .max(20),
    /** The index of the quote bought from. */
    chosen: z.number().int().min(0).max(19),
    /** Why, when the chosen quote is not the lowest (422 QUOTE_REASON_REQUIRED without it). */
    reason: text(500).optional(),
  })
  .refine((b) => b.chosen < b.quotes.length, { message: 'chosen must be the index of one of the quotes', path: ['chosen'] });
export type PurchaseBody = z.infer<typeof purchaseBody>;

export const purchaseCreated = z.object({
  id: z.string(),
  supply: z.string(),
  date: z.string(),
  quantity: z.string(),
  /** Indexes into the quotes as sent. */
  chosen: z.number().int(),
  lowest: z.number().int().describe('the first quote with the lowest unit price'),
  total: z.string().describe('quantity × the chosen unit price, 2 decimals'),
  reason: z.string().nullable(),
});
export type PurchaseCreated = z.infer<typeof purchaseCreated>;

export const purchaseSchema = z.object({
  id: z.string(),
  supply: z.object({ code: z.string(), nameZh: z.string(), unitLabel: z.string() }),
  date: z.string(),
  quantity: z.string(),
  /** By unit price, then supplier. */
  quotes: z.array(z.object({ supplier: z.string(), unitPrice: z.string(), note: z.string().nullable(), chosen: z.boolean(), lowest: z.boolean() })),
  total: z.string(),
  /** The chosen quote is (one of) the lowest. */
  lowestChosen: z.boolean(),
  reason: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
});
export type Purchase = z.infer<typeof purchaseSchema>;
export const purchaseList = z.object({ rows: z.array(purchaseSchema) });
const range = { from: isoDate.optional(), to: isoDate.optional() };
export const purchaseQuery = z.strictObject({ supply: supplyCode.optional(), ...range });

export const distributionBody = z
  .strictObject({
    supply: supplyCode,
    date: isoDate,
    quantity,
    /** To a unit (by code) or to a checkpoint (by code): exactly one. */
    unit: unitCode.optional(),
    checkpoint: checkpointCode.optional(),
    note: text(500).optional(),
  })
  .refine((b) => (b.unit === undefined) !== (b.checkpoint === undefined), { message: 'name exactly one of unit and checkpoint', path: ['unit'] });
export type DistributionBody = z.infer<typeof distributionBody>;

export const adjustmentBody = z.strictObject({
  supply: supplyCode,
  date: isoDate,
  /** Signed: + found in a stock count, − missing or spoilt. */
  quantity: decimalText({ intDigits: 12, fracDigits: 2, signed: true, nonZero: true }),
  note: text(500),
});
export type AdjustmentBody = z.infer<typeof adjustmentBody>;

const named = z.object({ code: z.string(), nameZh: z.string() });
export const movementSchema = z.object({
  id: z.string(),
  supply: z.string(),
  date: z.string(),
  kind: z.enum(['in', 'out', 'adjust']),
  /** Signed change of the stock: + in, − out, ± adjust. */
  change: z.string(),
  /** The stock after this movement (all movements of the supply up to it, by date). */
  balance: z.string(),
  purchaseId: z.string().nullable(),
  unit: named.nullable(),
  checkpoint: named.extend({ site: z.string() }).nullable(),
  note: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
});
export type Movement = z.infer<typeof movementSchema>;
export const movementList = z.object({ rows: z.array(movementSchema) });
export const movementQuery = z.strictObject({ supply: supplyCode.optional(), ...range });

export const summaryQuery = z.strictObject(range);
const supplyRef = z.object({ code: z.string(), nameZh: z.string(), unitLabel: z.string() });
export const distributionSummary = z.object({
  from: z.string().nullable(),
  to: z.string().nullable(),
  /** Per supply, everything distributed in the range to the units and checkpoints in scope. */
  totals: z.array(z.object({ supply: supplyRef, quantity: z.string() })),
  byUnit: z.array(z.object({ unit: named, supply: supplyRef, quantity: z.string() })),
  byCheckpoint: z.array(z.object({ checkpoint: named.extend({ site: z.string() }), supply: supplyRef, quantity: z.string() })),
});
export type DistributionSummary = z.infer<typeof distributionSummary>;
