import { useEffect, useEffectEvent } from 'react';

export interface Hotkey {
  key: string;
  /** Ctrl on Linux/Windows, ⌘ on macOS. */
  mod?: boolean;
  shift?: boolean;
  alt?: boolean;
}

export function matchesHotkey(e: KeyboardEvent, hotkey: Hotkey): boolean {
  const mod = e.ctrlKey || e.metaKey;
  return (
    e.key.toLowerCase() === hotkey.key.toLowerCase() &&
    mod === Boolean(hotkey.mod) &&
    e.shiftKey === Boolean(hotkey.shift) &&
    e.altKey === Boolean(hotkey.alt)
  );
}

/** Calls `action` when the key combination is pressed anywhere in the window. */
export function useHotkey(hotkey: Hotkey, action: () => void): void {
  const run = useEffectEvent(action);
  const { key, mod, shift, alt } = hotkey;
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (matchesHotkey(e, { key, mod, shift, alt })) {
        e.preventDefault();
        run();
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [key, mod, shift, alt]);
}

export const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
export const modLabel = isMac ? '⌘' : 'Ctrl';

/** Alt+1…Alt+9: calls `onDigit(n)` (tab switching). */
export function useAltDigitHotkeys(onDigit: (digit: number) => void): void {
  const run = useEffectEvent(onDigit);
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (!e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
      const digit = Number.parseInt(e.code.startsWith('Digit') ? e.code.slice(5) : e.key, 10);
      if (digit >= 1 && digit <= 9) {
        e.preventDefault();
        run(digit);
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
