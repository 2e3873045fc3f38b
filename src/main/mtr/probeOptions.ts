/**
 * Probe options are validated once, at the boundary, and then carried as a branded, frozen value.
 * The encoder accepts only that brand (checked at run time through a WeakSet, so a cast cannot
 * smuggle an unvalidated object onto mtr-packet's stdin), and a session that passes the same
 * options object for every probe pays for the zod parse once.
 */
import { firstSchemaProblem } from '@shared/schemaProblem';
import { field, probeOptionsSchema, type ProbeOptions } from '@shared/probe';
import { ValidationError } from './errors';

declare const validated: unique symbol;
/** Probe options that passed `probeOptionsSchema`; frozen. Obtain through validateProbeOptions(). */
export type ValidProbeOptions = Readonly<ProbeOptions> & { readonly [validated]: true };

const VALID = new WeakSet<object>();
/** The validated copy of each options object a caller has passed; the key must not be mutated afterwards. */
const BY_INPUT = new WeakMap<object, ValidProbeOptions>();

function brand(options: ProbeOptions): ValidProbeOptions {
  const frozen = Object.freeze({ ...options }) as ValidProbeOptions;
  VALID.add(frozen);
  return frozen;
}

export function isValidProbeOptions(options: unknown): options is ValidProbeOptions {
  return typeof options === 'object' && options !== null && VALID.has(options);
}

/**
 * Parse `options` (once per object) or throw ValidationError naming the field. Already validated
 * values pass through untouched. Callers treat the options objects they pass as immutable.
 */
export function validateProbeOptions(options: ProbeOptions | ValidProbeOptions | undefined): ValidProbeOptions {
  const input = options ?? {};
  if (isValidProbeOptions(input)) return input;
  if (typeof input === 'object' && input !== null) {
    const cached = BY_INPUT.get(input);
    if (cached) return cached;
  }
  // Once per options object (cached below): zod compiling its fast path would cost more than it saves.
  const parsed = probeOptionsSchema.safeParse(input, { jitless: true });
  if (!parsed.success) {
    const problem = firstSchemaProblem(parsed.error, 'invalid probe options');
    throw new ValidationError(problem.field || 'options', problem.message);
  }
  const valid = brand(parsed.data);
  if (typeof input === 'object' && input !== null) BY_INPUT.set(input, valid);
  return valid;
}

// The TTL range, read from its schema (the one source of it).
const TTL_MIN = field.ttl._zod.bag.minimum ?? 0;
const TTL_MAX = field.ttl._zod.bag.maximum ?? 255;

/** A validated copy with other values for a few fields, checking only those fields (cheap per probe). */
export function withProbeFields(
  base: ValidProbeOptions,
  changes: Pick<ProbeOptions, 'ttl' | 'localIp' | 'timeoutSec'>,
): ValidProbeOptions {
  if (!isValidProbeOptions(base)) return validateProbeOptions({ ...(base as ProbeOptions), ...changes });
  for (const [name, value] of Object.entries(changes) as [keyof typeof changes, unknown][]) {
    if (value === undefined) continue;
    // A session sets a TTL on every probe: an in-range integer needs no zod parse. Anything else
    // goes through the schema below, for the same error as ever.
    if (name === 'ttl' && Number.isInteger(value) && (value as number) >= TTL_MIN && (value as number) <= TTL_MAX) {
      continue;
    }
    const check = field[name].safeParse(value);
    if (!check.success) {
      const problem = firstSchemaProblem(check.error);
      throw new ValidationError(name, problem.message);
    }
  }
  return brand({ ...base, ...changes });
}
