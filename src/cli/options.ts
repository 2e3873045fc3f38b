import { Command, Option } from 'commander';
import type { TraceOptions } from '@shared/traceOptions';
import { DEFAULT_SAMPLES_PER_HOP } from '@shared/limits';
import type { OwnerColumn } from '@shared/formats/ownerColumns';

export type OutputMode = 'live' | 'report' | 'json' | 'csv' | 'xml' | 'raw' | 'split';

export interface CliTraceRequest {
  options: TraceOptions;
  output: OutputMode;
  mtrCompat: boolean;
  wide: boolean;
  showIps: boolean;
  /** `-e`: MPLS labels where mtr shows them (the report always has them; --mtr-compat and -l only with -e). */
  mpls?: boolean;
  mtrPacketPath: string | undefined;
  /** `-o`: mtr's field letters for the report, XML and CSV columns; absent means mtr's default. */
  fields?: string;
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

interface RawFlags {
  count?: string;
  reportCycles?: string;
  curses?: boolean;
  filename?: string;
  gtk?: boolean;
  displaymode?: string;
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
  gracetime?: string;
  maxUnknown?: string;
  psize?: string;
  bitpattern?: string;
  tos?: string;
  mark?: string;
  address?: string;
  interface?: string;
  localport?: string;
  dns: boolean;
  json?: boolean;
  csv?: boolean;
  xml?: boolean;
  raw?: boolean;
  split?: boolean;
  report?: boolean;
  reportWide?: boolean;
  showIps?: boolean;
  mpls?: boolean;
  order?: string;
  mtrCompat?: boolean;
  mtrPacket?: string;
  buffer?: string;
  record?: string;
  aslookup?: boolean;
  ipinfo?: string;
  asnDb?: string;
  geoDb?: string;
}

/**
 * The trace command's flags, mtr's letters where mtr has one. Hidden at the end: mtr's other spellings
 * (--report-cycles is -c, -t the live view) and the mtr flags refused with their reason (traceRequest.ts).
 */
export function addTraceFlags(cmd: Command): Command {
  return cmd
    .argument('<target>', 'host name, IPv4 or IPv6 address to trace')
    .option(
      '-c, --count <rounds>',
      `rounds to send (default: ${DEFAULT_REPORT_COUNT} in report/json/csv/xml/raw, unlimited live and split)`,
    )
    .option('-i, --interval <seconds>', 'seconds between rounds (default: 1, minimum 0.05)')
    .addOption(new Option('-u, --udp', 'use UDP probes').conflicts(['tcp', 'sctp']))
    .addOption(new Option('-T, --tcp', 'use TCP SYN probes').conflicts(['udp', 'sctp']))
    .addOption(new Option('-S, --sctp', 'use SCTP probes').conflicts(['udp', 'tcp']))
    .option('-P, --port <port>', 'destination port for UDP, TCP or SCTP')
    .option('-f, --first-ttl <ttl>', 'first TTL to probe (default: 1)')
    .option('-m, --max-ttl <ttl>', 'maximum TTL (default: 30)')
    .addOption(new Option('-4, --ipv4', 'use IPv4 only').conflicts('ipv6'))
    .addOption(new Option('-6, --ipv6', 'use IPv6 only').conflicts('ipv4'))
    .option('-Z, --timeout <seconds>', 'seconds to wait for each probe (default: 10)')
    .option(
      '-G, --gracetime <seconds>',
      'with -c: wait at most this long for replies after the last round (default: no limit but the timeouts)',
    )
    .option(
      '-U, --max-unknown <n>',
      "later rounds stop one TTL past more than n TTLs that never answered, as mtr's -U (default: 5 past the last answer)",
    )
    .option('-s, --psize <bytes>', 'packet size in bytes (whole IP packet)')
    .option('-B, --bitpattern <0-255>', 'byte used to fill the payload')
    .option('-Q, --tos <0-255>', 'type of service / DSCP byte (decimal or 0x hex)')
    .option('-M, --mark <mark>', 'Linux socket mark (SO_MARK) for policy routing')
    .addOption(new Option('-a, --address <ip>', 'source IP address to send from').conflicts('interface'))
    .option(
      '-I, --interface <name>',
      "send from this interface's address (as mtr: the source address, routed as usual)",
    )
    .option('-L, --localport <port>', 'source port, 1024-65535 (UDP/TCP; with -P gives one fixed, Paris-style flow)')
    .option('-n, --no-dns', 'do not resolve host names')
    .option('-b, --show-ips', 'show both host names and IP addresses')
    .option('-e, --mpls', 'MPLS labels (RFC 4950) as mtr shows them: also with --mtr-compat, and as m lines in -l')
    .option(
      '-o, --order <fields>',
      'mtr\'s columns in order, e.g. "LSD NBAW" (default: "LS NABWV"; letters: LDRSNBAWVGJMXI)',
    )
    .option('--buffer <samples>', `raw samples kept per hop (default: ${DEFAULT_SAMPLES_PER_HOP})`)
    .addOption(new Option('-r, --report', 'print an mtr-style report when done').conflicts(['json', 'csv']))
    .option('-w, --report-wide', 'report without truncating host names')
    .addOption(new Option('-j, --json', 'print the hopscope.trace JSON document').conflicts(['csv', 'report']))
    .addOption(new Option('-C, --csv', "print mtr's CSV columns").conflicts(['json', 'report']))
    .addOption(new Option('-x, --xml', "print mtr's XML report").conflicts(['json', 'csv', 'report']))
    .addOption(
      new Option('-l, --raw', "print mtr's raw format: every probe and reply as it happens").conflicts([
        'json',
        'csv',
        'xml',
        'report',
      ]),
    )
    .addOption(
      new Option('-p, --split', "print mtr's split format: a line per hop each time it changes").conflicts([
        'json',
        'csv',
        'xml',
        'raw',
        'report',
      ]),
    )
    .option('--mtr-compat', 'print exactly what mtr prints: its --json shape, its CSV rows, its -r and -x figures')
    .option('--mtr-packet <path>', 'path to the mtr-packet executable (default: $MTR_PACKET, then PATH)')
    .option('--record <file>', "also record every sample to a history file (read it with 'hopscope report')")
    .option('-z, --aslookup', "show each hop's AS number (offline data; no query leaves the machine)")
    .option('-y, --ipinfo <n>', 'show 0: the AS number (as -z), 2: the country; with -z both (offline data)')
    .option('--asn-db <file>', 'AS ranges CSV (first,last,AS number,organisation) asked before the shipped data')
    .option('--geo-db <file>', 'country mmdb database asked before the shipped data')
    .addOption(new Option('--report-cycles <rounds>', 'same as -c').hideHelp())
    .addOption(new Option('-t, --curses', 'the live view (the default on a terminal)').hideHelp())
    .addOption(new Option('-F, --filename <file>').hideHelp())
    .addOption(new Option('-g, --gtk').hideHelp())
    .addOption(new Option('--displaymode <mode>').hideHelp());
}

export type { RawFlags };
