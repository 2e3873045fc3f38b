/**
 * Bring up the namespace test network by hand and keep it until Ctrl-C,
 * for trying hopscope against a real multi-hop path:
 *   sudo npx tsx scripts/testnet.ts
 *   sudo ip netns exec <client-ns> ./bin/hopscope target.hopscope.test
 */
import { createTestNetwork, testNetworkUnavailableReason } from '../test/net/testNetwork';

const reason = testNetworkUnavailableReason();
if (reason) {
  console.error(`cannot build the test network: ${reason}`);
  process.exit(1);
}
const net = await createTestNetwork();
console.log(`client namespace: ${net.clientNs}`);
console.log(`target: ${net.target.name} ${net.target.v4} ${net.target.v6} (tcp ${net.target.openTcpPort} open)`);
console.log(`try: ip netns exec ${net.clientNs} ./bin/hopscope ${net.target.name}`);
const lifetimeMs = Number(process.env.TESTNET_SECONDS ?? 3600) * 1000;
const end = async () => {
  await net.destroy();
  process.exit(0);
};
process.on('SIGINT', end);
process.on('SIGTERM', end);
setTimeout(end, lifetimeMs);
