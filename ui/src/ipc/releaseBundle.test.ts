// @vitest-environment node
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';

// The release bundle is `vite build` without `--mode`; the end-to-end suite's is `--mode test`.
const config = fileURLToPath(new URL('../../vite.config.ts', import.meta.url));
const outDirs: string[] = [];

async function bundle(mode: string): Promise<string> {
  const outDir = await mkdtemp(path.join(tmpdir(), `linkscope-ui-${mode}-`));
  outDirs.push(outDir);
  // As from the command line, where NODE_ENV is unset and `vite build` makes it "production"
  // (vitest has set it to "test", which would make this a development build).
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: config, mode, logLevel: 'silent', build: { outDir, emptyOutDir: true } });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  const assets = path.join(outDir, 'assets');
  const files = (await readdir(assets)).filter((f) => f.endsWith('.js'));
  return (await Promise.all(files.map((f) => readFile(path.join(assets, f), 'utf8')))).join('\n');
}

afterAll(async () => {
  await Promise.all(outDirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('what the UI bundles ship', () => {
  it('leaves the IPC audit and the ?preview stand-in out of the release bundle', async () => {
    const js = await bundle('production');
    expect(js).toContain('get_app_info');
    expect(js).not.toContain('__LINKSCOPE_IPC_RECEIVED__');
    expect(js).not.toContain('The preview has no answer');
  }, 120_000);

  it('keeps the IPC audit in the end-to-end suite’s bundle, still without the stand-in', async () => {
    const js = await bundle('test');
    expect(js).toContain('__LINKSCOPE_IPC_RECEIVED__');
    expect(js).not.toContain('The preview has no answer');
  }, 120_000);
});
