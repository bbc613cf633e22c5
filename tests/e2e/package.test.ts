/**
 * The installable package, as a user gets it: `dpkg -i` the `.deb` that `scripts/package` built
 * (npm test builds it in the debug profile; the release one is the same recipe), check that the
 * package itself registers the `linkscope://` handler, then open a `linkscope://callback?...` link
 * with the desktop's `xdg-open` and see the installed app receive it; and that the command line
 * came with it as `/usr/bin/linkscope`, beside the app's `/usr/bin/linkscope-app`. Installing
 * needs root: other users see this file skipped, with the reason. The package is removed afterwards.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, test } from 'node:test';
import { byTestId, launchApp, screenshot, type App } from '../support/app.ts';
import { osOpen } from '../support/browser.ts';
import { invoke } from '../support/flows.ts';

const run = promisify(execFile);
const deb = process.env.LINKSCOPE_E2E_DEB;
const skip =
  process.getuid?.() !== 0
    ? 'installing a package needs root (dpkg -i)'
    : !deb
      ? 'no .deb was built (LINKSCOPE_E2E_DEB is unset: run npm test, or bash scripts/package --debug)'
      : false;

let app: App | undefined;
let packageName = '';

after(async () => {
  await app?.deleteSession().catch(() => undefined);
  if (packageName) await run('dpkg', ['-r', packageName]).catch(() => undefined);
});

test('the .deb installs and registers the linkscope:// handler through its .desktop file', { skip }, async () => {
  packageName = (await run('dpkg-deb', ['--field', deb!, 'Package'])).stdout.trim();
  await run('dpkg', ['-i', deb!]);
  const files = (await run('dpkg', ['-L', packageName])).stdout.split('\n');
  const desktop = files.find((f) => f.startsWith('/usr/share/applications/') && f.endsWith('.desktop'));
  assert.ok(desktop, `the package ships a .desktop file: ${files.join(' ')}`);
  const entry = await readFile(desktop, 'utf8');
  assert.match(entry, /^MimeType=.*x-scheme-handler\/linkscope;/m, 'the entry claims the scheme');
  const handler = (await run('xdg-mime', ['query', 'default', 'x-scheme-handler/linkscope'])).stdout.trim();
  assert.equal(handler, desktop.split('/').pop(), 'before the app ever ran, the desktop knows its handler');
});

test('a linkscope:// link opened by the desktop reaches the installed app', { skip }, async () => {
  const files = (await run('dpkg', ['-L', packageName])).stdout.split('\n');
  const binary = files.find((f) => f === '/usr/bin/linkscope-app');
  assert.ok(binary, `the package puts the app on the PATH as linkscope-app: ${files.join(' ')}`);
  app = await launchApp(binary);
  await byTestId(app, 'link-account-button', 30_000); // the first screen is up
  const info = await invoke<{ deepLinkScheme: string }>(app, 'get_app_info');
  assert.equal(info.deepLinkScheme, 'linkscope', 'the package is the release flavour');
  await osOpen('linkscope://callback?code=from-the-package-test&state=nobody-is-waiting');
  const error = await byTestId(app, 'link-error', 20_000);
  assert.match(
    await error.getText(),
    /state|not.*waiting|unknown/i,
    'the installed app got the link and said why it refused it',
  );
  await app.pause(1000); // the installed app paints its first screens slowly under Xvfb
  await screenshot(app, '90-installed-package-deep-link');
});

test('the .deb puts the command line on the PATH as linkscope, and it runs', { skip }, async () => {
  const files = (await run('dpkg', ['-L', packageName])).stdout.split('\n');
  assert.ok(files.includes('/usr/bin/linkscope'), `the package ships the command line: ${files.join(' ')}`);
  const version = (await run('/usr/bin/linkscope', ['--version'])).stdout;
  assert.match(version, /^linkscope \d+\.\d+\.\d+/, 'it is the command line, not the app');
  const dataDir = await mkdtemp(join(tmpdir(), 'linkscope-package-cli-'));
  const listed = await run('/usr/bin/linkscope', ['--data-dir', dataDir, '--json', 'env', 'list'], {
    env: { ...process.env, LINKSCOPE_SECRET_STORE: 'memory' },
  });
  const environments = JSON.parse(listed.stdout) as Array<{ id: string }>;
  assert.ok(
    environments.some((e) => e.id === 'builtin'),
    'the installed command line starts core and its built-in sandbox',
  );
});
