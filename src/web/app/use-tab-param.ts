import { useCallback } from 'react';
import { useSearchParams } from 'react-router';
import { useSetSearchParam } from './use-search-param';

/**
 * The open tab of a page, kept in the address (`?tab=sets`) so that a link or a reload shows the
 * same tab; anything else in the address reads as the first tab.
 */
export function useTabParam<T extends string>(tabs: readonly [T, ...T[]]): [T, (key: string) => void] {
  const [searchParams] = useSearchParams();
  const set = useSetSearchParam();
  const asked = searchParams.get('tab');
  const tab = tabs.find((t) => t === asked) ?? tabs[0];
  const setTab = useCallback((key: string) => set('tab', key), [set]);
  return [tab, setTab];
}
