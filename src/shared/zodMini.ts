/**
 * zod/mini, for the schemas every trace builds at start-up (probe.ts, traceOptions.ts). A mini schema
 * is zod's core schema without classic zod's several dozen methods attached to each instance, so the
 * CLI's trace builds these in about a third of the time, and its chunk carries no classic zod at all.
 * Same core, same checks; the only difference a caller sees is the functional style
 * (`z.optional(s)` for `s.optional()`), and classic schemas take mini ones as fields.
 *
 * Classic zod registers its English messages when it builds its first schema; a run that builds only
 * mini schemas (a CLI trace) registers them here, so every boundary words a mistake the same way.
 */
import { z } from 'zod/mini';
import { en } from 'zod/locales';

if (!z.core.globalConfig.localeError) z.config(en());

export { z };
