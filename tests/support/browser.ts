/**
 * The user's own browser in the e2e suite: a real Chromium (Debian's, driven by playwright-core)
 * that receives the URLs the app opens through the OS (opener → xdg-open → tests/support/user-browser
 * → this relay), and walks the bank's pages like a person would.
 */
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';

/** The browser `scripts/env.sh`'s find_chromium chose (Debian's chromium, Ubuntu's snap, Chrome). */
function chromiumPath(): string {
  const found = process.env.LINKSCOPE_CHROMIUM;
  if (!found) throw new Error('LINKSCOPE_CHROMIUM is not set: run the suite with tests/run-e2e');
  return found;
}

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export class UserBrowser {
  private readonly opened: string[] = [];
  private readonly waiters: Array<(url: string) => void> = [];

  private relay: Server | null = null;

  private constructor(private readonly browser: Browser) {}

  /** Starts Chromium and the relay on the port named by LINKSCOPE_E2E_RELAY. */
  static async start(): Promise<UserBrowser> {
    const relayAddress = process.env.LINKSCOPE_E2E_RELAY;
    if (!relayAddress) throw new Error('LINKSCOPE_E2E_RELAY is not set: run the suite with tests/run-e2e');
    const relayUrl = new URL(relayAddress);
    const self = new UserBrowser(await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS }));
    const relay = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        if (req.method === 'POST' && req.url === '/open' && body) {
          self.receive(body.trim());
          res.writeHead(204).end();
        } else {
          res.writeHead(400).end();
        }
      });
    });
    await new Promise<void>((resolve) => relay.listen(Number(relayUrl.port), relayUrl.hostname, resolve));
    self.relay = relay;
    return self;
  }

  private receive(url: string): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(url);
    else this.opened.push(url);
  }

  /** The next URL the app opened in "the system browser". */
  nextOpenedUrl(timeoutMs = 20_000): Promise<string> {
    const ready = this.opened.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the app never opened a URL in the browser')), timeoutMs);
      this.waiters.push((url) => {
        clearTimeout(timer);
        resolve(url);
      });
    });
  }

  async newPage(): Promise<Page> {
    const context = await this.browser.newContext({ viewport: { width: 1100, height: 800 } });
    return context.newPage();
  }

  async close(): Promise<void> {
    await this.browser.close();
    const relay = this.relay;
    if (relay) await new Promise<void>((resolve) => relay.close(() => resolve()));
  }
}

/**
 * Watches a page for the bank's final redirect to a custom scheme (Chromium cannot load it; a
 * route would hide it, so we listen to requests and failed requests) and resolves with its URL.
 */
export function captureSchemeRedirect(page: Page, scheme: string, timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no redirect to ${scheme}:// was seen`)), timeoutMs);
    const check = (url: string) => {
      if (url.startsWith(`${scheme}://`)) {
        clearTimeout(timer);
        resolve(url);
      }
    };
    page.on('request', (r) => check(r.url()));
    page.on('requestfailed', (r) => check(r.url()));
    page.on('framenavigated', (f) => check(f.url()));
    // The usual path: the bank answers 302/303 with `Location: <scheme>://…`, which Chromium
    // never turns into a request it reports.
    page.on('response', (r) => {
      const location = r.headers()['location'];
      if (r.status() >= 300 && r.status() < 400 && location) check(location);
    });
    page.on('requestfinished', (r) => {
      void r.response().then((resp) => {
        const location = resp?.headers()['location'];
        if (location) check(location);
      });
    });
  });
}

/** Hands a URL to the desktop the way a browser does for a scheme it does not know: xdg-open. */
export async function osOpen(url: string): Promise<void> {
  // Debian's xdg-open in generic mode chokes on the quoted Exec line the deep-link plugin writes;
  // in GNOME mode it delegates to `gio open`, which is what a real desktop does.
  const { stdout, stderr } = await promisify(execFile)('xdg-open', [url], {
    env: { ...process.env, XDG_CURRENT_DESKTOP: 'GNOME' },
  });
  if (stdout.trim() || stderr.trim()) console.log(`xdg-open said: ${stdout}${stderr}`);
}
