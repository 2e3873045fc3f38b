import { Command, CommanderError, Option } from 'commander';
import { APP_VERSION } from '@shared/appInfo';
import type { AgentFlags } from './runAgent';
import type { ReportFlags } from './runReport';
import { addTraceFlags, UsageError, type RawFlags } from './options';

// Only commander and the flag definitions load up front, so --help and
// --version stay cheap; each command's action imports what it runs (zod, the
// engine, the formats) when it runs. New commands follow the same pattern.

const io = { stdout: process.stdout, stderr: process.stderr };

// `hopscope report FILE --json | head`: a reader that went away is not an error worth a stack trace (mtr and
// other Unix tools end quietly there too). Any other write error still surfaces.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

function usageFailure(message: string): never {
  process.stderr.write(`hopscope: ${message}\nTry 'hopscope --help' for the options.\n`);
  process.exit(2);
}

async function main(argv: string[]): Promise<number> {
  const program = new Command('hopscope')
    .description('Live traceroute built on mtr-packet, with mtr-compatible flags and output')
    .version(APP_VERSION, '-v, --version', "output the version number (mtr's -v)")
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, outputError: () => undefined });
  let exitCode = 0;

  addTraceFlags(program.command('trace', { isDefault: true }).description('trace the path to TARGET'))
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, outputError: () => undefined })
    .action(async (target: string, flags: RawFlags) => {
      const [{ toTraceRequest }, { runTrace }] = await Promise.all([import('./traceRequest'), import('./runTrace')]);
      exitCode = await runTrace(toTraceRequest(target, flags, Boolean(process.stdout.isTTY)), io);
    });

  program
    .command('check')
    .description('report whether mtr-packet is usable here, its version and supported protocols')
    .option('--mtr-packet <path>', 'path to the mtr-packet executable')
    .option('--json', 'print as JSON')
    .action(async (flags: { mtrPacket?: string; json?: boolean }) => {
      const { runCheck } = await import('./runCheck');
      exitCode = await runCheck(flags, io);
    });

  program
    .command('agent')
    .description('trace every target of a config continuously and serve Prometheus metrics')
    .requiredOption('--config <file>', 'YAML or JSON file listing the targets (reloaded on SIGHUP or change)')
    .option('--metrics-listen <addr:port>', 'where /metrics is served (default 127.0.0.1:9464)')
    .option('--mtr-packet <path>', 'path to the mtr-packet executable')
    .option('--no-watch', 'reload the config only on SIGHUP, not when the file changes')
    .option('--history <file>', 'record every session of every target in this history file (see hopscope report)')
    .option('--history-keep-days <days>', 'remove recorded sessions older than this, at start and daily (default 30)')
    .option('--view-listen <[addr:]port>', 'serve a read-only view of the sessions to the app (a bare port: loopback)')
    .option('--view-token-file <file>', "the view's token (mode 0600; created with a new token if missing)")
    .action(async (flags: AgentFlags) => {
      const { runAgent } = await import('./runAgent');
      exitCode = await runAgent(flags, io);
    });

  program
    .command('report')
    .description('print statistics for a time window of a session recorded with --record')
    .argument('<file>', 'history file written by hopscope trace --record')
    .option('--session <id>', 'session number (see --list) or id; default: the newest')
    .option('--from <time>', 'window start, included (ISO 8601 or Unix seconds)')
    .option('--to <time>', 'window end, excluded (ISO 8601 or Unix seconds)')
    .option('--list', 'list the recorded sessions with their size')
    .addOption(new Option('-r, --report', 'print an mtr-style report (the default)').conflicts(['json', 'csv']))
    .option('-w, --report-wide', 'report without truncating host names')
    .addOption(new Option('-j, --json', 'print the hopscope.trace JSON document').conflicts(['csv', 'report']))
    .addOption(new Option('-C, --csv', "print mtr's CSV columns").conflicts(['json', 'report']))
    .addOption(new Option('-x, --xml', "print mtr's XML report").conflicts(['json', 'csv', 'report']))
    .option('-b, --show-ips', 'show both host names and IP addresses')
    .option('--mtr-compat', "with --json, print mtr's own --json report shape; with -x, mtr's 0.1 ms figures")
    .action(async (file: string, flags: ReportFlags) => {
      const { runReport } = await import('./runReport');
      exitCode = await runReport(file, flags, io);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) return 0; // --help, --version
      usageFailure(err.message.replace(/^error: /, ''));
    }
    if (err instanceof UsageError) usageFailure(err.message);
    throw err;
  }
  return exitCode;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`hopscope: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
