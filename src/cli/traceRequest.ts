import { traceOptionsSchema, type TraceOptionsInput } from '@shared/traceOptions';
import { firstSchemaProblem } from '@shared/schemaProblem';
import { fieldOrderSchema } from '@shared/mtrOutputOptions';
import { ipVersionOf } from '@shared/probe';
import { interfaceAddress } from './interfaceAddress';
import { numberOfText } from '@shared/numberText';
import type { OwnerColumn } from '@shared/formats/ownerColumns';
import { DEFAULT_REPORT_COUNT, UsageError, type CliTraceRequest, type OutputMode, type RawFlags } from './options';

// Kept apart from the flag definitions in ./options so that registering the
// command (all that --help and --version need) does not load zod.

/** How each trace option is spelled on the command line, for error messages. */
const FLAG_OF: Partial<Record<keyof TraceOptionsInput, string>> = {
  target: 'TARGET',
  count: '-c/--count',
  intervalSec: '-i/--interval',
  protocol: '-u/-T/-S/--sctp',
  port: '-P/--port',
  firstTtl: '-f/--first-ttl',
  maxTtl: '-m/--max-ttl',
  timeoutSec: '-Z/--timeout',
  size: '-s/--psize',
  bitPattern: '-B/--bitpattern',
  tos: '-Q/--tos',
  mark: '-M/--mark',
  localIp: '-a/--address',
  localPort: '-L/--localport',
  ipVersion: '-4/-6',
  sampleBufferSize: '--buffer',
  graceSec: '-G/--gracetime',
  maxUnknown: '-U/--max-unknown',
};

/** A flag's number (numberText's rule: "10", "0.5", "1e-1", "0x10" for tos and friends); never "10abc" or "". */
function toNumber(flag: string, raw: string | undefined, allowHex = false): number | undefined {
  if (raw === undefined) return undefined;
  const value = numberOfText(raw, allowHex);
  if (value === null) throw new UsageError(`${flag} must be a number, got ${JSON.stringify(raw)}`);
  return value;
}

/** mtr flags Hopscope does not take, and why (rather than an "unknown option" or a silent no-op). */
function refuseUnsupported(flags: RawFlags): void {
  if (flags.filename !== undefined)
    throw new UsageError('-F/--filename: hopscope traces one target per run; run it once per name in the file');
  if (flags.gtk) throw new UsageError("-g/--gtk: mtr's GTK window is not here; Hopscope's window is its app");
  if (flags.displaymode !== undefined)
    throw new UsageError("--displaymode: mtr's stripchart modes are not here; the app draws each hop's history");
  if (
    flags.curses &&
    (flags.json || flags.csv || flags.xml || flags.raw || flags.split || flags.report || flags.reportWide)
  )
    throw new UsageError('-t/--curses is the live view; it goes with no other output format');
}

