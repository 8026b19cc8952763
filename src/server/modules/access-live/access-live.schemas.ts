import { z } from 'zod';
import { denyReasons } from '../../../domain/access/gate-decision';
import { isoDate } from '../../schemas';
import { siteCode } from './access-scope';

/** How far back "inside" looks: someone whose last allowed passage in this window was in. */
export const insideWindowHours = 24;
/** The longest range of the denials list. */
export const maxDenialDays = 92;

const reason = z.enum(denyReasons);
const maskedPerson = z.object({ code: z.string(), name: z.string(), category: z.string() }).nullable();

export const liveResult = z.object({
  at: z.string(),
  /** Today, Asia/Shanghai. */
  date: z.string(),
  sites: z.array(
    z.object({
      site: z.string(),
      nameZh: z.string(),
      nameEn: z.string().nullable(),
      kind: z.string(),
      accessLevel: z.string(),
      capacity: z.number().int().nullable(),
      /** People whose last allowed passage here in the last 24 h was in. */
      inside: z.number().int(),
      inToday: z.number().int(),
      outToday: z.number().int(),
      deniedToday: z.number().int(),
      /** Denials today by reason (only reasons that occurred). */
      byReason: z.record(z.string(), z.number().int()),
    }),
  ),
});

export const trafficQuery = z.strictObject({ site: siteCode, date: isoDate.optional() });
export const trafficResult = z.object({
  site: z.string(),
  date: z.string(),
  /** Local hours 0–23 (Asia/Shanghai); each row's arrays are indexed by them. */
  hours: z.array(z.number().int()),
  rows: z.array(z.object({ checkpoint: z.string(), checkpointName: z.string(), in: z.array(z.number().int()), out: z.array(z.number().int()), denied: z.array(z.number().int()) })),
});

export const denialsQuery = z.strictObject({ site: siteCode.optional(), from: isoDate.optional(), to: isoDate.optional() });
export const denialsResult = z.object({
  from: z.string(),
  to: z.string(),
  total: z.number().int(),
  byReason: z.record(z.string(), z.number().int()),
  /** Newest first, at most 1000. */
  rows: z.array(
    z.object({
      id: z.string(),
      at: z.string(),
      site: z.string(),
      checkpoint: z.string(),
      checkpointName: z.string(),
      direction: z.enum(['in', 'out']),
      reason,
      /** Name masked. */
      person: maskedPerson,
      /** Health data: null unless the caller holds health.read (purpose binding, PI-2). */
      temperatureC: z.number().nullable().describe('The temperature taken at the gate; null unless the caller holds health.read'),
    }),
  ),
});

export const vehiclePassagesQuery = z.strictObject({ site: siteCode, date: isoDate.optional() });
export const vehiclePassagesResult = z.object({
  site: z.string(),
  date: z.string(),
  summary: z.object({ total: z.number().int(), in: z.number().int(), out: z.number().int(), disinfected: z.number().int(), notPermitted: z.number().int() }),
  /** Newest first, at most 2000. */
  rows: z.array(
    z.object({
      id: z.string(),
      at: z.string(),
      checkpoint: z.string(),
      direction: z.enum(['in', 'out']),
      decision: z.enum(['allow', 'deny']),
      reason: reason.nullable(),
      /** Plain for access.write, masked for readers. */
      plate: z.string(),
      disinfected: z.boolean().nullable(),
      /** A registered vehicle allowed at this site on that day. */
      permitted: z.boolean(),
      person: maskedPerson,
    }),
  ),
});

export const rollCallQuery = z.strictObject({ site: siteCode });
export const rollCallResult = z.object({
  site: z.string(),
  nameZh: z.string(),
  at: z.string(),
  capacity: z.number().int().nullable(),
  count: z.number().int(),
  /** Whether names are shown in full (access.write: the incident commander) or masked. */
  namesMasked: z.boolean(),
  /** By unit, then name. */
  rows: z.array(
    z.object({
      person: z.string(),
      name: z.string(),
      category: z.string(),
      unit: z.object({ code: z.string(), name: z.string() }).nullable(),
      /** When they last came in. */
      since: z.string(),
      checkpoint: z.string(),
    }),
  ),
});
