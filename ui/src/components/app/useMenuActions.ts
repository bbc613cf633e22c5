/**
 * Carries out the native menu's actions (`menu://action`, ids from src-tauri/src/menu.rs): a
 * view to open, a connection tab (when a connection is open), the palette, presenter mode, or
 * revealing the log. `menuCommand` is the pure mapping; the hook runs what it says.
 */
import { revealLog, onMenuAction, toIpcError } from '../../ipc';
import { useSubscription } from '../../hooks/useSubscription';
import { CONNECTION_TABS, type ConnectionTab, type Route } from '../../hooks/useRoute';
import { useToast } from '../shared';

export type MenuCommand =
  { kind: 'navigate'; route: Route } | { kind: 'palette' } | { kind: 'presenter' } | { kind: 'reveal-log' };

const VIEWS: Record<string, Route> = {
  link: { view: 'link', providerId: null },
  settings: { view: 'settings' },
  home: { view: 'home' },
  requests: { view: 'requests' },
  workbench: { view: 'workbench' },
  holder: { view: 'holder' },
  // Both live on the Settings screen (its shortcuts and about cards).
  shortcuts: { view: 'settings' },
  about: { view: 'settings' },
};

function isTab(value: string): value is ConnectionTab {
  return (CONNECTION_TABS as readonly string[]).includes(value);
}

/** What a menu item does from `route`; null when it does nothing there (a tab with no connection open). */
export function menuCommand(id: string, route: Route): MenuCommand | null {
  const view = VIEWS[id];
  if (view) return { kind: 'navigate', route: view };
  if (id === 'palette') return { kind: 'palette' };
  if (id === 'presenter') return { kind: 'presenter' };
  if (id === 'reveal-log') return { kind: 'reveal-log' };
  if (route.view !== 'connection') return null;
  if (id === 'reconsent') return { kind: 'navigate', route: { view: 'reconsent', id: route.id } };
  const tab = id.startsWith('tab:') ? id.slice(4) : '';
  return isTab(tab) ? { kind: 'navigate', route: { ...route, tab, sub: null } } : null;
}

export interface MenuHandlers {
  route: Route;
  navigate: (route: Route) => void;
  openPalette: () => void;
  togglePresenter: () => void;
}

export function useMenuActions({ route, navigate, openPalette, togglePresenter }: MenuHandlers): void {
  const toast = useToast();
  useSubscription(onMenuAction, ({ id }) => {
    const command = menuCommand(id, route);
    switch (command?.kind) {
      case 'navigate':
        return navigate(command.route);
      case 'palette':
        return openPalette();
      case 'presenter':
        return togglePresenter();
      case 'reveal-log':
        return void revealLog().catch((reason: unknown) => toast.show(toIpcError(reason).message, 'danger'));
    }
  });
}
