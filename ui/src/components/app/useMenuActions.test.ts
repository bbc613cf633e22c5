import { describe, expect, it } from 'vitest';
import type { Route } from '../../hooks/useRoute';
import { menuCommand } from './useMenuActions';

const open: Route = { view: 'connection', id: 'conn-1', tab: 'accounts', sub: 'acc-1' };

describe('the native menu’s actions', () => {
  it('open the views their items name, from anywhere', () => {
    expect(menuCommand('link', { view: 'home' })).toEqual({
      kind: 'navigate',
      route: { view: 'link', providerId: null },
    });
    expect(menuCommand('requests', open)).toEqual({ kind: 'navigate', route: { view: 'requests' } });
    expect(menuCommand('palette', open)).toEqual({ kind: 'palette' });
    expect(menuCommand('reveal-log', open)).toEqual({ kind: 'reveal-log' });
  });

  it('switch the open connection’s tab, and do nothing when no connection is open', () => {
    expect(menuCommand('tab:cards', open)).toEqual({ kind: 'navigate', route: { ...open, tab: 'cards', sub: null } });
    expect(menuCommand('reconsent', open)).toEqual({ kind: 'navigate', route: { view: 'reconsent', id: 'conn-1' } });
    expect(menuCommand('tab:cards', { view: 'settings' })).toBeNull();
    expect(menuCommand('tab:nonsense', open), 'an unknown tab').toBeNull();
    expect(menuCommand('unknown', open)).toBeNull();
  });
});
