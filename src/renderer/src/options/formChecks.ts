/**
 * What the options form checks with the shared schemas (zod, and ipaddr.js
 * for addresses): a draft as trace options, whether it differs from a
 * session's, and the remembered targets. Its own chunk, loaded once the first
 * screen is drawn or when a check is first wanted (lazyFormChecks.ts).
 */
import { firstSchemaProblem } from '@shared/schemaProblem';
import { traceOptionsSchema, type TraceOptions, type TraceOptionsInput } from '@shared/traceOptions';
import {
  fieldLabel,
  isDraftField,
  usesPorts,
  type DraftField,
  type DraftValidation,
  type OptionsDraft,
} from './formModel';

export { readTargetHistory, rememberTarget } from './targetHistory';

/** '' is "not given"; anything else goes to the schema as a number (NaN included, so it can say why). */
function numberOrUndefined(value: string): number | undefined {
  const trimmed = value.trim();
  return trimmed === '' ? undefined : Number(trimmed);
}

/** The draft as a request, before validation. Fields that do not apply are left out. */
function draftToInput(draft: OptionsDraft): TraceOptionsInput {
  const ports = usesPorts(draft.protocol);
  const input: Record<string, unknown> = {
    target: draft.target.trim(),
    protocol: draft.protocol,
    port: ports ? numberOrUndefined(draft.port) : undefined,
    firstTtl: numberOrUndefined(draft.firstTtl),
    maxTtl: numberOrUndefined(draft.maxTtl),
    count: draft.continuous ? null : numberOrUndefined(draft.count),
    intervalSec: numberOrUndefined(draft.intervalSec),
    timeoutSec: numberOrUndefined(draft.timeoutSec),
    size: numberOrUndefined(draft.size),
    bitPattern: numberOrUndefined(draft.bitPattern),
    tos: numberOrUndefined(draft.tos),
    mark: numberOrUndefined(draft.mark),
    localIp: draft.localIp.trim() === '' ? undefined : draft.localIp.trim(),
    localPort: ports ? numberOrUndefined(draft.localPort) : undefined,
    ipVersion: draft.ipVersion === 'auto' ? undefined : Number(draft.ipVersion),
    dns: draft.dns,
  };
  for (const key of Object.keys(input)) if (input[key] === undefined) delete input[key];
  return input as TraceOptionsInput;
}

/** Validates the whole form with the shared schema; reports the first problem and the field it belongs to. */
export function validateDraft(draft: OptionsDraft): DraftValidation {
  if (!draft.continuous && draft.count.trim() === '') {
    return { ok: false, issue: { field: 'count', message: 'enter a number of rounds, or choose Continuous' } };
  }
  const parsed = traceOptionsSchema.safeParse(draftToInput(draft));
  if (parsed.success) return { ok: true, options: parsed.data };
  const problem = firstSchemaProblem(parsed.error, 'invalid options');
  const key = problem.field.split(/[.[]/)[0];
  const field: DraftField = isDraftField(key) ? key : 'target';
  // Type errors carry zod's generic wording ("expected number, received NaN"); say it in the form's words.
  const label = fieldLabel(field);
  const message = /^(expected |missing \()/.test(problem.message)
    ? `${label.charAt(0).toLowerCase()}${label.slice(1)} must be a number`
    : problem.message;
  return { ok: false, issue: { field, message } };
}

/** The effective options as comparable text (defaults filled in, key order fixed). */
function canonical(options: TraceOptions): string {
  const entries = Object.entries(options).filter(([, v]) => v !== undefined);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(entries);
}

/** True when the draft asks for something other than `options` (an invalid draft counts as different). */
export function draftDiffers(draft: OptionsDraft, options: TraceOptions): boolean {
  const result = validateDraft(draft);
  if (!result.ok) return true;
  // The buffer size is not on the form; keep the session's.
  return canonical({ ...result.options, sampleBufferSize: options.sampleBufferSize }) !== canonical(options);
}
