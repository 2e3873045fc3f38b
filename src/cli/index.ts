import { Command, CommanderError } from 'commander';
import { APP_VERSION } from '@shared/appInfo';
import { addTraceFlags, toTraceRequest, UsageError, type RawFlags } from './options';
import { runTrace } from './runTrace';
import { runCheck } from './runCheck';
import { runAgent, type AgentFlags } from './runAgent';

const io = { stdout: process.stdout, stderr: process.stderr };

function usageFailure(message: string): never {
  process.stderr.write(`hopscope: ${message}\nTry 'hopscope --help' for the options.\n`);
  process.exit(2);
}

async function main(argv: string[]): Promise<number> {
  const program = new Command('hopscope')
    .description('Live traceroute built on mtr-packet, with mtr-compatible flags and output')
    .version(APP_VERSION)
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, outputError: () => undefined });
  let exitCode = 0;

  addTraceFlags(program.command('trace', { isDefault: true }).description('trace the path to TARGET'))
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, outputError: () => undefined })
    .action(async (target: string, flags: RawFlags) => {
      const request = toTraceRequest(target, flags, Boolean(process.stdout.isTTY));
      exitCode = await runTrace(request, io);
    });

  program
    .command('check')
    .description('report whether mtr-packet is usable here, its version and supported protocols')
    .option('--mtr-packet <path>', 'path to the mtr-packet executable')
    .option('--json', 'print as JSON')
    .action(async (flags: { mtrPacket?: string; json?: boolean }) => {
      exitCode = await runCheck(flags, io);
    });

  program
    .command('agent')
    .description('trace every target of a config continuously and serve Prometheus metrics')
    .requiredOption('--config <file>', 'YAML or JSON file listing the targets (reloaded on SIGHUP or change)')
    .option('--metrics-listen <addr:port>', 'where /metrics is served (default 127.0.0.1:9464)')
    .option('--mtr-packet <path>', 'path to the mtr-packet executable')
    .option('--no-watch', 'reload the config only on SIGHUP, not when the file changes')
    .action(async (flags: AgentFlags) => {
      exitCode = await runAgent(flags, io);
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
