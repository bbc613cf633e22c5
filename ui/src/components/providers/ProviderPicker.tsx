import { useDeferredValue, useMemo, useRef, useState } from 'react';
import { listProviders, type Environment, type Provider } from '../../ipc';
import { queryKeys, useIpcQuery } from '../../query';
import { useNow } from '../../hooks/useNow';
import { formatAgo, humanize, uiLocale } from '../../lib/format';
import { IpcErrorPanel } from '../errors/IpcErrorPanel';
import { Badge, Button, Chip, EmptyState, Icon, Logo, Select, Skeleton, TextInput } from '../shared';
import './providers.css';

export interface ProviderPickerProps {
  environment: Environment;
  /** `null`: leave the choice to TrueLayer's own bank-selection screen. */
  onPick: (provider: Provider | null) => void;
}

let regionNames: Intl.DisplayNames | null = null;

/**
 * TrueLayer's country codes are alpha-2 except the UK's ("uk", not "gb"). One DisplayNames for
 * every tile: making one per tile cost the picker's ~200 tiles a formatter each, each render.
 */
function countryName(code: string): string {
  const region = code.toLowerCase() === 'uk' ? 'GB' : code.toUpperCase();
  try {
    regionNames ??= new Intl.DisplayNames(uiLocale(), { type: 'region' });
    return regionNames.of(region) ?? code.toUpperCase();
  } catch {
    return code.toUpperCase();
  }
}

function isMock(p: Provider): boolean {
  return p.providerId === 'mock' || p.providerId.includes('mock');
}

/** The bank picker: providers from `/api/providers`, cached by core, with search and filters. */
export function ProviderPicker({ environment, onPick }: ProviderPickerProps) {
  // Core caches the list; the user's Refresh asks it to fetch TrueLayer's again.
  const fetchFresh = useRef(false);
  const providers = useIpcQuery(queryKeys.environmentView(environment.id, 'providers'), () => {
    const refresh = fetchFresh.current;
    fetchFresh.current = false;
    return listProviders(environment.id, refresh);
  });
  const refresh = () => {
    fetchFresh.current = true;
    providers.reload();
  };
  const now = useNow(30_000);

  const [search, setSearch] = useState('');
  const [country, setCountry] = useState('all');
  const [scopes, setScopes] = useState<string[]>([]);
  const query = useDeferredValue(search.trim().toLowerCase());

  const all = useMemo(() => providers.data?.providers ?? [], [providers.data]);
  const countries = useMemo(() => [...new Set(all.map((p) => p.country))].sort(), [all]);
  const allScopes = useMemo(() => [...new Set(all.flatMap((p) => p.scopes))].sort(), [all]);

  const shown = useMemo(() => {
    const filtered = all.filter(
      (p) =>
        (country === 'all' || p.country === country) &&
        scopes.every((s) => p.scopes.includes(s)) &&
        (query === '' || p.displayName.toLowerCase().includes(query) || p.providerId.toLowerCase().includes(query)),
    );
    return filtered.sort((a, b) => {
      if (environment.isSandbox) {
        const pin = Number(isMock(b)) - Number(isMock(a));
        if (pin !== 0) return pin;
      }
      return a.displayName.localeCompare(b.displayName);
    });
  }, [all, country, scopes, query, environment.isSandbox]);

  const filtersActive = query !== '' || country !== 'all' || scopes.length > 0;

  return (
    <div className="provider-picker">
      <div className="picker-toolbar">
        <div className="search-box">
          <Icon name="search" size={14} />
          <TextInput
            type="search"
            placeholder="Search banks"
            aria-label="Search banks"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            data-testid="provider-search"
            autoFocus
          />
        </div>
        <Select
          aria-label="Country"
          value={country}
          onChange={(e) => setCountry(e.target.value)}
          data-testid="provider-country"
        >
          <option value="all">All countries</option>
          {countries.map((c) => (
            <option key={c} value={c}>
              {countryName(c)}
            </option>
          ))}
        </Select>
        <div className="picker-meta">
          {providers.data && (
            <span className="muted" title={providers.data.fetchedAt} data-testid="providers-fetched-at">
              {all.length} {all.length === 1 ? 'bank' : 'banks'} · fetched {formatAgo(providers.data.fetchedAt, now)}
            </span>
          )}
          <Button
            size="sm"
            variant="ghost"
            icon="refresh"
            loading={providers.reloading}
            onClick={refresh}
            data-testid="providers-refresh"
          >
            Refresh
          </Button>
        </div>
      </div>

      {allScopes.length > 0 && (
        <div className="chip-row" role="group" aria-label="Only banks that support">
          <span className="chip-row-label">Supports</span>
          {allScopes.map((s) => (
            <Chip
              key={s}
              selected={scopes.includes(s)}
              onToggle={() => setScopes((cur) => (cur.includes(s) ? cur.filter((x) => x !== s) : [...cur, s]))}
              data-testid={`scope-filter-${s}`}
            >
              {humanize(s)}
            </Chip>
          ))}
        </div>
      )}

      {providers.status === 'loading' ? (
        <div className="provider-grid" aria-busy="true" data-testid="providers-loading">
          {Array.from({ length: 8 }, (_, i) => (
            <div key={i} className="provider-tile provider-tile-skeleton">
              <Skeleton width={32} height={32} />
              <Skeleton width="60%" />
            </div>
          ))}
        </div>
      ) : providers.status === 'error' && providers.error ? (
        <IpcErrorPanel error={providers.error.toPayload()} onRetry={refresh} retryLabel="Fetch again" />
      ) : all.length === 0 ? (
        <EmptyState icon="bank" title="This environment lists no banks">
          <p>
            TrueLayer returned an empty provider list for this client. You can still build a link and choose the bank in
            TrueLayer’s own dialog.
          </p>
        </EmptyState>
      ) : shown.length === 0 ? (
        <EmptyState
          icon="search"
          title="No bank matches"
          compact
          action={
            filtersActive && (
              <Button
                size="sm"
                onClick={() => {
                  setSearch('');
                  setCountry('all');
                  setScopes([]);
                }}
              >
                Clear filters
              </Button>
            )
          }
        >
          <p>Try another name, or clear the filters.</p>
        </EmptyState>
      ) : (
        <ul className="provider-grid" aria-label="Banks">
          {shown.map((p) => (
            <li key={p.providerId}>
              <button
                type="button"
                className="provider-tile"
                onClick={() => onPick(p)}
                data-testid={`provider-${p.providerId}`}
              >
                <Logo src={p.logoUrl} name={p.displayName} size={32} />
                <span className="provider-tile-text">
                  <span className="provider-tile-name">
                    {p.displayName}
                    {environment.isSandbox && isMock(p) && <Badge tone="accent">Test bank</Badge>}
                    {p.availability && p.availability !== 'healthy' && (
                      <Badge tone="warning">{humanize(p.availability)}</Badge>
                    )}
                  </span>
                  <span className="provider-tile-meta">
                    {countryName(p.country)} · <span className="mono">{p.providerId}</span>
                  </span>
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}

      <div className="picker-footer">
        <button type="button" className="link-btn" onClick={() => onPick(null)} data-testid="provider-any">
          Let the user choose the bank in TrueLayer’s dialog instead
        </button>
      </div>
    </div>
  );
}
