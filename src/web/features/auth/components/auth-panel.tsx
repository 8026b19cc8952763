import type { CSSProperties, ReactNode } from 'react';

/**
 * A card-like box for the pages shown before the app (login, forced password change): plain elements
 * styled like antd's Card (plain.css), so that the sign-in page needs no antd at all.
 */
export function AuthPanel({ title, children, style, compact }: { title?: ReactNode; children: ReactNode; style?: CSSProperties; compact?: boolean }) {
  return (
    <section className={compact ? 'plain-panel plain-panel-compact' : 'plain-panel'} style={style}>
      {title ? <h4 className="plain-panel-title">{title}</h4> : null}
      {children}
    </section>
  );
}
