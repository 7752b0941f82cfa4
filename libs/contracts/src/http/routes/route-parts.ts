import { z } from 'zod';
import type { RouteBody } from './public-route';

/* The pieces the routes files of the table are written with (internal to the table). */

/** Anyone may call the route. */
export const PUBLIC = { kind: 'public' } as const;

/** An owner or admin of the tenant. */
export const ADMIN = { kind: 'authenticated', minRole: 'admin' } as const;

/** A JSON body checked by `schema` (at the edge and by the service). */
export const json = (schema: z.ZodType, required = true): RouteBody => ({ encoding: 'json', schema, required });

/** What the SSO admin routes answer for a connection, for the document (its full shape is `SsoConnectionView`). */
export const ssoConnectionView = z.looseObject({ id: z.string(), protocol: z.string(), enabled: z.boolean() });