/** Turn parsed flags into validated engine options, or throw a UsageError naming the flag. */
export function toTraceRequest(target: string, rawFlags: RawFlags, stdoutIsTty: boolean): CliTraceRequest {
  refuseUnsupported(rawFlags);
  if (rawFlags.count !== undefined && rawFlags.reportCycles !== undefined)
    throw new UsageError('-c/--count and --report-cycles are the same option; give one');
  const flags = { ...rawFlags, count: rawFlags.count ?? rawFlags.reportCycles };
  const output: OutputMode = flags.json
    ? 'json'
    : flags.csv
      ? 'csv'
      : flags.xml
        ? 'xml'
        : flags.raw
          ? 'raw'
          : flags.split
            ? 'split'
            : flags.report || flags.reportWide || (!stdoutIsTty && !flags.curses)
              ? 'report'
              : 'live';
  // Explicit flags only: a piped run defaults to a report, but --mtr-compat alone must still be a mistake.
  if (flags.mtrCompat && !(flags.json || flags.csv || flags.xml || flags.report || flags.reportWide))
    throw new UsageError('--mtr-compat goes with --json, --csv, -x/--xml or -r/--report');

  const input: TraceOptionsInput = {
    target,
    protocol: flags.udp ? 'udp' : flags.tcp ? 'tcp' : flags.sctp ? 'sctp' : 'icmp',
    dns: flags.dns,
  };
  const numbers: [keyof TraceOptionsInput, string, string | undefined, boolean?][] = [
    ['count', '-c/--count', flags.count],
    ['intervalSec', '-i/--interval', flags.interval],
    ['port', '-P/--port', flags.port],
    ['firstTtl', '-f/--first-ttl', flags.firstTtl],
    ['maxTtl', '-m/--max-ttl', flags.maxTtl],
    ['timeoutSec', '-Z/--timeout', flags.timeout],
    ['size', '-s/--psize', flags.psize],
    ['bitPattern', '-B/--bitpattern', flags.bitpattern, true],
    ['tos', '-Q/--tos', flags.tos, true],
    ['mark', '-M/--mark', flags.mark, true],
    ['localPort', '-L/--localport', flags.localport],
    ['sampleBufferSize', '--buffer', flags.buffer],
    ['graceSec', '-G/--gracetime', flags.gracetime],
    ['maxUnknown', '-U/--max-unknown', flags.maxUnknown],
  ];
  const record = input as Record<string, unknown>;
  for (const [key, flag, raw, hex] of numbers) {
    const value = toNumber(flag, raw, hex);
    if (value !== undefined) record[key] = value;
  }
  // mtr runs its interactive displays (live, split) until told to stop, its reports for 10 rounds.
  if (input.count === undefined && output !== 'live' && output !== 'split') input.count = DEFAULT_REPORT_COUNT;
  if (flags.address !== undefined) input.localIp = flags.address;
  if (flags.ipv4) input.ipVersion = 4;
  if (flags.ipv6) input.ipVersion = 6;
  if (flags.interface !== undefined) {
    const source = interfaceAddress(flags.interface, input.ipVersion ?? ipVersionOf(target) ?? undefined);
    input.localIp = source.address;
    // A name resolves to the family the source address can send.
    input.ipVersion = source.ipVersion;
  }

  // Parsed once per run: zod compiling its fast path (new Function) would cost more than it saves.
  const parsed = traceOptionsSchema.safeParse(input, { jitless: true });
  if (!parsed.success) {
    const problem = firstSchemaProblem(parsed.error);
    const key = problem.field.split(/[.[]/)[0] as keyof TraceOptionsInput;
    const flag = key ? (FLAG_OF[key] ?? key) : 'options';
    throw new UsageError(`${flag}: ${problem.message}`);
  }
  return {
    options: parsed.data,
    ...(flags.order !== undefined ? { fields: toFieldOrder(flags.order, output, Boolean(flags.mtrCompat)) } : {}),
    output,
    mtrCompat: Boolean(flags.mtrCompat),
    wide: Boolean(flags.reportWide),
    showIps: Boolean(flags.showIps),
    mpls: Boolean(flags.mpls),
    mtrPacketPath: flags.mtrPacket,
    recordPath: flags.record,
    ...toOwnerRequest(flags),
  };
}

/** `-o FIELDS`, checked by its schema. */
function toFieldOrder(order: string, output: OutputMode, mtrCompat: boolean): string {
  // mtr's raw and split lines have fixed fields; the hopscope.trace document has every figure.
  if ((output === 'json' && !mtrCompat) || output === 'raw' || output === 'split')
    throw new UsageError(
      '-o/--order sets the columns of the report, the live view, -x/--xml, -C/--csv and -j/--json --mtr-compat',
    );
  const parsed = fieldOrderSchema.safeParse(order, { jitless: true });
  if (!parsed.success) throw new UsageError(`-o/--order: ${firstSchemaProblem(parsed.error).message}`);
  return parsed.data;
}

/** mtr's `-y` items; only the AS and the country are in Hopscope's offline data. */
const IPINFO_ITEMS = ['AS number', 'IP prefix', 'country', 'registry', 'allocation date'] as const;

/** `-z`, `-y N`, `--asn-db`, `--geo-db` → owner columns and the user's databases. */
function toOwnerRequest(flags: RawFlags): Required<Pick<CliTraceRequest, 'owners' | 'ownerData'>> {
  const owners = new Set<OwnerColumn>(flags.aslookup ? ['as'] : []);
  if (flags.ipinfo !== undefined) {
    const n = toNumber('-y/--ipinfo', flags.ipinfo);
    const item = n !== undefined && Number.isInteger(n) ? IPINFO_ITEMS[n] : undefined;
    if (item === undefined) throw new UsageError(`-y/--ipinfo must be 0 to 4, got ${JSON.stringify(flags.ipinfo)}`);
    if (n !== 0 && n !== 2) {
      throw new UsageError(`-y/--ipinfo ${n} (${item}) is not in the offline data; use 0 (AS number) or 2 (country)`);
    }
    owners.add(n === 0 ? 'as' : 'country');
  }
  const ownerData: NonNullable<CliTraceRequest['ownerData']> = {};
  if (flags.asnDb !== undefined) ownerData.asnDb = flags.asnDb;
  if (flags.geoDb !== undefined) ownerData.geoDb = flags.geoDb;
  if (owners.size === 0 && (ownerData.asnDb !== undefined || ownerData.geoDb !== undefined)) {
    throw new UsageError('--asn-db and --geo-db go with -z/--aslookup or -y/--ipinfo');
  }
  return { owners: [...owners], ownerData };
}
