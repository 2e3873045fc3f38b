import { Command, CommanderError } from 'commander';
import { APP_VERSION } from '@shared/appInfo';
import { addTraceFlags, UsageError, type RawFlags } from './options';

// Only commander and the flag definitions load up front, so --help and
// --version stay cheap; each command's action imports what it runs (zod, the
// engine, the formats) when it runs. New commands follow the same pattern.

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
