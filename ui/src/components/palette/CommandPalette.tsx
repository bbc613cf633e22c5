/**
 * The command palette (Ctrl+K / ⌘K): one searchable list of everything the app can go to or do —
 * the views, every connection, the open connection's tabs, presenter mode and the theme. A
 * WAI-ARIA combobox: type to filter, Up/Down to move, Enter to run, Escape to close.
 */
import { useId, useMemo, useState, type KeyboardEvent } from 'react';
import { useTheme } from '../../hooks/useTheme';
import { CONNECTION_TABS, TAB_LABELS, type Route } from '../../hooks/useRoute';
import { useAppData } from '../app/useAppData';
import { usePresenter } from '../presenter/usePresenter';
import { Modal } from '../shared';
import './palette.css';

export interface PaletteCommand {
  id: string;
  label: string;
  /** What kind of thing it is, shown on the right ("Go to", "Connection", "Tab", "Action"). */
  group: string;
  run: () => void;
}

export interface CommandPaletteProps {
  open: boolean;
  onClose: () => void;
  route: Route;
  navigate: (route: Route) => void;
}

/** Every word of the query appears in the label or the group (case-insensitive). */
export function matches(command: PaletteCommand, query: string): boolean {
  const text = `${command.label} ${command.group}`.toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => text.includes(word));
}

export function CommandPalette({ open, onClose, route, navigate }: CommandPaletteProps) {
  return (
    <Modal open={open} title="Go to or do…" onClose={onClose} data-testid="command-palette">
      {open && <PaletteBody onClose={onClose} route={route} navigate={navigate} />}
    </Modal>
  );
}

function PaletteBody({ onClose, route, navigate }: Omit<CommandPaletteProps, 'open'>) {
  const { connections } = useAppData();
  const presenter = usePresenter();
  const [theme, toggleTheme] = useTheme();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const listId = useId();

  const commands = useMemo<PaletteCommand[]>(() => {
    const go = (id: string, label: string, to: Route): PaletteCommand => ({
      id,
      label,
      group: 'Go to',
      run: () => navigate(to),
    });
    const all: PaletteCommand[] = [
      go('home', 'Connections', { view: 'home' }),
      go('link', 'Link an account', { view: 'link', providerId: null }),
      go('workbench', 'QA workbench', { view: 'workbench' }),
      go('requests', 'Request inspector', { view: 'requests' }),
      go('settings', 'Settings', { view: 'settings' }),
    ];
    for (const c of connections.data ?? []) {
      all.push({
        id: `connection-${c.id}`,
        label: presenter.mask('name', c.label),
        group: 'Connection',
        run: () => navigate({ view: 'connection', id: c.id, tab: 'accounts', sub: null }),
      });
    }
    if (route.view === 'connection') {
      for (const tab of CONNECTION_TABS) {
        all.push({
          id: `tab-${tab}`,
          label: TAB_LABELS[tab],
          group: 'Tab',
          run: () => navigate({ view: 'connection', id: route.id, tab, sub: null }),
        });
      }
    }
    all.push(
      {
        id: 'presenter',
        label: presenter.on ? 'Presenter mode off' : 'Presenter mode on',
        group: 'Action',
        run: presenter.toggle,
      },
      {
        id: 'theme',
        label: theme === 'dark' ? 'Light theme' : 'Dark theme',
        group: 'Action',
        run: toggleTheme,
      },
    );
    return all;
  }, [connections.data, presenter, route, navigate, theme, toggleTheme]);

  const shown = commands.filter((c) => matches(c, query));
  const current = Math.min(active, Math.max(0, shown.length - 1));

  function run(command: PaletteCommand | undefined) {
    if (!command) return;
    onClose();
    command.run();
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    const step = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : 0;
    if (step !== 0 && shown.length > 0) {
      e.preventDefault();
      setActive((current + step + shown.length) % shown.length);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      run(shown[current]);
    }
  }

  return (
    <div className="palette">
      <input
        className="input palette-input"
        role="combobox"
        aria-expanded="true"
        aria-controls={listId}
        aria-activedescendant={shown[current] ? `${listId}-${shown[current].id}` : undefined}
        aria-label="Search commands"
        placeholder="Type a view, a connection, a tab or an action"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
        data-testid="palette-input"
      />
      {shown.length === 0 ? (
        <p className="muted palette-empty">Nothing matches “{query}”.</p>
      ) : (
        <div className="palette-list" role="listbox" id={listId} aria-label="Commands">
          {shown.map((c, i) => (
            <div
              key={c.id}
              id={`${listId}-${c.id}`}
              role="option"
              tabIndex={-1}
              aria-selected={i === current}
              className={i === current ? 'palette-item palette-item-active' : 'palette-item'}
              onMouseEnter={() => setActive(i)}
              onMouseDown={(e) => {
                e.preventDefault();
                run(c);
              }}
              data-testid={`palette-${c.id}`}
            >
              <span>{c.label}</span>
              <span className="palette-group">{c.group}</span>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
