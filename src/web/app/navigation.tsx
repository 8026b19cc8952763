import {
  ApartmentOutlined,
  AuditOutlined,
  HomeOutlined,
  SafetyCertificateOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';
import type { Messages } from '../i18n/zh-CN';

export interface NavItem {
  path: string;
  labelKey: `nav.${keyof Messages['nav']}`;
  icon: ReactNode;
  /** Shown only to users who hold this permission; the page checks it again. */
  permission?: string;
}

/** The sections of the app, in menu order. */
export const navItems: NavItem[] = [
  { path: '/', labelKey: 'nav.home', icon: <HomeOutlined aria-hidden  /> },
  { path: '/units', labelKey: 'nav.units', icon: <ApartmentOutlined aria-hidden  />, permission: 'unit.read' },
  { path: '/users', labelKey: 'nav.users', icon: <TeamOutlined aria-hidden  />, permission: 'user.read' },
  { path: '/roles', labelKey: 'nav.roles', icon: <SafetyCertificateOutlined aria-hidden  />, permission: 'role.read' },
  { path: '/audit', labelKey: 'nav.audit', icon: <AuditOutlined aria-hidden  />, permission: 'audit.read' },
  { path: '/account', labelKey: 'nav.account', icon: <UserOutlined aria-hidden  /> },
];
