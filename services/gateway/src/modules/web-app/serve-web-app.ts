import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '@parley/observability';
import {
  CACHE_IMMUTABLE,
  CACHE_REVALIDATE,
  classifyWebRequest,
  fileValidators,
  isHashedAsset,
  isNotModified,
  WEB_SECURITY_HEADERS,
} from './web-app-route';

/** The media types a Vite build holds; anything else is sent as bytes. */
const MEDIA_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.wav': 'audio/wav',
};

/**
 * Serves the web app's production build at `/`, on the same origin as `/api/v1` and `/ws`:
 * hashed assets cached for a year, index.html (and other unhashed files) revalidated every time
 * (ETag and Last-Modified on every file, 304 to a matching If-None-Match or If-Modified-Since),
 * a strict Content-Security-Policy, and a fallback to index.html for client-side routes that never
 * covers `/api`, `/ws`, `/health` or `/metrics` (those, other methods and missing files fall through
 * to the API, which answers its coded 404). Without a build the gateway serves the API only.
 * A Fastify `onRequest` hook, before routing: files are read from the build folder only (a path
 * with `..`, a dot-file or a NUL byte is never a file of the build).
 */
export function serveWebApp(app: NestFastifyApplication, dir: string, logger: Logger): void {
  const root = resolve(dir);
  const index = join(root, 'index.html');
  if (!existsSync(index)) {
    logger.warn({ dir }, 'No web app build found: serving the API only (bash scripts/build.sh builds it)');
    return;
  }
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) => {
      const query = request.url.indexOf('?');
      const path = query === -1 ? request.url : request.url.slice(0, query);
      const route = classifyWebRequest(request.method, path);
      const file = route === 'file' ? buildFile(root, path) : route === 'page' ? index : undefined;
      if (file === undefined) {
        done();
        return;
      }
      const cache = route === 'file' && isHashedAsset(path) ? CACHE_IMMUTABLE : CACHE_REVALIDATE;
      send(request, reply, file, file === index, cache);
    });
  logger.info({ dir }, 'Serving the web app at /');
}

/** The file of the build a URL path names, if it exists (decoded, confined to the build folder). */
function buildFile(root: string, path: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return undefined;
  }
  const segments = decoded.split(/[/\\]/);
  if (decoded.includes('\0') || segments.some((segment) => segment === '..' || segment.startsWith('.'))) {
    return undefined;
  }
  const file = resolve(root, `.${decoded}`);
  if (!file.startsWith(`${root}${sep}`)) return undefined;
  try {
    return statSync(file).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The file with its validators (ETag, Last-Modified); a client whose copy is current gets 304 with
 * no body (index.html included, so a reload costs no download while the build is unchanged).
 */
function send(request: FastifyRequest, reply: FastifyReply, file: string, isIndex: boolean, cache: string): void {
  const stats = statSync(file);
  const validators = fileValidators(stats.size, stats.mtimeMs);
  reply.headers(WEB_SECURITY_HEADERS);
  reply.header('cache-control', cache);
  reply.header('etag', validators.etag);
  reply.header('last-modified', validators.lastModified);
  const { 'if-none-match': ifNoneMatch, 'if-modified-since': ifModifiedSince } = request.headers;
  if (isNotModified(ifNoneMatch, ifModifiedSince, validators)) {
    void reply.code(304).send();
    return;
  }
  reply.type(MEDIA_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream');
  if (isIndex) {
    void reply.send(readFileSync(file));
    return;
  }
  reply.header('content-length', stats.size);
  void reply.send(createReadStream(file));
}
