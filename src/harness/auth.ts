/**
 * The harness's per-run secret. Whoever holds it can run traceroutes from
 * this machine, so every HTTP request and WebSocket upgrade must carry it:
 * in the `token` query parameter (the printed URL) or in the HttpOnly,
 * SameSite=Strict cookie the first page load sets.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison; hashing first hides the length too. */
export function tokenMatches(candidate: string | null | undefined, token: string): boolean {
  if (typeof candidate !== 'string' || candidate.length === 0 || candidate.length > 512) return false;
  const a = createHash('sha256').update(candidate).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b);
}

/** Cookies are not isolated by port, so the name carries it: two harnesses never clobber each other. */
export function cookieName(port: number): string {
  return `hopscope_token_${port}`;
}

export function readCookie(req: IncomingMessage, name: string): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

export function sessionCookie(name: string, token: string): string {
  return `${name}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

export function isLoopbackHost(host: string): boolean {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** `host:port` as a URL and a Host header write it (IPv6 in brackets). */
export function hostWithPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * `Host` header values that may reach a loopback-bound harness (a DNS-rebinding
 * guard): the usual loopback names, and the address it listens on (`--host 127.0.0.2`).
 */
export function allowedHostHeaders(port: number, listenHost: string): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, hostWithPort(listenHost, port)]);
}
