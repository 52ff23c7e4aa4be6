import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wav': 'audio/wav',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
};

/**
 * An `httpHandler` that serves static files: each key of `routes` is a URL path, each value a file
 * or a folder on disk (a folder serves its files under the path, `index.html` for the path itself).
 * Only GET and HEAD; paths that escape a folder are refused.
 *
 * @param routes - URL path → file or folder.
 * @returns a handler for {@link VoiceAgentServerOptions.httpHandler}.
 * @example
 * ```ts
 * createVoiceAgentServer({
 *   agents,
 *   httpHandler: serveStatic({ '/': './public', '/vendor/client.js': './node_modules/@elevenlabs/client/dist/lib.iife.js' }),
 * });
 * ```
 */
export function serveStatic(
  routes: Readonly<Record<string, string>>,
): (request: IncomingMessage, response: ServerResponse) => Promise<boolean> {
  const entries = Object.entries(routes)
    .map(
      ([path, target]) =>
        [path.endsWith('/') && path.length > 1 ? path.slice(0, -1) : path, resolve(target)] as const,
    )
    .sort((a, b) => b[0].length - a[0].length);
  return async (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    } catch {
      return false;
    }
    for (const [prefix, target] of entries) {
      const inside =
        prefix === '/' ? pathname.startsWith('/') : pathname === prefix || pathname.startsWith(`${prefix}/`);
      if (!inside) continue;
      const rest = prefix === '/' ? pathname.slice(1) : pathname.slice(prefix.length + 1);
      let file = rest === '' ? target : resolve(target, rest);
      if (file !== target && !file.startsWith(target + sep)) return false;
      try {
        let info = await stat(file);
        if (info.isDirectory()) {
          file = resolve(file, 'index.html');
          info = await stat(file);
        }
        if (!info.isFile()) continue;
        response.writeHead(200, {
          'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
          'Content-Length': info.size,
          'Cache-Control': 'no-cache',
        });
        if (request.method === 'HEAD') response.end();
        else createReadStream(file).pipe(response);
        return true;
      } catch {}
    }
    return false;
  };
}
