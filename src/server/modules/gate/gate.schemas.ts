import { z } from 'zod';
import { denyReasons } from '../../../domain/access/gate-decision';
import { isoDate, isoDateTime } from '../../schemas';

/** Site and checkpoint codes (the migration's CHECK). */
export const accessCode = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/, 'code: letters, digits, _ . -, up to 40');
export const personCode = z.string().trim().min(1).max(64);
export const denyReason = z.enum(denyReasons);
export const direction = z.enum(['in', 'out']);
export const gateDecision = z.enum(['allow', 'deny']);
export const personCategory = z.enum(['employee', 'resident', 'family', 'contractor', 'visitor']);

/** How far ahead of the server's clock a scan time may be (a device clock running fast). */
export const maxClockSkewMs = 5 * 60_000;
export const maxBatchEvents = 1000;

const scanFields = {
  /** The checkpoint's code: must be the one the device is bound to. */
  checkpoint: accessCode,
  /** The pass token read from the QR code. */
  token: z.string().trim().min(8).max(200).optional(),
  /** A person's code (picked after a look-up by name and last 4 digits). */
  person: personCode.optional(),
  /** An ID number typed in for someone without a phone or a pass. */
  idNumber: z.string().trim().min(4).max(40).optional(),
  direction,
  temperatureC: z.number().min(30).max(45).optional(),
  plate: z.string().trim().min(2).max(16).optional(),
  disinfected: z.boolean().optional(),
  /** When the guard scanned (ISO-8601 with offset); default now; at most 5 minutes ahead of the server. */
  scannedAt: isoDateTime.optional(),
  /** Unique per scan (e.g. a UUID made on the device): a resend is recognised and answered with the first answer. */
  idempotencyKey: z.string().min(8).max(100),
};
const oneCredential = (e: { token?: string | undefined; person?: string | undefined; idNumber?: string | undefined }) =>
  [e.token, e.person, e.idNumber].filter((x) => x !== undefined).length === 1;
const credentialMessage = { message: 'give exactly one of token, person, idNumber' };

export const scanBody = z.strictObject(scanFields).refine(oneCredential, credentialMessage);
export type ScanBody = z.infer<typeof scanBody>;

export const scanPerson = z.object({ code: z.string(), name: z.string().describe('masked'), category: personCategory });
export const scanVehicle = z.object({ plate: z.string().describe('masked'), permitted: z.boolean() });
export const scanResult = z.object({
  id: z.string(),
  decision: gateDecision,
  reason: denyReason.nullable(),
  /** The decision in plain words (Accept-Language: zh-CN by default, en-US). */
  message: z.string(),
  person: scanPerson.nullable(),
  vehicle: scanVehicle.nullable(),
  at: z.string(),
  /** True when this idempotency key was stored before: the answer is the first one. */
  duplicate: z.boolean(),
});
export type ScanResult = z.infer<typeof scanResult>;

/** An event decided offline on the device, synced later: the scan fields, its time, and the device's decision. */
export const offlineEvent = z
  .strictObject({ ...scanFields, scannedAt: isoDateTime, decision: gateDecision, reason: denyReason.nullable() })
  .refine(oneCredential, credentialMessage);
export type OfflineEvent = z.infer<typeof offlineEvent>;
export const batchBody = z.strictObject({ events: z.array(offlineEvent).min(1).max(maxBatchEvents) });
export type BatchBody = z.infer<typeof batchBody>;
export const batchResult = z.object({
  stored: z.number().int(),
  duplicates: z.number().int(),
  results: z.array(z.object({ idempotencyKey: z.string(), id: z.string(), duplicate: z.boolean() })),
});
export type BatchResult = z.infer<typeof batchResult>;

export const openingWindow = z.object({ from: z.string(), to: z.string() });
export const householdQuota = z.object({ days: z.number().int(), count: z.number().int() }).nullable();
export const deviceInfo = z.object({
  device: z.object({ id: z.string(), name: z.string() }),
  checkpoint: z.object({ code: z.string(), nameZh: z.string(), nameEn: z.string().nullable(), openingHours: z.array(openingWindow).nullable() }),
  site: z.object({
    code: z.string(),
    nameZh: z.string(),
    nameEn: z.string().nullable(),
    kind: z.enum(['community', 'plant']),
    accessLevel: z.enum(['open', 'restricted', 'closed']),
    temperatureMode: z.enum(['off', 'optional', 'required']),
    feverThresholdC: z.number(),
    householdQuota,
  }),
  /** Ed25519 public key (raw 32 bytes, base64) the snapshot's signature verifies with. */
  publicKey: z.string(),
  serverTime: z.string(),
});
export type DeviceInfo = z.infer<typeof deviceInfo>;

