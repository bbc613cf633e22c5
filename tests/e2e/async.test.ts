/**
 * Issue 14, end to end: the overview shows the sandbox's RS256 access token (header, claims,
 * "Signature verified" against the environment's JWKS).
 */
import { after, afterEach, before, test } from 'node:test';
import { launchApp, resetAppState, screenshot, type App } from '../support/app.ts';
import { linkAs, openTab, textMatching } from '../support/flows.ts';

let app: App;

before(async () => {
  await resetAppState();
  app = await launchApp();
});
afterEach(async (t) => {
  if (t.passed === false) await screenshot(app, `failed-async-${t.name.slice(0, 40).replace(/\W+/g, '-')}`);
});
after(async () => {
  await app?.deleteSession().catch(() => undefined);
});

/** Scrolls a part of the screen into view and waits two frames (WebKit under Xvfb), then saves it. */
async function shoot(testId: string, name: string) {
  await app.execute((id: string) => document.querySelector(`[data-testid="${id}"]`)?.scrollIntoView(), testId);
  await app.executeAsync((done: () => void) => requestAnimationFrame(() => requestAnimationFrame(() => done())));
  await screenshot(app, name);
}

test('the overview shows the RS256 token header and claims with "signature verified"', async () => {
  const john = await linkAs(app, 'john', 'doe');
  await openTab(app, john, 'overview');
  await textMatching(app, 'token-signature-status', /Signature verified/);
  await textMatching(app, 'overview-token-signature', /alg[\s\S]*RS256[\s\S]*kid/);
  await textMatching(app, 'overview-claims', /connector_id[\s\S]*mock/);
  await shoot('overview-token-signature', '140-token-signature');
});
