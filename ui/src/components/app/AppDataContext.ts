import { createContext } from 'react';
import type { AppInfo, Connection, Environment } from '../../ipc';
import type { AsyncResult } from '../../query';

export interface AppData {
  appInfo: AsyncResult<AppInfo>;
  environments: AsyncResult<Environment[]>;
  activeEnvironment: Environment | null;
  connections: AsyncResult<Connection[]>;
  /** Adds or replaces one connection in the sidebar list (after a link, rename, refresh…). */
  upsertConnection: (connection: Connection) => void;
  removeConnection: (id: string) => void;
  reloadEnvironments: () => void;
}

export const AppDataContext = createContext<AppData | null>(null);
