/**
 * Local routability pre-check. mtr-packet 0.95 crashes (SIGSEGV) on the first probe to a target behind
 * an `unreachable` route in this host's own table, so a session asks the kernel first: connecting a
 * UDP socket selects a route and a source address and sends no packet.
 */
import dgram from 'node:dgram';
import { ipVersionOf, isIpLiteral } from '@shared/probe';

export type RouteCheck =
  /** The kernel has a route; `source` is the address it would send from (null if it could not be read). */
  | { routable: true; source: string | null }
  | {
      routable: false;
      /**
       * `ENETUNREACH` / `EHOSTUNREACH` from the kernel; `EADDRNOTAVAIL` when the source address asked for is
       * not this machine's, `EINVAL` when the kernel will not send from it to there (127.0.0.1 to another
       * host); `other` for anything else (timeouts, odd errors).
       */
      code: 'ENETUNREACH' | 'EHOSTUNREACH' | 'EADDRNOTAVAIL' | 'EINVAL' | 'other';
      message: string;
    };

const UNREACHABLE_CODES = new Set(['ENETUNREACH', 'EHOSTUNREACH']);

/**
 * Ask the kernel whether `address` (an IP literal) is routable from here, from `localIp` when given: binding
 * to it fails unless it is this machine's (mtr-packet would send from it anyway and no reply could come
 * back, or answer address-not-available). Never throws.
 */
export function checkRoute(address: string, timeoutMs = 2000, localIp?: string): Promise<RouteCheck> {
  const version = ipVersionOf(address);
  if (version === null) {
    return Promise.resolve({ routable: false, code: 'other', message: `${String(address)} is not an IP address` });
  }
  return new Promise((resolve) => {
    let done = false;
    const socket = dgram.createSocket({
      type: version === 6 ? 'udp6' : 'udp4',
      // Both addresses it looks up are literals (this one and the wildcard it binds to): passing them
      // through keeps node:dns, which dgram's default lookup loads, out of a trace that resolves nothing.
      lookup: (literal, _options, callback) => callback(null, literal, version),
    });
    const finish = (result: RouteCheck) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      try {
        socket.close();
      } catch {
        // already closed
      }
      resolve(result);
    };
    const fail = (err: NodeJS.ErrnoException) => {
      const code = err.code ?? '';
      finish(
        UNREACHABLE_CODES.has(code)
          ? { routable: false, code: code as 'ENETUNREACH' | 'EHOSTUNREACH', message: 'Network is unreachable' }
          : code === 'EADDRNOTAVAIL'
            ? { routable: false, code, message: `${String(localIp)} is not an address of this machine` }
            : code === 'EINVAL' && localIp !== undefined
              ? { routable: false, code, message: `no packet can go from ${localIp} to ${address}` }
              : { routable: false, code: 'other', message: `route check failed: ${err.message}` },
      );
    };
    const timer = setTimeout(
      () => finish({ routable: false, code: 'other', message: 'route check timed out' }),
      timeoutMs,
    );
    socket.on('error', fail);
    // Port 9 (discard) is arbitrary: only routing matters.
    const connect = () => {
      try {
        socket.connect(9, address, (err?: Error) => {
          if (err) return fail(err);
          try {
            // Drop an IPv6 zone id; mtr-packet takes plain literals.
            const plain = socket.address().address.split('%')[0] ?? '';
            finish({ routable: true, source: isIpLiteral(plain, version) ? plain : null });
          } catch {
            finish({ routable: true, source: null });
          }
        });
      } catch (err) {
        fail(err as NodeJS.ErrnoException);
      }
    };
    try {
      if (localIp === undefined) connect();
      else socket.bind({ address: localIp, port: 0 }, connect);
    } catch (err) {
      fail(err as NodeJS.ErrnoException);
    }
  });
}
