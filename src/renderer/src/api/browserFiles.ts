/**
 * How the browser harness saves and opens files: a download for saving,
 * a file input for opening. No paths ever reach the engine.
 */

/** Keep the name the page suggested, minus anything a file system would choke on, with the right extension. */
export function downloadName(suggested: string, extension: 'json' | 'png' | 'duckdb'): string {
  let base = '';
  for (const ch of suggested) {
    const code = ch.codePointAt(0) ?? 0;
    base += code < 0x20 || code === 0x7f || '<>:"/\\|?*'.includes(ch) ? '_' : ch;
  }
  base = base.trim().replace(/^\.+/, '');
  const suffix = `.${extension}`;
  if (base.toLowerCase().endsWith(suffix)) base = base.slice(0, -suffix.length);
  base = base.slice(0, 120).trim();
  return (base || 'hopscope') + suffix;
}

export function downloadBlob(blob: Blob, fileName: string, doc: Document = document): void {
  const href = URL.createObjectURL(blob);
  const link = doc.createElement('a');
  link.href = href;
  link.download = fileName;
  link.rel = 'noopener';
  link.hidden = true;
  doc.body.append(link);
  link.click();
  link.remove();
  // The download has started by now; the delay only guards slow browsers.
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}

export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Ask the user for one file; null when the picker is dismissed. */
export function pickFile(accept: string, doc: Document = document): Promise<File | null> {
  return new Promise((resolve) => {
    const input = doc.createElement('input');
    input.type = 'file';
    input.accept = accept;
    input.hidden = true;
    const finish = (file: File | null) => {
      input.remove();
      resolve(file);
    };
    input.addEventListener('change', () => finish(input.files?.[0] ?? null), { once: true });
    input.addEventListener('cancel', () => finish(null), { once: true });
    doc.body.append(input);
    input.click();
  });
}
