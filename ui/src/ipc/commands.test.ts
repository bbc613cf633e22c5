import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...args: unknown[]) => invoke(...args) }));
vi.mock('@tauri-apps/api/event', () => ({ listen: vi.fn(() => Promise.resolve(() => undefined)) }));

import {
  completeLink,
  fetchTransactions,
  listAccounts,
  listProviders,
  openLink,
  saveEnvironment,
  startLink,
} from './commands';
import { IpcError } from './errors';
import type { LinkRequest } from './types';

describe('ipc commands', () => {
  beforeEach(() => {
    (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {};
    invoke.mockReset();
  });
  afterEach(() => {
    delete (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__;
  });

  it('sends each command by its snake_case name with camelCase arguments', async () => {
    invoke.mockResolvedValue(undefined);
    await listProviders('builtin', true);
    await openLink('sess-1');
    await listAccounts('conn-1');
    await completeLink('linkscope-dev://callback?code=a&state=b');
    expect(invoke.mock.calls).toEqual([
      ['list_providers', { environmentId: 'builtin', refresh: true }],
      ['open_link', { sessionId: 'sess-1' }],
      ['list_accounts', { connectionId: 'conn-1' }],
      ['complete_link', { url: 'linkscope-dev://callback?code=a&state=b' }],
    ]);
  });

  it('wraps struct inputs in one named argument, as the Rust commands take them', async () => {
    invoke.mockResolvedValue(undefined);
    const request: LinkRequest = {
      environmentId: 'e',
      providerId: null,
      scopes: ['info'],
      redirect: 'deep_link',
      responseMode: 'query',
      languageId: null,
      countryId: null,
      userEmail: null,
      providers: [],
      disableProviders: [],
      redirectUri: null,
      trackingId: null,
      renews: null,
    };
    await startLink(request);
    await saveEnvironment({
      id: null,
      name: 'n',
      kind: 'custom',
      authUrl: 'a',
      apiUrl: 'b',
      clientId: 'c',
      clientSecret: null,
      redirectUris: [],
      markedLive: false,
      sandboxControlToken: null,
      confirmSecretsReset: false,
    });
    await fetchTransactions({
      fetchId: 'f',
      connectionId: 'c',
      source: 'account',
      accountId: 'a',
      from: '2026-01-01',
      to: '2026-02-01',
    });
    expect(invoke.mock.calls.map((c) => Object.keys(c[1] as object))).toEqual([['input'], ['input'], ['input']]);
  });

  it('turns a {code, message, detail} rejection into an IpcError the UI can branch on', async () => {
    invoke.mockRejectedValue({
      code: 'unknown_state',
      message: 'No link is waiting for this state.',
      detail: { traceId: 't-1', status: 400 },
    });
    const error = await completeLink('x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IpcError);
    expect(error).toMatchObject({
      code: 'unknown_state',
      message: 'No link is waiting for this state.',
      detail: { traceId: 't-1', status: 400 },
    });
  });

  it('reports a missing Tauri bridge as an internal error instead of crashing', async () => {
    delete (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__;
    const error = await listAccounts('c').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'internal' });
    expect(invoke).not.toHaveBeenCalled();
  });
});
