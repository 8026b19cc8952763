import { DownOutlined, LogoutOutlined, MenuOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Drawer, Dropdown, Flex, Grid, Layout, Menu, Typography, theme } from 'antd';
import type { MenuProps } from 'antd';
import { Suspense, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router';
import { useLogout } from '../features/auth/queries';
import { NotificationsBell } from '../features/notifications/notifications-bell';
import { VersionNote } from '../features/system/version-note';
import { LanguageSwitch } from './locale';
import { navGroups, navItems, type NavGroupKey } from './navigation';
import { useMe, usePermission } from './session';
import { PageSpin } from './status-pages';
import { AntdProviders } from './antd-providers';

const headerHeight = 56;

/** The signed-in frame: header, menu (a sider on wide screens, a drawer on phones), page, footer. */
export function AppLayout() {
  return (
    <AntdProviders>
      <AppFrame />
    </AntdProviders>
  );
}

function AppFrame() {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const screens = Grid.useBreakpoint();
  const isDesktop = screens.lg === true;
  const me = useMe();
  const can = usePermission();
  const logout = useLogout();
  const location = useLocation();
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [collapsed, setCollapsed] = useState(false);

  // The menu item whose path is the longest prefix of the location (/energy/meters/X → /energy/meters).
  const section =
    navItems
      .map((item) => item.path)
      .filter((p) => location.pathname === p || (p !== '/' && location.pathname.startsWith(`${p}/`)))
      .sort((a, b) => b.length - a.length)[0] ?? `/${location.pathname.split('/')[1] ?? ''}`;
  // Items in menu order; the items of a group gather in a submenu where its first item would be.
  const menuItems: NonNullable<MenuProps['items']> = [];
  const submenus = new Map<NavGroupKey, { key: string; icon: ReactNode; label: string; children: NonNullable<MenuProps['items']> }>();
  for (const item of navItems) {
    if (item.permission && !can(item.permission)) continue;
    const entry = { key: item.path, icon: item.icon, label: <Link to={item.path}>{t(item.labelKey)}</Link> };
    if (!item.group) {
      menuItems.push(entry);
      continue;
    }
    let submenu = submenus.get(item.group);
    if (!submenu) {
      const group = navGroups[item.group];
      submenu = { key: item.group, icon: group.icon, label: t(group.labelKey), children: [] };
      submenus.set(item.group, submenu);
      menuItems.push(submenu);
    }
    submenu.children.push(entry);
  }
  const menu = (
    <Menu
      mode="inline"
      selectedKeys={[section]}
      defaultOpenKeys={[...submenus.keys()]}
      items={menuItems}
      // Following a link closes the drawer on phones.
      onClick={() => setDrawerOpen(false)}
      style={{ borderInlineEnd: 'none' }}
    />
  );


  const userMenu: MenuProps = {
    items: [
      { key: 'account', icon: <UserOutlined aria-hidden  />, label: <Link to="/account">{t('nav.account')}</Link> },
      { type: 'divider' },
      { key: 'logout', icon: <LogoutOutlined aria-hidden  />, label: t('nav.logout'), danger: true },
    ],
    onClick: ({ key }) => {
      if (key === 'logout') logout.mutate();
    },
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header
        className="app-header"
        style={{
          position: 'sticky',
          top: 0,
          zIndex: 10,
          height: headerHeight,
          lineHeight: 'normal',
          paddingInline: isDesktop ? 24 : 8,
          background: token.colorBgContainer,
          borderBottom: `1px solid ${token.colorBorderSecondary}`,
        }}
      >
        <Flex align="center" justify="space-between" gap={8} style={{ height: '100%' }}>
          <Flex align="center" gap={8} style={{ minWidth: 0 }}>
            {isDesktop ? null : (
              <Button type="text" icon={<MenuOutlined aria-hidden  />} aria-label={t('app.openMenu')} onClick={() => setDrawerOpen(true)} />
            )}
            <Link to="/" style={{ color: 'inherit', minWidth: 0 }}>
              <Typography.Text strong ellipsis style={{ fontSize: 16 }}>
                {screens.sm ? `${t('app.name')} ${t('app.product')}` : t('app.product')}
              </Typography.Text>
            </Link>
          </Flex>
          <Flex align="center" gap={4}>
            <NotificationsBell />
            <LanguageSwitch />
            <Dropdown menu={userMenu} trigger={['click']} placement="bottomRight">
              <Button type="text" icon={<UserOutlined aria-hidden  />} aria-label={screens.sm ? undefined : t('app.userMenu')}>
                {screens.sm ? (
                  <>
                    {me.displayName} <DownOutlined aria-hidden style={{ fontSize: 10 }} />
                  </>
                ) : null}
              </Button>
            </Dropdown>
          </Flex>
        </Flex>
      </Layout.Header>
      <Layout>
        {isDesktop ? (
          <Layout.Sider
            className="app-sider"
            theme="light"
            collapsible
            collapsed={collapsed}
            onCollapse={setCollapsed}
            width={220}
            style={{
              borderInlineEnd: `1px solid ${token.colorBorderSecondary}`,
              position: 'sticky',
              top: headerHeight,
              height: `calc(100vh - ${headerHeight}px)`,
              overflow: 'auto',
            }}
          >
            {menu}
          </Layout.Sider>
        ) : (
          <Drawer
            placement="left"
            open={drawerOpen}
            onClose={() => setDrawerOpen(false)}
            size={260}
            title={`${t('app.name')} ${t('app.product')}`}
            styles={{ body: { padding: 0 } }}
          >
            {menu}
          </Drawer>
        )}
        <Layout>
          <Layout.Content className="app-content" style={{ padding: isDesktop ? 24 : 12, minWidth: 0 }}>
            <Suspense fallback={<PageSpin />}>
              <Outlet />
            </Suspense>
          </Layout.Content>
          <Layout.Footer className="app-footer" style={{ textAlign: 'center', padding: '12px 16px' }}>
            <VersionNote />
          </Layout.Footer>
        </Layout>
      </Layout>
    </Layout>
  );
}
