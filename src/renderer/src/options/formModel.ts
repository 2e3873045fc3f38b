/**
 * The options form as data. Fields are kept as the strings a person typed,
 * so half-typed values survive; `validateDraft` (formChecks.ts, loaded after
 * the first screen) turns them into trace options with `traceOptionsSchema`,
 * which alone knows the allowed ranges. This module stays free of zod.
 */
import { PROTOCOLS, type Protocol } from '@shared/protocols';
import type { TraceDocument } from '@shared/traceFile';
import { TRACE_OPTION_DEFAULTS } from '@shared/traceOptionDefaults';
import type { TraceOptions } from '@shared/traceOptions';

export interface OptionsDraft {
  target: string;
  protocol: Protocol;
  port: string;
  firstTtl: string;
  maxTtl: string;
  /** Run until stopped; `count` is kept (not sent) so toggling back restores it. */
  continuous: boolean;
  count: string;
  intervalSec: string;
  ipVersion: 'auto' | '4' | '6';
  /** Empty: let the kernel choose. */
  localIp: string;
  localPort: string;
  size: string;
  bitPattern: string;
  tos: string;
  mark: string;
  timeoutSec: string;
  dns: boolean;
  /**
   * Options the opened file did not record (an mtr report says nothing of
   * protocol, interval or TTL range): left empty so the usual defaults apply,
   * and named in the form until the person chooses. Absent for a live form.
   */
  notRecorded?: readonly DraftField[];
}

export type DraftField = Exclude<keyof OptionsDraft, 'notRecorded'>;

/** Labels used in the form and in messages that the schema does not word itself. */
const FIELD_LABELS: Readonly<Record<DraftField, string>> = {
  target: 'Target',
  protocol: 'Protocol',
  port: 'Port',
  firstTtl: 'First TTL',
  maxTtl: 'Max TTL',
  continuous: 'Continuous',
  count: 'Count',
  intervalSec: 'Interval',
  ipVersion: 'IP version',
  localIp: 'Source address',
  localPort: 'Local port',
  size: 'Packet size',
  bitPattern: 'Bit pattern',
  tos: 'TOS',
  mark: 'Mark',
  timeoutSec: 'Timeout',
  dns: 'DNS',
};

/** Fields that only mean something with a port-based protocol. */

export function usesPorts(protocol: Protocol): boolean {
  return protocol !== 'icmp';
}

const text = (value: number | undefined | null): string => (value === undefined || value === null ? '' : String(value));

/** The schema's own defaults, so the form never restates them. */
const SCHEMA_DEFAULTS = TRACE_OPTION_DEFAULTS;

/** A draft showing `options` (a session's or a saved file's). */
export function draftFromOptions(options: Partial<TraceOptions> & { target?: string }): OptionsDraft {
  const o = { ...SCHEMA_DEFAULTS, ...options };
  return {
    target: options.target ?? '',
    protocol: o.protocol,
    port: text(o.port),
    firstTtl: text(o.firstTtl),
    maxTtl: text(o.maxTtl),
    continuous: o.count === null,
    count: o.count === null ? '10' : String(o.count),
    intervalSec: text(o.intervalSec),
    ipVersion: o.ipVersion === undefined ? 'auto' : o.ipVersion === 4 ? '4' : '6',
    localIp: o.localIp ?? '',
    localPort: text(o.localPort),
    size: text(o.size),
    bitPattern: text(o.bitPattern),
    tos: text(o.tos),
    mark: text(o.mark),
    timeoutSec: text(o.timeoutSec),
    dns: o.dns,
  };
}

export function defaultDraft(): OptionsDraft {
  return draftFromOptions({});
}

export interface FieldIssue {
  field: DraftField;
  message: string;
}

export type DraftValidation = { ok: true; options: TraceOptions } | { ok: false; issue: FieldIssue };

export function isDraftField(value: unknown): value is DraftField {
  return typeof value === 'string' && Object.hasOwn(FIELD_LABELS, value);
}

