import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

/**
 * A setter for one parameter of the address (`?unit=DJ1`), keeping the others: an empty value
 * removes it. It replaces the history entry unless `push` is asked for (opening a detail that the
 * back button should close); `clear` names parameters it removes too (a filter that changes sends
 * a paged list back to its first page).
 */
export function useSetSearchParam(): (key: string, value: string | null | undefined, options?: { push?: boolean; clear?: string[] }) => void {
  const [, setSearchParams] = useSearchParams();
  return useCallback(
    (key, value, options) =>
      setSearchParams(
        (params) => {
          const next = new URLSearchParams(params);
          for (const other of options?.clear ?? []) next.delete(other);
          if (value) next.set(key, value);
          else next.delete(key);
          return next;
        },
        { replace: !options?.push },
      ),
    [setSearchParams],
  );
}
