// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { catalog } from '../../test/fixtures';
import { defaultScopes, scopeIssues } from './scopeRules';

const errors = (selected: string[]) =>
  scopeIssues(catalog, selected, null)
    .filter((i) => i.severity === 'error')
    .map((i) => i.message);

describe('scope rules', () => {
  it.each([
    ['nothing selected blocks the link', [], ['Choose at least one permission.']],
    [
      'balance alone needs accounts or cards',
      ['balance', 'offline_access'],
      ['Balances needs Accounts or Cards as well.'],
    ],
    ['balance with cards is fine', ['cards', 'balance', 'offline_access'], []],
    [
      'standing orders need accounts, cards do not count',
      ['cards', 'standing_orders'],
      ['Standing orders needs Accounts as well.'],
    ],
    [
      'verification with anything else is refused',
      ['verification', 'info'],
      ['Verification must be asked for on its own.'],
    ],
    ['verification alone is fine', ['verification'], []],
  ])('%s', (_name, selected, expected) => {
    expect(errors(selected)).toEqual(expected);
  });

  it('warns, without blocking, when offline_access is missing', () => {
    const issues = scopeIssues(catalog, ['accounts'], null);
    expect(issues).toEqual([expect.objectContaining({ scope: 'offline_access', severity: 'warning' })]);
  });

  it('warns when the bank does not list a chosen scope', () => {
    const issues = scopeIssues(catalog, ['accounts', 'cards', 'offline_access'], ['accounts', 'balance']);
    expect(issues.map((i) => i.message)).toEqual([
      'The bank does not list Cards; it may refuse the link or those calls.',
    ]);
  });

  it('defaults to the catalog’s defaults, adding Signup+ only in sandboxes', () => {
    const base = [
      'info',
      'accounts',
      'balance',
      'cards',
      'transactions',
      'direct_debits',
      'standing_orders',
      'offline_access',
    ];
    expect(defaultScopes(catalog, { isSandbox: false })).toEqual(base);
    expect(defaultScopes(catalog, { isSandbox: true })).toEqual([...base, 'signupplus']);
  });
});
