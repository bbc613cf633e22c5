import { useContext } from 'react';
import { PresenterContext, type PresenterApi } from './PresenterContext';

export function usePresenter(): PresenterApi {
  return useContext(PresenterContext);
}
