import { posix } from 'node:path';

/**
 * What a GET outside `/api/` asks for: a file of the built web app, the app itself (any other
 * path: the single-page app routes it in the browser), or a missing file (a path that names a
 * file, e.g. `/assets/x.js`, must not be answered with index.html, or a stale page would run HTML
 * as a script).
 */
export type WebTarget = { kind: 'file'; path: string } | { kind: 'app' } | { kind: 'missing' };

/** Decides from the URL path and whether that file exists under the web app's directory. */
export function webTarget(urlPath: string, isFile: (relative: string) => boolean): WebTarget {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { kind: 'missing' };
  }
  // Normalised against '/', so '..' can never climb out of the web app's directory.
  const relative = posix.normalize(`/${decoded}`).slice(1);
  if (relative === '' || relative.endsWith('/')) return { kind: 'app' };
  if (isFile(relative)) return { kind: 'file', path: relative };
  const last = relative.split('/').at(-1) ?? '';
  return last.includes('.') ? { kind: 'missing' } : { kind: 'app' };
}
