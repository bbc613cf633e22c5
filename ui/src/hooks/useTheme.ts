import { useCallback, useSyncExternalStore } from 'react';

// Theme: the system's (prefers-color-scheme) until the user picks one with the toggle; the pick is
// kept in localStorage. Either way it is applied as html[data-theme].

export type Theme = 'light' | 'dark';
const KEY = 'linkscope.theme';
const listeners = new Set<() => void>();

function stored(): Theme | null {
  try {
    const v = window.localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : null;
  } catch {
    return null;
  }
}

function systemTheme(): Theme {
  return typeof window.matchMedia === 'function' && window.matchMedia('(prefers-color-scheme: dark)').matches
    ? 'dark'
    : 'light';
}

export function resolvedTheme(): Theme {
  return stored() ?? systemTheme();
}

/**
 * Applies the theme to <html> as `data-theme` (the stored pick, else the system's), so the dark
 * palette is written once in tokens.css. Called once before the first render; follows the
 * system's theme while the user has not picked one.
 */
export function startTheme(): void {
  const apply = () => {
    document.documentElement.dataset.theme = resolvedTheme();
  };
  apply();
  if (typeof window.matchMedia === 'function') {
    window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', apply);
  }
}

function subscribe(onChange: () => void): () => void {
  listeners.add(onChange);
  const media = typeof window.matchMedia === 'function' ? window.matchMedia('(prefers-color-scheme: dark)') : null;
  media?.addEventListener('change', onChange);
  return () => {
    listeners.delete(onChange);
    media?.removeEventListener('change', onChange);
  };
}

export function useTheme(): [Theme, () => void] {
  const theme = useSyncExternalStore(subscribe, resolvedTheme, () => 'light' as Theme);
  const toggle = useCallback(() => {
    const next: Theme = resolvedTheme() === 'dark' ? 'light' : 'dark';
    try {
      window.localStorage.setItem(KEY, next);
    } catch {
      // storage unavailable: the choice lasts for this page only
    }
    document.documentElement.dataset.theme = next;
    listeners.forEach((l) => l());
  }, []);
  return [theme, toggle];
}
