import { z } from 'zod';
import { isoDate, isoDateTime } from '../../schemas';
import { personCode, siteCode } from '../access-live/access-scope';

export const VISIT_STATUSES = ['pending', 'approved', 'rejected', 'cancelled'] as const;
export type VisitStatus = (typeof VISIT_STATUSES)[number];
export const ID_TYPES = ['resident-id', 'passport', 'hk-macao-permit', 'taiwan-permit', 'foreigner-permit', 'other'] as const;
/** The longest visit one pre-registration covers. */
export const maxVisitDays = 7;

/** A registered person by code. */
const knownVisitor = z.strictObject({ code: personCode });
/** Someone new: found by ID number (blind index) when registered before, else registered as a visitor. */
const newVisitor = z.strictObject({
  name: z.string().trim().min(1).max(100),
  idType: z.enum(ID_TYPES).optional().describe('Default resident-id when an ID number is given'),
  idNumber: z.string().trim().min(4).max(40).optional(),
  phone: z.string().trim().min(5).max(30).optional(),
  sex: z.enum(['male', 'female']).optional(),
});
export type NewVisitor = z.infer<typeof newVisitor>;

export const createVisitBody = z.strictObject({
  visitor: z.union([knownVisitor, newVisitor]),
  /** The person visited (被访人), by code. */
  host: personCode,
  site: siteCode,
  startsAt: isoDateTime,
  endsAt: isoDateTime,
  purpose: z.string().trim().max(500).default(''),
  plate: z.string().trim().min(1).max(20).nullable().default(null),
});
export type CreateVisitBody = z.infer<typeof createVisitBody>;

export const decideVisitBody = z.strictObject({ note: z.string().trim().max(500).optional() });
export const visitParams = z.strictObject({ id: z.uuid() });
export const visitQuery = z.strictObject({
  site: siteCode.optional(),
  status: z.enum(VISIT_STATUSES).optional(),
  /** Visits overlapping this local day (Asia/Shanghai). */
  date: isoDate.optional(),
  /** Only the visits the signed-in user hosts. */
  mine: z.enum(['true', 'false']).optional(),
});
export type VisitQuery = z.infer<typeof visitQuery>;

export const visitSchema = z.object({
  id: z.string(),
  number: z.number().int(),
  visitor: z.object({
    code: z.string(),
    name: z.string(),
    category: z.string(),
    /** Masked (configured style). */
    idNumber: z.string().nullable(),
    /** Masked 3+4. */
    phone: z.string().nullable(),
  }),
  host: z.object({ code: z.string(), name: z.string() }),
  site: z.object({ code: z.string(), nameZh: z.string(), nameEn: z.string().nullable() }),
  startsAt: z.string(),
  endsAt: z.string(),
  purpose: z.string(),
  plate: z.string().nullable(),
  status: z.enum(VISIT_STATUSES),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
  /** The pass issued on approval. */
  passId: z.string().nullable(),
  createdAt: z.string(),
  version: z.number().int(),
});
export type Visit = z.infer<typeof visitSchema>;
export const visitList = z.object({ rows: z.array(visitSchema) });
