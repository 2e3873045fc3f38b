import dgram from 'node:dgram';
import { ipVersionOf, isIpLiteral } from '@shared/probe';

/**
 * The source address the kernel would pick for `destination`, or null if there is no route.
 * Connecting a UDP socket only selects a route and source; it sends no packet.
 */
export function findSourceAddress(destination: string, timeoutMs = 2000): Promise<string | null> {
  const version = ipVersionOf(destination);
  if (version === null) return Promise.resolve(null);
  return new Promise((resolve) => {
    let done = false;
    const socket = dgram.createSocket(version === 6 ? 'udp6' : 'udp4');
    const finish = (address: string | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      try {
        socket.close();
      } catch {
        // already closed
      }
      resolve(address);
    };
    const timer = setTimeout(() => finish(null), timeoutMs);
    socket.on('error', () => finish(null));
    try {
      // Port 9 (discard) is arbitrary: only routing matters.
      socket.connect(9, destination, () => {
        try {
          const { address } = socket.address();
          // Drop an IPv6 zone id; mtr-packet takes plain literals.
          const plain = address.split('%')[0] ?? '';
          finish(isIpLiteral(plain, version) ? plain : null);
        } catch {
          finish(null);
        }
      });
    } catch {
      finish(null);
    }
  });
}
