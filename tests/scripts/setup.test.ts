/**
 * `scripts/setup` on machines that lack things: it must name every missing prerequisite in one
 * run, each with the command that fixes it, and change nothing. The machine is faked: a PATH of
 * stubs and links to the few real tools the script needs, a throwaway HOME, and an os-release file.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';

const root = path.resolve(import.meta.dirname, '../..');
const scratch = mkdtempSync(path.join(tmpdir(), 'linkscope-setup-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Real tools the script uses; everything else on the fake PATH is a stub or absent. */
const REAL_TOOLS = ['bash', 'dirname', 'cat', 'sed', 'grep', 'awk', 'sort', 'head', 'cmp', 'cp', 'cut'];

interface Machine {
  os?: string; // uname -s
  distro?: string; // os-release ID
  uid?: number;
  stubs?: Record<string, string>; // name → shell body
}

function fakeMachine(name: string, machine: Machine) {
  const dir = path.join(scratch, name);
  const bin = path.join(dir, 'bin');
  spawnSync('mkdir', ['-p', bin, path.join(dir, 'home')]);
  for (const tool of REAL_TOOLS) {
    const real = spawnSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
    symlinkSync(real, path.join(bin, tool));
  }
  const stubs: Record<string, string> = {
    uname: `echo ${machine.os ?? 'Linux'}`,
    id: `echo ${machine.uid ?? 1000}`,
    'dpkg-query': 'exit 1', // nothing is installed
    'apt-get': `echo "apt-get $*" >> ${JSON.stringify(path.join(dir, 'apt-calls'))}`,
    ...machine.stubs,
  };
  for (const [tool, body] of Object.entries(stubs)) {
    const file = path.join(bin, tool);
    writeFileSync(file, `#!${path.join(bin, 'bash')}\n${body}\n`);
    chmodSync(file, 0o755);
  }
  const osRelease = path.join(dir, 'os-release');
  writeFileSync(osRelease, `ID=${machine.distro ?? 'debian'}\n`);
  return { dir, bin, osRelease, aptCalls: path.join(dir, 'apt-calls') };
}

function runSetup(machine: ReturnType<typeof fakeMachine>, ...args: string[]) {
  return spawnSync(path.join(machine.bin, 'bash'), [path.join(root, 'scripts/setup'), ...args], {
    encoding: 'utf8',
    env: {
      PATH: machine.bin,
      HOME: path.join(machine.dir, 'home'),
      LINKSCOPE_OS_RELEASE: machine.osRelease,
      LINKSCOPE_CACHE: path.join(machine.dir, 'cache'),
    },
  });
}

test('a Debian machine without Rust, Node or packages hears about all three in one run', () => {
  const machine = fakeMachine('bare-debian', {});
  const run = runSetup(machine);
  assert.equal(run.status, 1, `setup must stop: ${run.stderr}`);
  assert.match(run.stderr, /3 thing\(s\) to fix/, run.stderr);
  assert.match(run.stderr, /System packages are missing: build-essential .*libwebkit2gtk-4\.1-dev/);
  assert.match(run.stderr, /sudo apt-get update && sudo apt-get install -y --no-install-recommends build-essential/);
  assert.match(run.stderr, /Rust is missing \(Linkscope needs 1\.90 or newer\)/);
  assert.match(run.stderr, /sh\.rustup\.rs/);
  assert.match(run.stderr, /Node\.js is missing \(Linkscope needs \^20\.19 \|\| >=22\.12\)/);
  assert.ok(!existsSync(machine.aptCalls), 'a non-root run never calls apt-get');
});

test('the test set-up on Ubuntu without a browser says how to get one', () => {
  const machine = fakeMachine('ubuntu', { distro: 'ubuntu' });
  const run = runSetup(machine, '--test');
  assert.equal(run.status, 1);
  assert.match(run.stderr, /4 thing\(s\) to fix/, run.stderr);
  assert.match(run.stderr, /No Chromium or Chrome found/);
  assert.match(run.stderr, /LINKSCOPE_CHROMIUM/);
  const aptLine = run.stderr.split('\n').find((line) => line.includes('sudo apt-get install')) ?? '';
  assert.doesNotMatch(aptLine, /chromium/, 'Ubuntu has no chromium deb to apt-get');
});

test('macOS is not asked for apt packages, only for Rust and Node', () => {
  const machine = fakeMachine('mac', { os: 'Darwin', stubs: { 'dpkg-query': 'exit 99' } });
  const run = runSetup(machine, '--test');
  assert.equal(run.status, 1);
  assert.match(run.stderr, /2 thing\(s\) to fix/, run.stderr);
  assert.doesNotMatch(run.stderr, /apt-get/);
});

test('a Rust or Node that is too old is named with its version and the upgrade command', () => {
  const machine = fakeMachine('old-tools', {
    os: 'Darwin',
    stubs: {
      cargo: 'echo cargo 1.80.0',
      rustc: "echo 'rustc 1.80.0 (abc 2024-07-21)'",
      node: 'echo 20.11.1',
      npm: 'echo 10.2.4',
    },
  });
  const run = runSetup(machine);
  assert.equal(run.status, 1);
  assert.match(run.stderr, /Rust 1\.80\.0 is too old \(Linkscope needs 1\.90 or newer\)/);
  assert.match(run.stderr, /rustup update stable/);
  assert.match(run.stderr, /Node\.js 20\.11\.1 is not supported/);
});
