/**
 * Mapping request paths to files of the built renderer, shared by the
 * app:// protocol handler and the harness HTTP server. Requests can never
 * escape the renderer directory.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeFor(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file under `root` a URL pathname names, or null when the path is
 * malformed or points outside `root`. "/" means index.html.
 */
export function resolveAssetPath(root: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  // NUL and backslashes have no business in our asset names (backslash is a separator on Windows).
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const relativePath = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const base = resolve(root);
  const full = resolve(base, relativePath);
  const rel = relative(base, full);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) return null;
  return full;
}

export interface Asset {
  body: Buffer;
  contentType: string;
}

/** Whether `path` lies inside `root` (both already resolved). */
function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/**
 * Read an asset; null when it does not exist, is not a regular file, or is
 * a symbolic link (itself or through a folder) to somewhere outside `root`.
 */
export async function readAsset(root: string, pathname: string): Promise<Asset | null> {
  const path = resolveAssetPath(root, pathname);
  if (!path) return null;
  try {
    // The name stays inside root; the file it really is must too.
    const [realRoot, realPath] = await Promise.all([realpath(root), realpath(path)]);
    if (!isInside(realRoot, realPath)) return null;
    if (!(await stat(realPath)).isFile()) return null;
    return { body: await readFile(realPath), contentType: contentTypeFor(path) };
  } catch {
    return null;
  }
}
