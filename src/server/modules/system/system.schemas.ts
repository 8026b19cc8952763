import { z } from 'zod';

export const healthResponse = z.object({
  status: z.literal('ok'),
  database: z.enum(['pglite', 'postgres']),
  version: z.string(),
});

export const liveResponse = z.object({ status: z.literal('live') });

export const readyResponse = z.object({
  status: z.literal('ready'),
  database: z.enum(['pglite', 'postgres']),
});

export const notReadyResponse = z.object({
  status: z.literal('degraded'),
  database: z.literal('unavailable'),
});
