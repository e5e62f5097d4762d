import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium (tools/ensure-chromium.js installs it for `npm test`); never a downloaded browser. */
export const CHROMIUM = process.env.HOOKLINE_CHROMIUM ?? '/usr/bin/chromium';

/** Screenshots of a run, to look at (gitignored). */
export const SCREENSHOTS = join(__dirname, '..', '..', 'test-results', 'console');

// Chromium's own traffic (updates, sync, component downloads) has nowhere to go on a closed network and only adds noise.
const QUIET = ['--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** One headless Chromium for a suite: launched before its tests, closed after them. */
export function browserForSuite(): { browser: () => Browser } {
  let browser: Browser | undefined;
  beforeAll(async () => {
    // Root (as in CI) cannot use Chromium's sandbox.
    browser = await chromium.launch({ executablePath: CHROMIUM, args: [...QUIET, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])] });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });
  return {
    browser: () => {
      if (!browser) throw new Error('the browser is not launched yet');
      return browser;
    },
  };
}

/**
 * A page that records every console error, uncaught exception and
 * Content-Security-Policy violation, so a test can say there were none, and
 * saves screenshots under test-results/console.
 */
export class WatchedPage {
  readonly problems: string[] = [];

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
  ) {
    page.on('console', (message) => {
      if (message.type() === 'error') this.problems.push(`console error: ${message.text()}`);
    });
    page.on('pageerror', (error) => this.problems.push(`uncaught: ${error.message}`));
  }

  static async open(browser: Browser, viewport = DESKTOP): Promise<WatchedPage> {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    return new WatchedPage(context, page);
  }

  async screenshot(name: string): Promise<void> {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await this.page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  }

  /** axe-core's WCAG A/AA rules on the page as it is now: the serious and critical violations, each with where. */
  async accessibilityProblems(): Promise<string[]> {
    const results = await new AxeBuilder({ page: this.page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    return results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}
