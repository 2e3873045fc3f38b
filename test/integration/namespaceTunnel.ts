/**
 * A TCP port on the host that reaches a port on the test network's client
 * namespace loopback, as `ssh -L` would: a relay inside the namespace takes
 * connections on a Unix socket (sockets in the file system cross network
 * namespaces) and opens the namespace port; the host side listens on
 * 127.0.0.1 and hands each connection to that socket. Every connection is
 * opened afresh, so a restarted service behind it is reached again.
 */
import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestNetwork } from '../net/testNetwork';
import { run, until, type Running } from './agentProcess';

const RELAY_SCRIPT = `
const net = require('node:net');
const [path, port] = process.argv.slice(1);
net.createServer((c) => {
  const t = net.connect(Number(port), '127.0.0.1');
  c.pipe(t); t.pipe(c);
  c.on('error', () => t.destroy()); t.on('error', () => c.destroy());
  c.on('close', () => t.destroy()); t.on('close', () => c.destroy());
}).listen(path);
`;

export interface NamespaceTunnel {
  /** 127.0.0.1:PORT on the host. */
  address: string;
  close(): Promise<void>;
}

function splice(a: Socket, b: Socket): void {
  a.pipe(b);
  b.pipe(a);
  a.on('error', () => b.destroy());
  b.on('error', () => a.destroy());
  a.on('close', () => b.destroy());
  b.on('close', () => a.destroy());
}

export async function tunnelInto(net: TestNetwork, namespacePort: number): Promise<NamespaceTunnel> {
  const dir = mkdtempSync(join(tmpdir(), 'hopscope-tunnel-'));
  const path = join(dir, 'relay.sock');
  const relay: Running = run([...net.clientPrefix, process.execPath, '-e', RELAY_SCRIPT, path, String(namespacePort)]);
  await until('the namespace relay', async () => (existsSync(path) ? true : undefined), 10_000);
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    splice(client, createConnection(path));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await relay.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
