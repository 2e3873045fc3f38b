/**
 * A suggested file name from the renderer becomes only the default name in
 * a save dialog, but it still must not smuggle directories, control
 * characters or names Windows reserves. Pure.
 */
const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;
const MAX_BASE = 120;

export function safeFileName(suggested: string, extension: 'json' | 'png' | 'duckdb'): string {
  let base = '';
  for (const ch of suggested) {
    const code = ch.codePointAt(0) ?? 0;
    // Path separators, characters Windows forbids and control characters become '_'.
    base += code < 0x20 || code === 0x7f || '<>:"/\\|?*'.includes(ch) ? '_' : ch;
  }
  base = base
    .trim()
    .replace(/^\.+/, '')
    .replace(/[. ]+$/, '');
  const suffix = `.${extension}`;
  if (base.toLowerCase().endsWith(suffix)) base = base.slice(0, -suffix.length);
  base = base.slice(0, MAX_BASE).trim();
  if (base === '' || RESERVED.test(base)) base = `hopscope-${base || 'trace'}`;
  return base + suffix;
}
