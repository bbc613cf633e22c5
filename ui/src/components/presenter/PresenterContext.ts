import { createContext } from 'react';
import type { MaskKind } from '../../lib/mask';

export interface PresenterApi {
  on: boolean;
  toggle: () => void;
  /** The value as it may be shown or copied now (masked while presenter mode is on). */
  mask: (kind: MaskKind, value: string) => string;
  /** For raw JSON views: masks personal string leaves while presenter mode is on. */
  maskJson: ((key: string | null, value: string) => string) | undefined;
}

export const PresenterContext = createContext<PresenterApi>({
  on: false,
  toggle: () => undefined,
  mask: (_kind, value) => value,
  maskJson: undefined,
});
