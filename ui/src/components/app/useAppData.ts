import { useContext } from 'react';
import { AppDataContext, type AppData } from './AppDataContext';

export function useAppData(): AppData {
  const data = useContext(AppDataContext);
  if (!data) throw new Error('useAppData must be used inside <AppDataProvider>');
  return data;
}
