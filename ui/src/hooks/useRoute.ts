import { useCallback, useSyncExternalStore } from 'react';

// Hash routes, so the webview's own history (and a reload) keep the place:
//   #/                       home
//   #/link                   link wizard        (#/link/<providerId> to start with a bank chosen)
//   #/reconsent/<id>         a re-consent link that renews that connection
//   #/connection/<id>/<tab>[/<sub>]
//   #/settings
//   #/requests
//   #/workbench              QA workbench (scenario runner, sandbox controls)

export const CONNECTION_TABS = [
  'overview',
  'accounts',
  'transactions',
  'cards',
  'standing-orders',
  'direct-debits',
  'identity',
  'signup-plus',
  'verification',
  'requests',
  'coverage',
  'snapshots',
  'async',
] as const;

export type ConnectionTab = (typeof CONNECTION_TABS)[number];

/** Each connection tab's name, as the tab bar and the command palette show it. */
export const TAB_LABELS: Record<ConnectionTab, string> = {
  overview: 'Overview',
  accounts: 'Accounts',
  transactions: 'Transactions',
  cards: 'Cards',
  'standing-orders': 'Standing orders',
  'direct-debits': 'Direct debits',
  identity: 'Identity',
  'signup-plus': 'Signup+',
  verification: 'Verification',
  requests: 'Requests',
  coverage: 'Coverage',
  snapshots: 'Snapshots',
  async: 'Async',
};

export type Route =
  | { view: 'home' }
  | { view: 'link'; providerId: string | null }
  | { view: 'reconsent'; id: string }
  | { view: 'connection'; id: string; tab: ConnectionTab; sub: string | null }
  | { view: 'settings' }
  | { view: 'requests' }
  | { view: 'workbench' }
  | { view: 'holder' };

function isTab(value: string | undefined): value is ConnectionTab {
  return (CONNECTION_TABS as readonly string[]).includes(value ?? '');
}

export function parseHash(hash: string): Route {
  const parts = hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter(Boolean)
    .map((p) => decodeURIComponent(p));
  const [head, a, b, c] = parts;
  switch (head) {
    case 'link':
      return { view: 'link', providerId: a ?? null };
    case 'reconsent':
      return a ? { view: 'reconsent', id: a } : { view: 'home' };
    case 'connection':
      if (!a) return { view: 'home' };
      return { view: 'connection', id: a, tab: isTab(b) ? b : 'accounts', sub: c ?? null };
    case 'settings':
      return { view: 'settings' };
    case 'requests':
      return { view: 'requests' };
    case 'workbench':
      return { view: 'workbench' };
    case 'holder':
      return { view: 'holder' };
    default:
      return { view: 'home' };
  }
}

export function routeToHash(route: Route): string {
  const enc = encodeURIComponent;
  switch (route.view) {
    case 'home':
      return '#/';
    case 'link':
      return route.providerId ? `#/link/${enc(route.providerId)}` : '#/link';
    case 'reconsent':
      return `#/reconsent/${enc(route.id)}`;
    case 'connection':
      return `#/connection/${enc(route.id)}/${route.tab}${route.sub ? `/${enc(route.sub)}` : ''}`;
    case 'settings':
      return '#/settings';
    case 'requests':
      return '#/requests';
    case 'workbench':
      return '#/workbench';
    case 'holder':
      return '#/holder';
  }
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

const getHash = () => window.location.hash;

export function useRoute(): [Route, (route: Route) => void] {
  const hash = useSyncExternalStore(subscribe, getHash, () => '');
  const navigate = useCallback((route: Route) => {
    const next = routeToHash(route);
    if (window.location.hash !== next) window.location.hash = next;
  }, []);
  return [parseHash(hash), navigate];
}
