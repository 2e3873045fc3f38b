/**
 * What the app's status bar says about mtr-packet: where it is, its version
 * and which probe features it supports, or why it is not available. Opening
 * the engine starts mtr-packet if nothing has yet.
 */
import type { ProbeEngine } from './probeEngine';
import { explainFailure } from './sessionErrors';
import { FEATURES, type Feature } from '@shared/probe';
import type { MtrPacketStatus } from '@shared/ipc';

export async function mtrPacketStatus(engine: ProbeEngine): Promise<MtrPacketStatus> {
  try {
    await engine.open();
  } catch (err) {
    return { available: false, path: null, version: null, features: {}, error: explainFailure(err) };
  }
  const client = engine.client;
  if (!client) {
    const error = {
      code: 'mtr-packet-crashed' as const,
      title: 'mtr-packet is restarting',
      detail: 'mtr-packet stopped unexpectedly and is being started again; ask again in a moment.',
    };
    return { available: false, path: null, version: null, features: {}, error };
  }
  const features: Partial<Record<Feature, boolean>> = {};
  try {
    for (const feature of FEATURES) {
      if (feature !== 'version') features[feature] = await client.checkSupport(feature);
    }
  } catch (err) {
    // It died while answering (closed its input, crashed): that is "not available", not a failed call.
    return {
      available: false,
      path: client.executablePath,
      version: client.version,
      features,
      error: explainFailure(err),
    };
  }
  return { available: true, path: client.executablePath, version: client.version, features };
}
