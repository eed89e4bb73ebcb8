import { existsSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { ROOT } from './shop.ts';

/** Debian's Chromium (scripts/browser.sh installs it); CHROMIUM_PATH overrides. */
export const chromiumPath = () => process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const SCREENSHOTS = resolve(ROOT, 'docs/screenshots');

/** A headless Chromium, the real browser, driven by playwright-core. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(chromiumPath())) throw new Error(`no Chromium at ${chromiumPath()}: run scripts/browser.sh (apt-get install chromium)`);
  // --no-sandbox: the tests run as root, where Chromium's sandbox cannot start.
  return chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/** A fresh page (own cookies and storage: one person) at the shop's origin. */
export async function newPage(browser: Browser, baseURL: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ baseURL, viewport, reducedMotion: 'reduce' });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  return page;
}

/** Saves a screenshot to docs/screenshots/<name>.png (the README shows them). */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: resolve(SCREENSHOTS, `${name}.png`), fullPage: options.fullPage ?? false, animations: 'disabled' });
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

const axeSource = async () => readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe-core in the page (WCAG 2.x A and AA rules) and returns its serious and critical violations. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.addScriptTag({ content: await axeSource() });
  const violations = await page.evaluate(async () => {
    // Runs in the page: the window's axe (the script tag above) and document (this file is type-checked without the DOM library).
    // biome-ignore lint/suspicious/noExplicitAny: as above
    const page = globalThis as any;
    const result = await page.axe.run(page.document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    });
    return result.violations as AxeViolation[];
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Violations in words, for an assertion message. */
export const describeViolations = (where: string, violations: AxeViolation[]) =>
  violations.map((v) => `${where}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`).join('\n');
