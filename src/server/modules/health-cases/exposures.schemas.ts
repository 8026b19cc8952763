import { z } from 'zod';
import { isoDate } from '../../schemas';
import { personCode } from '../access-live/access-scope';

/** Exposures (接触) between a case and a contact, the contact suggestions and the transmission chain (issue 7). */
export const exposureTypes = ['household', 'workplace', 'shift', 'canteen', 'gate', 'transport', 'other'] as const;
export const certainties = ['low', 'medium', 'high'] as const;

export const exposureParams = z.strictObject({ id: z.uuid() });

export const createExposureBody = z.strictObject({
  case: personCode.describe('the source: a person code'),
  contact: personCode.describe('the contact: a person code'),
  date: isoDate.describe('the day of the exposure (Asia/Shanghai); not in the future, not before the incident start − 14 days'),
  type: z.enum(exposureTypes),
  certainty: z.enum(certainties).default('high'),
  close: z.boolean().default(true).describe('a close contact (密切接触者): quarantined and followed up'),
  note: z.string().trim().min(1).max(1000).optional(),
});
export type CreateExposureBody = z.infer<typeof createExposureBody>;
export const createExposureResult = z.object({
  id: z.string(),
  quarantineId: z.string().nullable().describe("the contact's quarantine (created, or its window moved); null when not close"),
  contactCaseId: z.string().nullable().describe("the contact's open CONTACT case; null when not close"),
});

export const withdrawBody = z.strictObject({ reason: z.string().trim().min(1).max(500).describe('why it was entered by mistake') });

export const exposureQuery = z.strictObject({
  case: personCode.optional().describe('exposures with this person as the source'),
  contact: personCode.optional().describe('exposures with this person as the contact'),
  incident: z.union([z.uuid(), z.literal('all')]).optional().describe("default the active incident (every exposure when there is none)"),
  withdrawn: z.enum(['true', 'false']).optional().describe('include withdrawn exposures'),
});
export type ExposureQuery = z.infer<typeof exposureQuery>;

const personRef = z.object({ code: z.string(), name: z.string().describe('masked'), category: z.string() });
const siteRef = z.object({ code: z.string(), nameZh: z.string() });

export const exposureSchema = z.object({
  id: z.string(),
  incidentId: z.string(),
  source: personRef,
  contact: personRef,
  date: z.string(),
  type: z.enum(exposureTypes),
  certainty: z.enum(certainties),
  close: z.boolean(),
  note: z.string().nullable(),
  active: z.boolean().describe('false: withdrawn (entered by mistake)'),
  caseNumber: z.number().int().nullable().describe("the source's case the exposure was linked to"),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
});
export type Exposure = z.infer<typeof exposureSchema>;
export const exposureList = z.object({ rows: z.array(exposureSchema) });

export const suggestionQuery = z.strictObject({
  case: personCode,
  windowMinutes: z.coerce.number().int().min(1).max(240).default(30).describe('± minutes around each of the case’s gate events'),
  days: z.coerce.number().int().min(1).max(30).default(14).describe('look back this many days'),
});
export type SuggestionQuery = z.infer<typeof suggestionQuery>;

export const suggestionSchema = z.object({
  person: personRef,
  site: siteRef.nullable(),
  type: z.enum(['household', 'gate']),
  reason: z.object({ zh: z.string(), en: z.string() }),
  household: z.string().nullable(),
  checkpoint: z.object({ code: z.string(), nameZh: z.string() }).nullable(),
  caseAt: z.string().nullable().describe("the case's gate event"),
  contactAt: z.string().nullable().describe("the suggested person's gate event"),
  minutesApart: z.number().nullable(),
  date: z.string().describe('the exposure date to propose (Asia/Shanghai)'),
});
export type Suggestion = z.infer<typeof suggestionSchema>;
export const suggestionList = z.object({ case: personRef, rows: z.array(suggestionSchema) });

export const chainQuery = z.strictObject({ incident: z.uuid().optional().describe('default the active incident') });

export const chainNodeSchema = z.object({
  code: z.string(),
  name: z.string().describe('masked'),
  classification: z.enum(['unclassified', 'suspected', 'confirmed', 'excluded', 'contact']).describe("the person's latest case's, or contact"),
  status: z.enum(['green', 'yellow', 'red']).nullable(),
  inQuarantine: z.boolean(),
  cluster: z.number().int(),
});
export const chainEdgeSchema = z.object({ id: z.string(), source: z.string(), target: z.string(), date: z.string(), type: z.enum(exposureTypes), certainty: z.enum(certainties), close: z.boolean() });
export const chainGraph = z.object({
  incident: z.object({ id: z.string(), name: z.string() }),
  nodes: z.array(chainNodeSchema),
  edges: z.array(chainEdgeSchema).describe('active exposures: source → target (the contact)'),
  clusters: z.array(z.object({ id: z.number().int(), size: z.number().int(), edges: z.number().int(), members: z.array(z.string()) })).describe('connected components, largest first'),
  totals: z.object({ nodes: z.number().int(), edges: z.number().int(), clusters: z.number().int(), largest: z.number().int() }),
});
export type ChainGraph = z.infer<typeof chainGraph>;
