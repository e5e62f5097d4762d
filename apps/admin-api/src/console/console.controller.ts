import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import { ApiExcluded } from '@hookline/service-kit';
import type { Response } from 'express';
import { existsSync, statSync } from 'node:fs';
import { join, normalize, sep } from 'node:path';

export const CONSOLE_DIR = Symbol('CONSOLE_DIR');

/**
 * The console's pages may load only what admin-api itself serves: no inline
 * script or style, no eval, no other origin, never framed. The API key lives in
 * the page's memory and session storage, so an injected script is what this
 * policy exists to stop.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONSOLE_CSP,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
};

/** Where the console's build is: HOOKLINE_CONSOLE_DIR, or apps/console/dist of this checkout (from src/ or dist/ alike). */
export function consoleDirectory(configured: string | undefined): string {
  return configured ?? join(__dirname, '..', '..', '..', 'console', 'dist');
}

/**
 * `/console`: the web console, static files built by `npm run build`
 * (apps/console). Hashed assets are cached for good; any other path is the
 * app's own route and gets index.html, never cached, so a new build is picked
 * up at the next load. Public like `/docs`: the page holds no data until an
 * API key is typed in, and every call it makes takes that key.
 */
@Controller('console')
export class ConsoleController {
  constructor(@Inject(CONSOLE_DIR) private readonly root: string) {}

  @Get()
  @ApiExcluded()
  index(@Res() res: Response): void {
    this.sendIndex(res);
  }

  @Get('*path')
  @ApiExcluded()
  file(@Param('path') path: string[] | string, @Res() res: Response): void {
    const relative = normalize(Array.isArray(path) ? path.join('/') : path);
    const file = join(this.root, relative);
    const inside = file.startsWith(this.root + sep) && !relative.split(sep).some((part) => part.startsWith('.'));
    if (inside && relative.startsWith(`assets${sep}`)) {
      if (!isFile(file))
        return void res
          .set(SECURITY_HEADERS)
          .status(404)
          .json({ error: 'not_found', message: `no such console asset: ${relative}` });
      res.set(SECURITY_HEADERS).sendFile(file, { maxAge: '365d', immutable: true, dotfiles: 'deny' });
      return;
    }
    if (inside && isFile(file)) return void res.set(SECURITY_HEADERS).sendFile(file, { maxAge: '1h', dotfiles: 'deny' });
    this.sendIndex(res);
  }

  private sendIndex(res: Response): void {
    res.set(SECURITY_HEADERS);
    const index = join(this.root, 'index.html');
    if (!isFile(index)) {
      res.status(503).json({ error: 'console_not_built', message: `the console is not built (no ${index}): run npm run build` });
      return;
    }
    res.set('Cache-Control', 'no-store').sendFile(index);
  }
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}
