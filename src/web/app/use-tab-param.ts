import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

/**
 * The open tab of a page, kept in the address (`?tab=sets`) so that a link or a reload shows the
 * same tab; anything else in the address reads as the first tab.
 */
export function useTabParam<T extends string>(tabs: readonly [T, ...T[]]): [T, (key: string) => void] {
  const [searchParams, setSearchParams] = useSearchParams();
  const asked = searchParams.get('tab');
  const tab = tabs.find((t) => t === asked) ?? tabs[0];
  const setTab = useCallback(
    (key: string) =>
      setSearchParams(
        (params) => {
          const next = new URLSearchParams(params);
          next.set('tab', key);
          return next;
        },
        { replace: true },
      ),
    [setSearchParams],
  );
  return [tab, setTab];
}
