/**
 * The harness as the e2e tests run it: on the host, with mtr-packet, name
 * lookups and the route pre-check all inside the test network's client
 * namespace. The route check must be asked there: on the host it would
 * consult the host's table, and a machine without a default route would
 * fail every trace with "Network is unreachable".
 */
import { join, resolve } from 'node:path';
import { startHarness, type Harness, type HarnessOptions } from '../../src/harness/server';
import { namespaceResolvers } from '../net/namespaceResolvers';
import { namespaceRouteLookup } from '../net/namespaceRouteLookup';
import type { TestNetwork } from '../net/testNetwork';

const RENDERER_DIR = join(resolve(__dirname, '../..'), 'out/renderer');

/** Start the built renderer's harness on a fresh service bound to `net`'s client namespace. */
export function startNamespaceHarness(
  net: TestNetwork,
  extra: Pick<HarnessOptions, 'orphanGraceMs' | 'host' | 'enrichment' | 'historyPath'> = {},
): Promise<Harness> {
  return startHarness({
    rendererDir: RENDERER_DIR,
    mtrPacketPath: net.mtrPacketPath,
    resolvers: namespaceResolvers(net),
    routeLookup: namespaceRouteLookup(net),
    ...extra,
  });
}
