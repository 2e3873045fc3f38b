/**
 * The Content-Security-Policy sent as a response header by the app://
 * protocol and the browser harness. It repeats the meta CSP of
 * src/renderer/index.html (a unit test keeps the two in step), except the
 * header-only directives; browsers enforce both, so the stricter of each
 * directive wins. connect-src is
 * 'self' only: in CSP3 'self' also covers ws: to the same host and port,
 * which is all the harness client needs.
 */
export const CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  // The graph and the UI set style attributes; no remote styles.
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

/**
 * Directives a `<meta>` policy cannot carry: Chromium ignores them there and
 * logs a console error on every load. They live in the header alone.
 */
export const HEADER_ONLY_DIRECTIVES: readonly string[] = ['frame-ancestors'];

export const CONTENT_SECURITY_POLICY = Object.entries(CSP_DIRECTIVES)
  .map(([name, values]) => `${name} ${values.join(' ')}`)
  .join('; ');

/** Parse a policy string into directive → values (lower-cased names). */
export function parseCsp(policy: string): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) result.set(name.toLowerCase(), values);
  }
  return result;
}

/** Headers every served document and asset gets, here and in the harness. */
export function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
    'Cache-Control': 'no-store',
  };
}
