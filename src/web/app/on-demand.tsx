import { lazy, Suspense, useState, type ComponentType } from 'react';

/**
 * A drawer or dialog whose code loads the first time it opens, not with its page (issue 9: what a
 * page downloads to show itself). `isOpen` reads from its props whether it is shown: until it first
 * is, nothing renders; afterwards it stays mounted, so that it can animate closed. `load` must be
 * `() => import(/* on demand *\/ '…')` so that scripts/web-budget.mjs leaves it out of the page's figure.
 */
export function onDemand<P extends object>(load: () => Promise<ComponentType<P>>, isOpen: (props: P) => boolean): ComponentType<P> {
  const Loaded = lazy(async () => ({ default: await load() }));
  function OnDemand(props: P) {
    const [opened, setOpened] = useState(false);
    const open = isOpen(props);
    if (open && !opened) setOpened(true);
    if (!open && !opened) return null;
    return (
      <Suspense fallback={null}>
        <Loaded {...props} />
      </Suspense>
    );
  }
  return OnDemand;
}
