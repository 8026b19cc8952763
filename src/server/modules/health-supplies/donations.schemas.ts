import { z } from 'zod';
import { isoDate } from '../../schemas';
import { decimalText } from './decimal-text';

const text = (max: number) => z.string().trim().min(1).max(max);

export const createDonationBody = z.strictObject({
  /** A company, an organisation or a person, as they wish to be named. */
  donor: text(200),
  /** Yuan, above 0, at most 2 decimals (JSON text or number). */
  amount: decimalText({ intDigits: 12, fracDigits: 2, nonZero: true }),
  date: isoDate,
  purpose: text(200).nullable().default(null),
  note: text(500).nullable().default(null),
});
export type CreateDonationBody = z.infer<typeof createDonationBody>;
export const donationQuery = z.strictObject({ from: isoDate.optional(), to: isoDate.optional() });

export const donationSchema = z.object({
  id: z.string(),
  donor: z.string(),
  /** Yuan, 2 decimals ("2000.00"). */
  amount: z.string(),
  date: z.string(),
  purpose: z.string().nullable(),
  note: z.string().nullable(),
  /** The incident active when it was recorded. */
  incident: z.object({ id: z.string(), name: z.string() }).nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
});
export type Donation = z.infer<typeof donationSchema>;

const total = z.object({ count: z.number().int(), amount: z.string() });
export const donationList = z.object({
  rows: z.array(donationSchema),
  /** Summed exactly in SQL over every donation in the range (not only the rows listed). */
  totals: total.extend({ byPurpose: z.array(total.extend({ purpose: z.string().nullable() })) }),
});
export type DonationList = z.infer<typeof donationList>;
