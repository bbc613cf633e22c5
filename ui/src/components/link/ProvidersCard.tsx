import type { LinkCatalog } from '../../ipc';
import { Card, Chip, Field, TextInput } from '../shared';
import type { LinkOptions } from './PermissionsStep';
import './link.css';

export interface ProvidersCardProps {
  options: LinkOptions;
  onChange: (options: LinkOptions) => void;
  linkCatalog: LinkCatalog | null;
}

/** The words of a space-separated list. */
export function tokens(list: string): string[] {
  return list.split(/\s+/).filter((t) => t !== '');
}

/**
 * `provider_id`, `providers` (groups as chips, ids typed) and `disable_providers`. Until the user
 * edits `providers` the environment's defaults apply; after that the list is sent as written, so
 * the linter can say when it misses the provider_id.
 */
export function ProvidersCard({ options, onChange, linkCatalog }: ProvidersCardProps) {
  const defaults = linkCatalog?.defaultProviders ?? [];
  const providers = options.providers ?? defaults.join(' ');
  const chosen = tokens(providers);
  const set = <K extends keyof LinkOptions>(key: K, value: LinkOptions[K]) => onChange({ ...options, [key]: value });
  const toggle = (group: string) =>
    set('providers', (chosen.includes(group) ? chosen.filter((t) => t !== group) : [...chosen, group]).join(' '));

  return (
    <Card
      title="Providers"
      subtitle={
        options.providers === null
          ? 'The environment’s default providers; edit them to send your own list.'
          : 'Sent as written. The provider_id must be in it (itself, or a group that has it).'
      }
    >
      <div className="stack">
        <div className="chip-row" role="group" aria-label="Provider groups">
          {(linkCatalog?.providerGroups ?? []).map((g) => (
            <Chip
              key={g.token}
              selected={chosen.includes(g.token)}
              onToggle={() => toggle(g.token)}
              data-testid={`provider-group-${g.token}`}
            >
              <span className="mono">{g.token}</span>
              <span className="muted provider-group-label">{g.label}</span>
            </Chip>
          ))}
        </div>
        <div className="form-grid">
          <Field label="providers" hint="Groups and provider ids, space-separated.">
            {(id, describedBy) => (
              <TextInput
                id={id}
                aria-describedby={describedBy}
                mono
                value={providers}
                onChange={(e) => set('providers', e.target.value)}
                data-testid="providers-input"
                spellCheck={false}
              />
            )}
          </Field>
          <Field label="provider_id" hint="Skips the bank selection; empty lets the user choose.">
            {(id, describedBy) => (
              <TextInput
                id={id}
                aria-describedby={describedBy}
                mono
                placeholder="none"
                value={options.providerId}
                onChange={(e) => set('providerId', e.target.value.trim())}
                data-testid="provider-id-input"
                spellCheck={false}
              />
            )}
          </Field>
          <Field label="disable_providers" hint="Groups or ids to hide, space-separated.">
            {(id, describedBy) => (
              <TextInput
                id={id}
                aria-describedby={describedBy}
                mono
                placeholder="none"
                value={options.disableProviders}
                onChange={(e) => set('disableProviders', e.target.value)}
                data-testid="disable-providers-input"
                spellCheck={false}
              />
            )}
          </Field>
        </div>
      </div>
    </Card>
  );
}
