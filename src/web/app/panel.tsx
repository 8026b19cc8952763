import type { HTMLAttributes, ReactNode } from 'react';

/**
 * A box with an optional title bar, drawn like antd's Card (plain.css) for the pages that would load
 * Card only for that: antd's Card brings its Tabs along (≈ 14 KB gzip, issue 9). The Card props the
 * features use: `title`, `extra`, `size`, `hoverable`, and a div's own.
 */
export function Panel({
  title,
  extra,
  size,
  hoverable,
  className,
  children,
  ...rest
}: Omit<HTMLAttributes<HTMLDivElement>, 'title'> & { title?: ReactNode; extra?: ReactNode; size?: 'small' | 'default'; hoverable?: boolean }) {
  const classes = ['plain-card', size === 'small' ? 'plain-card-small' : null, hoverable ? 'plain-card-hoverable' : null, className].filter(Boolean).join(' ');
  return (
    <div className={classes} {...rest}>
      {title || extra ? (
        <div className="plain-card-head">
          <div className="plain-card-title">{title}</div>
          {extra ? <div className="plain-card-extra">{extra}</div> : null}
        </div>
      ) : null}
      <div className="plain-card-body">{children}</div>
    </div>
  );
}
