import { Typography, theme } from 'antd';
import type { CSSProperties, ReactNode } from 'react';

/**
 * A card-like box for the pages shown before the app (login, forced password change). antd's Card
 * brings Tabs along, too heavy for the first page a user loads.
 */
export function AuthPanel({ title, children, style }: { title?: ReactNode; children: ReactNode; style?: CSSProperties }) {
  const { token } = theme.useToken();
  return (
    <section
      style={{
        background: token.colorBgContainer,
        borderRadius: token.borderRadiusLG,
        border: `1px solid ${token.colorBorderSecondary}`,
        boxShadow: token.boxShadowTertiary,
        padding: token.paddingLG,
        ...style,
      }}
    >
      {title ? (
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          {title}
        </Typography.Title>
      ) : null}
      {children}
    </section>
  );
}
