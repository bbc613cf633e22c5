/**
 * The accessibility check every screenshot runs: axe-core (WCAG 2 A/AA rules) over the screen as
 * it is, injected through WebDriver (not through the page, so the app's CSP stays as shipped).
 * Findings go to `<name>.axe.json` beside the screenshot; serious and critical ones fail the test.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { App } from './app.ts';

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

const axeSource = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe over the current screen; writes every finding to `file`; returns the serious ones. */
export async function seriousViolations(app: App, file: string): Promise<Violation[]> {
  const loaded = await app.execute('return typeof window.axe === "object"');
  if (!loaded) await app.execute(`${await axeSource}\nreturn true;`);
  const found = (await app.executeAsync((done: (v: string) => void) => {
    const axe = (window as unknown as { axe: { run: (...a: unknown[]) => Promise<{ violations: unknown[] }> } }).axe;
    axe
      .run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
      .then((r) =>
        done(
          JSON.stringify(
            (r.violations as { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[]).map(
              (v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }),
            ),
          ),
        ),
      )
      .catch((e: unknown) =>
        done(JSON.stringify([{ id: 'axe-failed', impact: 'critical', help: String(e), nodes: [] }])),
      );
  })) as string;
  const violations = JSON.parse(found) as Violation[];
  await writeFile(file, JSON.stringify(violations, null, 2));
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
