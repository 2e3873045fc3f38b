/**
 * The page's CSP forbids eval. zod decides per object schema, when the schema
 * is built, whether to compile a fast path with `new Function`, probing for
 * eval first; the CSP blocks that probe and reports it as a violation. So
 * this must run before any schema is built: import it before anything that
 * imports src/shared (the API modules import it first).
 */
import { config } from 'zod';

config({ jitless: true });
