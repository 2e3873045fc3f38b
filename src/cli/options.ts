import { Command, Option } from 'commander';
import { traceOptionsSchema, type TraceOptions, type TraceOptionsInput } from '@shared/traceOptions';
import { firstSchemaProblem } from '@shared/schemaProblem';
import { DEFAULT_SAMPLES_PER_HOP } from '@shared/limits';
import type { OwnerColumn } from '@shared/formats/ownerColumns';

export type OutputMode = 'live' | 'report' | 'json' | 'csv';

export interface CliTraceRequest {
  options: TraceOptions;
  output: OutputMode;
  mtrCompat: boolean;
  wide: boolean;
  showIps: boolean;
  mtrPacketPath: string | undefined;
  /** `--record FILE`: also write every sample to this history file. */
  recordPath: string | undefined;
  /** `-z` / `-y`: owner columns to show; none (absent or empty) means no owner data is loaded at all. */
  owners?: OwnerColumn[];
  /** `--asn-db` / `--geo-db`: the user's databases, consulted before the shipped ones. */
  ownerData?: { asnDb?: string; geoDb?: string };
}

/** A bad command line: exit 2 with this one line. */
export class UsageError extends Error {}

/** mtr's report mode sends 10 rounds unless told otherwise. */
export const DEFAULT_REPORT_COUNT = 10;

/** How each trace option is spelled on the command line, for error messages. */
const FLAG_OF: Partial<Record<keyof TraceOptionsInput, string>> = {
  target: 'TARGET',
  count: '-c/--count',
  intervalSec: '-i/--interval',
  protocol: '-u/-T/--sctp',
  port: '-P/--port',
  firstTtl: '-f/--first-ttl',
  maxTtl: '-m/--max-ttl',
  timeoutSec: '--timeout',
  size: '-s/--psize',
  bitPattern: '-B/--bitpattern',
  tos: '-Q/--tos',
  mark: '-M/--mark',
  localIp: '-a/--address',
  localPort: '-L/--localport',
  ipVersion: '-4/-6',
  sampleBufferSize: '--buffer',
};

interface RawFlags {
  count?: string;
  interval?: string;
  udp?: boolean;
  tcp?: boolean;
  sctp?: boolean;
  port?: string;
  firstTtl?: string;
  maxTtl?: string;
  ipv4?: boolean;
  ipv6?: boolean;
  timeout?: string;
  psize?: string;
  bitpattern?: string;
  tos?: string;
  mark?: string;
  address?: string;
  localport?: string;
  dns: boolean;
  json?: boolean;
  csv?: boolean;
  report?: boolean;
  reportWide?: boolean;
  showIps?: boolean;
  mtrCompat?: boolean;
  mtrPacket?: string;
  buffer?: string;
  record?: string;
  aslookup?: boolean;
  ipinfo?: string;
  asnDb?: string;
  geoDb?: string;
}

/** Strict numbers: "10", "0.5", "0x10" (for tos and friends, as mtr allows); never "10abc" or "". */
function toNumber(flag: string, raw: string | undefined, allowHex = false): number | undefined {
  if (raw === undefined) return undefined;
  const text = raw.trim();
  if (allowHex && /^0x[0-9a-f]+$/i.test(text)) return parseInt(text, 16);
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(text)) {
    throw new UsageError(`${flag} must be a number, got ${JSON.stringify(raw)}`);
  }
  return Number(text);
}

