import { MtrPacketClient } from '../main/mtr/client';
import { explainFailure } from '../main/service/sessionErrors';
import { FEATURES, type Feature } from '@shared/probe';
import { formatUserError, type CliIo } from './cliOutput';

/** `hopscope check`: can this machine trace, and with what. */
export async function runCheck(flags: { mtrPacket?: string; json?: boolean }, io: CliIo): Promise<number> {
  const client = new MtrPacketClient(flags.mtrPacket ? { path: flags.mtrPacket } : {});
  try {
    await client.open();
  } catch (err) {
    const error = explainFailure(err);
    if (flags.json) io.stdout.write(JSON.stringify({ available: false, error }, null, 2) + '\n');
    else io.stderr.write(formatUserError(error));
    return 1;
  }
  try {
    const features: Partial<Record<Feature, boolean | string>> = {};
    for (const feature of FEATURES) features[feature] = await client.checkSupport(feature);
    const report = { available: true, path: client.executablePath, version: client.version, features };
    if (flags.json) {
      io.stdout.write(JSON.stringify(report, null, 2) + '\n');
    } else {
      io.stdout.write(`mtr-packet ${client.version ?? '?'} at ${client.executablePath}\n`);
      for (const feature of FEATURES.filter((f) => f !== 'version')) {
        io.stdout.write(`  ${feature.padEnd(5)} ${features[feature] ? 'yes' : 'no'}\n`);
      }
    }
    return 0;
  } finally {
    await client.close();
  }
}