export const lookupQuery = z.strictObject({
  name: z.string().trim().min(1).max(100),
  /** The last 4 characters of the ID number or the phone. */
  last4: z.string().regex(/^[0-9Xx]{4}$/, 'the last 4 digits of the ID number or phone'),
});
export const lookupResult = z.object({ rows: z.array(z.object({ person: z.string(), name: z.string().describe('masked'), category: personCategory })) });
export type LookupResult = z.infer<typeof lookupResult>;

export const snapshotResponse = z.object({
  /** JSON text of GateSnapshot; verify the signature over exactly these characters (UTF-8). */
  payload: z.string(),
  /** Ed25519 signature of the payload's UTF-8 bytes, base64. */
  signature: z.string(),
});
export type SnapshotResponse = z.infer<typeof snapshotResponse>;

const timeWindow = z.object({ from: z.string(), to: z.string(), days: z.array(z.number().int()).optional() });
/** The signed content of GET /api/gate/snapshot (what an offline device decides with). */
export const gateSnapshot = z.object({
  version: z.literal(1),
  generatedAt: z.string(),
  checkpoint: z.string(),
  site: z.object({
    id: z.string(),
    code: z.string(),
    kind: z.enum(['community', 'plant']),
    accessLevel: z.enum(['open', 'restricted', 'closed']),
    temperatureMode: z.enum(['off', 'optional', 'required']),
    feverThresholdC: z.number(),
    householdQuota,
  }),
  openingHours: z.array(openingWindow).nullable(),
  passes: z.array(
    z.object({
      tokenHash: z.string(),
      person: z.string(),
      name: z.string(),
      category: personCategory,
      householdId: z.string().nullable(),
      pass: z.object({
        id: z.string(),
        siteIds: z.array(z.string()),
        validFrom: z.string(),
        validTo: z.string(),
        windows: z.array(timeWindow).nullable(),
        essential: z.boolean(),
        status: z.enum(['active', 'suspended', 'revoked']),
      }),
    }),
  ),
  /** Person codes on the block list for this site or all. */
  blocked: z.array(z.string()),
  /** Person codes (pass holders here) whose health status is red. */
  healthRed: z.array(z.string()),
  /** Approved visits at this site that have not ended before today. */
  visits: z.array(z.object({ person: z.string(), startsAt: z.string(), endsAt: z.string() })),
});
export type GateSnapshot = z.infer<typeof gateSnapshot>;

export const eventsQuery = z.strictObject({ checkpoint: accessCode, date: isoDate });
export const gateEventRow = z.object({
  id: z.string(),
  at: z.string(),
  direction,
  decision: gateDecision,
  reason: denyReason.nullable(),
  person: scanPerson.nullable(),
  /** Health data: null unless the caller holds health.read (purpose binding, PI-2). */
  temperatureC: z.number().nullable().describe('The temperature taken at the gate; null unless the caller holds health.read'),
  plate: z.string().nullable().describe('masked'),
  offline: z.boolean(),
});
export const eventsResult = z.object({ rows: z.array(gateEventRow) });
export type GateEventRow = z.infer<typeof gateEventRow>;

// ---- devices ----------------------------------------------------------------------------------
export const checkpointParams = z.strictObject({ code: accessCode });
export const deviceParams = z.strictObject({ id: z.uuid() });
export const createDeviceBody = z.strictObject({ name: z.string().trim().min(1).max(100) });
export const deviceSchema = z.object({
  id: z.string(),
  name: z.string(),
  checkpoint: z.string(),
  createdAt: z.string(),
  lastSeenAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type DeviceRow = z.infer<typeof deviceSchema>;
/** The new device with its bearer token, shown this once. */
export const createdDevice = z.object({ id: z.string(), name: z.string(), checkpoint: z.string(), token: z.string() });
export type CreatedDevice = z.infer<typeof createdDevice>;
export const deviceList = z.object({ rows: z.array(deviceSchema) });
