import { z } from 'zod';

/** Every error the API returns has this shape. */
export const errorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
    /** On 5xx only: the request's id (x-request-id), to quote to support, who find it as reqId in the logs. */
    requestId: z.string().optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBody>;

/** The response of an operation that answers 204 No Content. */
export const noContent = z.null().describe('No content');
