/**
 * Which URLs may leave the app for the system browser: plain http(s) links
 * without credentials. Anything else (file:, javascript:, custom schemes
 * that launch other programs) is dropped.
 */
const MAX_URL_LENGTH = 2048;

export function isSafeExternalUrl(url: unknown): boolean {
  if (typeof url !== 'string' || url.length === 0 || url.length > MAX_URL_LENGTH) return false;
  // Control characters and spaces in a raw URL are a sign of smuggling, not a real link.
  for (let i = 0; i < url.length; i++) {
    const code = url.charCodeAt(i);
    if (code <= 0x20 || code === 0x7f) return false;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return false;
  if (parsed.username !== '' || parsed.password !== '') return false;
  return parsed.hostname.length > 0;
}
