import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Logger } from '@parley/observability';
import express, { type NextFunction, type Request, type Response } from 'express';
import {
  CACHE_IMMUTABLE,
  CACHE_REVALIDATE,
  classifyWebRequest,
  isHashedAsset,
  WEB_SECURITY_HEADERS,
} from './web-app-route';

/**
 * Serves the web app's production build at `/`, on the same origin as `/api/v1` and `/ws`:
 * hashed assets cached for a year, index.html (and other unhashed files) revalidated every time,
 * a strict Content-Security-Policy, and a fallback to index.html for client-side routes that never
 * covers `/api`, `/ws`, `/health` or `/metrics` (those, other methods and missing files fall through
 * to the API, which answers its coded 404). Without a build the gateway serves the API only.
 */
export function serveWebApp(app: NestExpressApplication, dir: string, logger: Logger): void {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) {
    logger.warn({ dir }, 'No web app build found: serving the API only (bash scripts/build.sh builds it)');
    return;
  }
  const files = express.static(dir, {
    index: false,
    redirect: false,
    dotfiles: 'ignore',
    fallthrough: true,
    setHeaders: (res: Response, path: string) => {
      const relative = path.slice(dir.length).replaceAll('\\', '/');
      res.setHeader('cache-control', isHashedAsset(relative) ? CACHE_IMMUTABLE : CACHE_REVALIDATE);
    },
  });
  app.use((req: Request, res: Response, next: NextFunction) => {
    const route = classifyWebRequest(req.method, req.path);
    if (route === 'pass') {
      next();
      return;
    }
    for (const [name, value] of Object.entries(WEB_SECURITY_HEADERS)) res.setHeader(name, value);
    if (route === 'file') {
      void files(req, res, next);
      return;
    }
    res.setHeader('cache-control', CACHE_REVALIDATE);
    res.sendFile(index, { headers: { 'content-type': 'text/html; charset=utf-8' }, lastModified: false }, (error) => {
      if (error) next(error);
    });
  });
  logger.info({ dir }, 'Serving the web app at /');
}
