/**
 * Issue 14, the auth-journey timeline end to end: every link the app builds carries a
 * tracking_id, the built-in sandbox records the dialog's steps as the user's browser walks them,
 * and the app reads them from the sandbox's own tracking listener — live on the waiting screen,
 * and on demand for each attempt in the link page's list. A link abandoned at the bank's login
 * shows its partial trail; a completed one shows the full trail.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { byTestId, launchApp, resetAppState, screenshot, type App } from '../support/app.ts';
import { captureSchemeRedirect, osOpen, UserBrowser } from '../support/browser.ts';
import { accountsShown, startMockLink, textMatching, walkBank } from '../support/flows.ts';

const SCHEME = 'linkscope-dev';

let app: App;
let user: UserBrowser;

before(async () => {
  await resetAppState();
  user = await UserBrowser.start();
  app = await launchApp();
});
afterEach(async (t) => {
  if (t.passed === false) await screenshot(app, `failed-tracking-${t.name.slice(0, 40).replace(/\W+/g, '-')}`);
});
after(async () => {
  await app?.deleteSession().catch(() => undefined);
  await user?.close();
});

/** The tracking_id of a link URL. */
function trackingIdOf(url: string): string {
  const id = new URL(url).searchParams.get('tracking_id');
  assert.ok(id, `the link carries a tracking_id: ${url}`);
  return id;
}

/** An element's textContent (WebDriver's getText reads only what is inside the viewport). */
async function textOf(el: WebdriverIO.Element): Promise<string> {
  return app.execute((node: HTMLElement) => node.textContent ?? '', el as unknown as HTMLElement);
}

/** Opens the journey of the attempt whose tracking_id is shown in the link page's list. */
async function openAttempt(trackingId: string) {
  await byTestId(app, 'link-attempts');
  const rows = await app.$$('[data-testid="link-attempt"]');
  for (const row of rows) {
    if ((await textOf(row)).includes(trackingId)) {
      await (await row.$('[data-testid="link-attempt-trail"]')).click();
      // Bring the journey to the top of the window for the screenshot.
      await app.execute((el: HTMLElement) => el.scrollIntoView({ block: 'start' }), row as unknown as HTMLElement);
      return row;
    }
  }
  throw new Error(`no attempt with tracking_id ${trackingId} in the list`);
}

/** An attempt row's outcome badge text. */
async function outcomeText(row: WebdriverIO.Element): Promise<string> {
  return textOf(await row.$('[data-testid="link-attempt-outcome"]').getElement());
}

/** The steps a trail shows as reached, in order. */
async function reachedSteps(): Promise<string[]> {
  return app.execute(() =>
    [...document.querySelectorAll('[data-testid="auth-trail-step"]')].map((li) => li.getAttribute('data-step') ?? ''),
  );
}

test("a link abandoned at the bank's login shows its partial trail, live and in the attempt list", async () => {
  const shownUrl = await startMockLink(app, 'deep-link');
  const trackingId = trackingIdOf(shownUrl);
  await (await byTestId(app, 'open-in-browser')).click();
  const opened = await user.nextOpenedUrl();
  assert.equal(trackingIdOf(opened), trackingId, 'the browser got the link with its tracking_id');

  const page = await user.newPage();
  await page.goto(opened);
  for (let step = 0; step < 4 && !(await page.locator('#username').isVisible()); step++) {
    if (await page.locator('#allow').isVisible()) await page.click('#allow');
    else if (await page.locator('[data-provider-id="mock"]').isVisible()) await page.click('[data-provider-id="mock"]');
    await page.waitForLoadState('domcontentloaded');
  }
  assert.ok(await page.locator('#username').isVisible(), "the user reached the bank's login, and stops there");

  // The waiting screen asks the tracking host every few seconds.
  await textMatching(app, 'auth-trail-summary', /Stopped after: Bank.s login shown/, 20_000);
  assert.deepEqual(await reachedSteps(), [
    'dialog_started',
    'consent_granted',
    'provider_selected',
    'provider_auth_started',
  ]);
  await screenshot(app, '70-trail-waiting-partial');
  await page.context().close();

  await (await byTestId(app, 'cancel-link')).click();
  const row = await openAttempt(trackingId);
  await textMatching(app, 'auth-trail-summary', /Stopped after: Bank.s login shown/);
  await app.waitUntil(async () => /Cancelled/.test(await outcomeText(row)), {
    timeout: 10_000,
    timeoutMsg: 'the attempt never showed as cancelled',
  });
  assert.equal((await reachedSteps()).length, 4, 'the abandoned attempt keeps its partial trail');
  await screenshot(app, '71-trail-abandoned-in-list');
});

test('a completed link shows its full trail in the attempt list', async () => {
  // Leave the link page, so the wizard starts again at the bank picker.
  await (await byTestId(app, 'nav-settings')).click();
  const shownUrl = await startMockLink(app, 'deep-link');
  const trackingId = trackingIdOf(shownUrl);
  await (await byTestId(app, 'open-in-browser')).click();
  const opened = await user.nextOpenedUrl();
  const page = await user.newPage();
  const redirect = captureSchemeRedirect(page, SCHEME);
  await page.goto(opened);
  await walkBank(page, 'john', 'doe', undefined, redirect);
  const callback = await redirect;
  await page.context().close();
  await osOpen(callback);
  await accountsShown(app);

  await (await byTestId(app, 'link-account-button')).click();
  const row = await openAttempt(trackingId);
  await textMatching(app, 'auth-trail-summary', /Complete: a code came back/);
  assert.match(await outcomeText(row), /Completed/);
  assert.deepEqual(await reachedSteps(), [
    'dialog_started',
    'consent_granted',
    'provider_selected',
    'provider_auth_started',
    'provider_authorized',
    'code_exchanged',
  ]);
  await screenshot(app, '72-trail-complete-in-list');
});