export function addTraceFlags(cmd: Command): Command {
  return cmd
    .argument('<target>', 'host name, IPv4 or IPv6 address to trace')
    .option(
      '-c, --count <rounds>',
      `rounds to send (default: ${DEFAULT_REPORT_COUNT} in report/json/csv, unlimited live)`,
    )
    .option('-i, --interval <seconds>', 'seconds between rounds (default: 1, minimum 0.05)')
    .addOption(new Option('-u, --udp', 'use UDP probes').conflicts(['tcp', 'sctp']))
    .addOption(new Option('-T, --tcp', 'use TCP SYN probes').conflicts(['udp', 'sctp']))
    .addOption(new Option('--sctp', 'use SCTP probes').conflicts(['udp', 'tcp']))
    .option('-P, --port <port>', 'destination port for UDP, TCP or SCTP')
    .option('-f, --first-ttl <ttl>', 'first TTL to probe (default: 1)')
    .option('-m, --max-ttl <ttl>', 'maximum TTL (default: 30)')
    .addOption(new Option('-4, --ipv4', 'use IPv4 only').conflicts('ipv6'))
    .addOption(new Option('-6, --ipv6', 'use IPv6 only').conflicts('ipv4'))
    .option('--timeout <seconds>', 'seconds to wait for each probe (default: 10)')
    .option('-s, --psize <bytes>', 'packet size in bytes (whole IP packet)')
    .option('-B, --bitpattern <0-255>', 'byte used to fill the payload')
    .option('-Q, --tos <0-255>', 'type of service / DSCP byte (decimal or 0x hex)')
    .option('-M, --mark <mark>', 'Linux socket mark (SO_MARK) for policy routing')
    .option('-a, --address <ip>', 'source IP address to send from')
    .option('-L, --localport <port>', 'source port (UDP/TCP; with -P gives one fixed, Paris-style flow)')
    .option('-n, --no-dns', 'do not resolve host names')
    .option('-b, --show-ips', 'show both host names and IP addresses')
    .option('--buffer <samples>', `raw samples kept per hop (default: ${DEFAULT_SAMPLES_PER_HOP})`)
    .addOption(new Option('-r, --report', 'print an mtr-style report when done').conflicts(['json', 'csv']))
    .option('-w, --report-wide', 'report without truncating host names')
    .addOption(new Option('--json', 'print the hopscope.trace JSON document').conflicts(['csv', 'report']))
    .addOption(new Option('--csv', "print mtr's CSV columns").conflicts(['json', 'report']))
    .option('--mtr-compat', 'print exactly what mtr prints: its --json shape, its CSV rows, its -r text')
    .option('--mtr-packet <path>', 'path to the mtr-packet executable (default: $MTR_PACKET, then PATH)')
    .option('--record <file>', "also record every sample to a history file (read it with 'hopscope report')")
    .option('-z, --aslookup', "show each hop's AS number (offline data; no query leaves the machine)")
    .option('-y, --ipinfo <n>', 'show 0: the AS number (as -z), 2: the country; with -z both (offline data)')
    .option('--asn-db <file>', 'AS ranges CSV (first,last,AS number,organisation) asked before the shipped data')
    .option('--geo-db <file>', 'country mmdb database asked before the shipped data');
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

/** Turn parsed flags into validated engine options, or throw a UsageError naming the flag. */
export function toTraceRequest(target: string, flags: RawFlags, stdoutIsTty: boolean): CliTraceRequest {
  const output: OutputMode = flags.json
    ? 'json'
    : flags.csv
      ? 'csv'
      : flags.report || flags.reportWide || !stdoutIsTty
        ? 'report'
        : 'live';
  // Explicit flags only: a piped run defaults to a report, but --mtr-compat alone must still be a mistake.
  if (flags.mtrCompat && !(flags.json || flags.csv || flags.report || flags.reportWide))
    throw new UsageError('--mtr-compat goes with --json, --csv or -r/--report');

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
    ['timeoutSec', '--timeout', flags.timeout],
    ['size', '-s/--psize', flags.psize],
    ['bitPattern', '-B/--bitpattern', flags.bitpattern, true],
    ['tos', '-Q/--tos', flags.tos, true],
    ['mark', '-M/--mark', flags.mark, true],
    ['localPort', '-L/--localport', flags.localport],
    ['sampleBufferSize', '--buffer', flags.buffer],
  ];
  const record = input as Record<string, unknown>;
  for (const [key, flag, raw, hex] of numbers) {
    const value = toNumber(flag, raw, hex);
    if (value !== undefined) record[key] = value;
  }
  if (input.count === undefined && output !== 'live') input.count = DEFAULT_REPORT_COUNT;
  if (flags.address !== undefined) input.localIp = flags.address;
  if (flags.ipv4) input.ipVersion = 4;
  if (flags.ipv6) input.ipVersion = 6;

  const parsed = traceOptionsSchema.safeParse(input);
  if (!parsed.success) {
    const problem = firstSchemaProblem(parsed.error);
    const key = problem.field.split(/[.[]/)[0] as keyof TraceOptionsInput;
    const flag = key ? (FLAG_OF[key] ?? key) : 'options';
    throw new UsageError(`${flag}: ${problem.message}`);
  }
  return {
    options: parsed.data,
    output,
    mtrCompat: Boolean(flags.mtrCompat),
    wide: Boolean(flags.reportWide),
    showIps: Boolean(flags.showIps),
    mtrPacketPath: flags.mtrPacket,
    recordPath: flags.record,
    ...toOwnerRequest(flags),
  };
}

export type { RawFlags };
