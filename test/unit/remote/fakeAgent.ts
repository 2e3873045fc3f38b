/**
 * A scripted agent view on loopback for the remote-view tests: it says hello,
 * answers calls from a table (a value, or raw text to send as is), and lets
 * a test push any message, well-formed or hostile. The real agent cannot be
 * made to misbehave; this one exists for exactly that.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** A value, raw text sent as is, or a refusal (`forbidden` unless another code is given). */
export type Answer = { value: unknown } | { raw: string } | { error: string; code?: string };

export interface FakeAgent {
  address: string;
  /** Calls received, by name, in order. */
  calls: string[];
  /** Their payloads, in the same order. */
  payloads: unknown[];
  connections: number;
  answers: Map<string, Answer>;
  /** Send to every connected viewer. */
  push(message: unknown): void;
  pushRaw(data: string | Buffer): void;
  /** Drop every viewer (the agent went away), without closing the server. */
  dropAll(): void;
  close(): Promise<void>;
}

export async function startFakeAgent(token: string): Promise<FakeAgent> {
  const server: Server = createServer();
  const wss = new WebSocketServer({ noServer: true });
  const sockets = new Set<WebSocket>();
  const fake: FakeAgent = {
    address: '',
    calls: [],
    payloads: [],
    connections: 0,
    answers: new Map([['listSessions', { value: [] }]]),
    push: (message) => sockets.forEach((s) => s.send(JSON.stringify(message))),
    pushRaw: (data) => sockets.forEach((s) => s.send(data)),
    dropAll: () => sockets.forEach((s) => s.terminate()),
    close: async () => {
      sockets.forEach((s) => s.terminate());
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  server.on('upgrade', (req, socket, head) => {
    if (req.headers.authorization !== `Bearer ${token}`) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      fake.connections++;
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.send(JSON.stringify({ t: 'hello', platform: 'linux', view: 'agent', readOnly: true }));
      ws.on('message', (data) => {
        const { id, name, payload } = JSON.parse(String(data)) as { id: number; name: string; payload?: unknown };
        fake.calls.push(name);
        fake.payloads.push(payload);
        const answer = fake.answers.get(name) ?? { error: 'not scripted' };
        if ('raw' in answer) return ws.send(answer.raw);
        const result =
          'value' in answer
            ? { ok: true, value: answer.value }
            : { ok: false, error: { code: answer.code ?? 'forbidden', message: answer.error } };
        ws.send(JSON.stringify({ t: 'result', id, result }));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
