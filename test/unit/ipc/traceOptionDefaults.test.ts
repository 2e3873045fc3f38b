/**
 * The option defaults are defined once (traceOptionDefaults.ts, free of zod
 * for the renderer's first screen): the schema fills in exactly those, and
 * every field it defaults is among them.
 */
import { describe, expect, it } from 'vitest';
import { TRACE_OPTION_DEFAULTS } from '@shared/traceOptionDefaults';
import { traceOptionsSchema } from '@shared/traceOptions';

describe('trace option defaults', () => {
  it('are what the schema fills in, field for field', () => {
    const parsed = traceOptionsSchema.parse({ target: '192.0.2.1' });
    expect(parsed).toEqual({ target: '192.0.2.1', ...TRACE_OPTION_DEFAULTS });
  });
});
