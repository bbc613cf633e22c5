/** The sidebar: environment, "Link an account", the connections and the app-wide views. */
import type { Route } from '../../hooks/useRoute';
import { ConnectionsList } from '../connections/ConnectionsList';
import { EnvironmentSwitcher } from '../environments/EnvironmentSwitcher';
import { Button, Icon, type IconName } from '../shared';
import { ActivityIndicator } from './ActivityIndicator';
import { LogoMark } from './LogoMark';
import { PresenterToggle } from './PresenterToggle';
import { ThemeToggle } from './ThemeToggle';
import { useAppData } from './useAppData';
import './app.css';

export interface SidebarProps {
  route: Route;
  navigate: (route: Route) => void;
}

/** The app-wide views below the connections, in sidebar order. */
const APP_VIEWS: { view: 'workbench' | 'holder' | 'requests' | 'settings'; icon: IconName; label: string }[] = [
  { view: 'workbench', icon: 'check', label: 'QA workbench' },
  { view: 'holder', icon: 'shield', label: 'Verify account holder' },
  { view: 'requests', icon: 'list', label: 'Request inspector' },
  { view: 'settings', icon: 'settings', label: 'Settings' },
];

export function Sidebar({ route, navigate }: SidebarProps) {
  const { appInfo, connections } = useAppData();
  const count = connections.data?.length ?? 0;
  const info = appInfo.data;

  return (
    <aside className="sidebar" aria-label="Linkscope">
      <div className="sidebar-brand">
        <LogoMark />
        <span className="sidebar-brand-name">Linkscope</span>
      </div>

      <EnvironmentSwitcher />

      <Button
        variant="primary"
        icon="plus"
        className="sidebar-link-button"
        onClick={() => navigate({ view: 'link', providerId: null })}
        data-testid="link-account-button"
      >
        Link an account
      </Button>

      <div className="sidebar-section">
        <div className="sidebar-section-title">
          <span>Connections</span>
          {count > 0 && <span className="sidebar-count">{count}</span>}
        </div>
        <ConnectionsList
          selectedId={route.view === 'connection' ? route.id : null}
          onSelect={(c) => navigate({ view: 'connection', id: c.id, tab: 'accounts', sub: null })}
        />
      </div>

      <nav className="sidebar-nav" aria-label="App">
        {APP_VIEWS.map(({ view, icon, label }) => (
          <button
            key={view}
            type="button"
            className={route.view === view ? 'nav-item nav-item-active' : 'nav-item'}
            aria-current={route.view === view ? 'page' : undefined}
            onClick={() => navigate({ view })}
            data-testid={`nav-${view}`}
          >
            <Icon name={icon} /> {label}
          </button>
        ))}
      </nav>

      <ActivityIndicator />

      <footer className="sidebar-footer">
        <span
          className="sidebar-version"
          data-testid="app-info-version"
          title={info ? `${info.build} build` : undefined}
        >
          {info
            ? `v${info.version}${info.build === 'dev' ? ' · dev' : ''}`
            : appInfo.status === 'error'
              ? 'core unreachable'
              : '…'}
        </span>
        <span className="row">
          <PresenterToggle />
          <ThemeToggle />
        </span>
      </footer>
    </aside>
  );
}
