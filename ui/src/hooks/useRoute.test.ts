// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { parseHash, routeToHash, type Route } from './useRoute';

describe('hash routes', () => {
  it.each<[string, Route]>([
    ['', { view: 'home' }],
    ['#/', { view: 'home' }],
    ['#/link', { view: 'link', providerId: null }],
    ['#/link/ob-monzo', { view: 'link', providerId: 'ob-monzo' }],
    ['#/connection/c1', { view: 'connection', id: 'c1', tab: 'accounts', sub: null }],
    ['#/connection/c1/transactions/card%3A1', { view: 'connection', id: 'c1', tab: 'transactions', sub: 'card:1' }],
    ['#/connection/c1/nonsense', { view: 'connection', id: 'c1', tab: 'accounts', sub: null }],
    ['#/settings', { view: 'settings' }],
    ['#/whatever', { view: 'home' }],
  ])('reads %s', (hash, route) => {
    expect(parseHash(hash)).toEqual(route);
  });

  it('writes what it reads', () => {
    const route: Route = { view: 'connection', id: 'a/b', tab: 'cards', sub: null };
    expect(parseHash(routeToHash(route))).toEqual(route);
  });
});