export const PORT_PRESETS: readonly { port: number; label: string }[] = [
  { port: 53, label: 'DNS' },
  { port: 80, label: 'HTTP' },
  { port: 443, label: 'HTTPS' },
];

export function isProtocol(value: string): value is Protocol {
  return (PROTOCOLS as readonly string[]).includes(value);
}

/** "DSCP 46 (EF)" for a TOS byte: engineers think in DSCP classes, mtr-packet takes the byte. */
export function describeTos(tos: number): string {
  const dscp = tos >> 2;
  const ecn = tos & 3;
  let name = '';
  if (dscp === 46) name = 'EF';
  else if (dscp === 44) name = 'VOICE-ADMIT';
  else if (dscp === 0) name = 'best effort';
  else if (dscp % 8 === 0) name = `CS${dscp / 8}`;
  else {
    const cls = dscp >> 3;
    const drop = (dscp & 7) >> 1;
    if ((dscp & 1) === 0 && cls >= 1 && cls <= 4 && drop >= 1 && drop <= 3) name = `AF${cls}${drop}`;
  }
  return `DSCP ${dscp}${name ? ` (${name})` : ''}${ecn ? `, ECN ${ecn}` : ''}`;
}

/** Options every session has (the schema gives them a default), so a file that lacks one did not record it. */
const ALWAYS_RECORDED = ['protocol', 'firstTtl', 'maxTtl', 'count', 'intervalSec', 'timeoutSec', 'dns'] as const;

/** Numeric fields left empty when not recorded: empty means "the schema's default". */
const EMPTY_WHEN_UNKNOWN = ['firstTtl', 'maxTtl', 'intervalSec', 'timeoutSec'] as const;

/**
 * The form for tracing a saved file's target again with its options. What
 * the file did not record is not invented: numbers stay empty (the usual
 * default applies), and every such field is listed in `notRecorded`.
 */
export function draftFromDocument(doc: TraceDocument): OptionsDraft {
  const { sampleBufferSize: _ignored, ...options } = doc.options;
  const draft = draftFromOptions({ ...options, target: doc.target.input });
  const notRecorded: DraftField[] = ALWAYS_RECORDED.filter((key) => options[key] === undefined);
  // Without the protocol, the port recorded (if any) cannot be trusted either.
  if (options.protocol === undefined && options.port === undefined) notRecorded.splice(1, 0, 'port');
  for (const field of EMPTY_WHEN_UNKNOWN) if (notRecorded.includes(field)) draft[field] = '';
  return notRecorded.length === 0 ? draft : { ...draft, notRecorded };
}

/** The usual default of a field, as the form shows it. */
export function defaultText(field: DraftField): string {
  switch (field) {
    case 'protocol':
      return SCHEMA_DEFAULTS.protocol.toUpperCase();
    case 'port':
      return 'chosen by mtr-packet';
    case 'count':
      return SCHEMA_DEFAULTS.count === null ? 'continuous' : String(SCHEMA_DEFAULTS.count);
    case 'intervalSec':
    case 'timeoutSec':
      return `${SCHEMA_DEFAULTS[field]} s`;
    case 'dns':
      return SCHEMA_DEFAULTS.dns ? 'on' : 'off';
    default:
      return text(SCHEMA_DEFAULTS[field as keyof typeof SCHEMA_DEFAULTS] as number | undefined);
  }
}

/** A field edit: the field is no longer "not recorded" once the person has set it. */
export function withChoice(
  draft: OptionsDraft,
  field: DraftField,
  patch: Partial<OptionsDraft>,
): Partial<OptionsDraft> {
  if (draft.notRecorded === undefined || !draft.notRecorded.includes(field)) return patch;
  const rest = draft.notRecorded.filter((f) => f !== field && !(field === 'protocol' && f === 'port'));
  return { ...patch, notRecorded: rest.length === 0 ? undefined : rest };
}

/** Field labels, for messages about fields. */
export function fieldLabel(field: DraftField): string {
  return FIELD_LABELS[field];
}
