import {
  BulbOutlined,
  CalculatorOutlined,
  FireOutlined,
  InboxOutlined,
  RiseOutlined,
  AlertOutlined,
  ApartmentOutlined,
  AuditOutlined,
  CalendarOutlined,
  CarryOutOutlined,
  DashboardOutlined,
  EditOutlined,
  FileTextOutlined,
  FlagOutlined,
  AimOutlined,
  TrophyOutlined,
  HeatMapOutlined,
  FundOutlined,
  HomeOutlined,
  LineChartOutlined,
  IssuesCloseOutlined,
  SafetyCertificateOutlined,
  ScheduleOutlined,
  SoundOutlined,
  UploadOutlined,
  TeamOutlined,
  UnorderedListOutlined,
  UserOutlined,
  ThunderboltOutlined,
  PieChartOutlined,
  NodeIndexOutlined,
  BlockOutlined,
  WarningOutlined,
  CloudUploadOutlined,
  ScanOutlined,
  SafetyOutlined,
  EnvironmentOutlined,
  IdcardOutlined,
  ContactsOutlined,
  QrcodeOutlined,
  MonitorOutlined,
  OrderedListOutlined,
  UserAddOutlined,
  StopOutlined,
  CarOutlined,
  FieldTimeOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';
import type { Messages } from '../i18n/zh-CN';

export type NavGroupKey = 'groupBenchmarking' | 'groupResults' | 'groupEnergy' | 'groupAccess';
/** A menu label: the nav block's, or a feature block's own nav labels (results). */
type NavLabelKey = `nav.${keyof Messages['nav']}` | `results.nav.${keyof Messages['results']['nav']}` | `energy.nav.${keyof Messages['energy']['nav']}` | `gate.nav.${keyof Messages['gate']['nav']}` | `accessRegistry.nav.${keyof Messages['accessRegistry']['nav']}` | `accessLive.nav.${keyof Messages['accessLive']['nav']}`;

export interface NavItem {
  path: string;
  labelKey: NavLabelKey;
  icon: ReactNode;
  /** Shown only to users who hold this permission; the page checks it again. */
  permission?: string;
  /** The submenu the item sits in; none for top-level items. */
  group?: NavGroupKey;
}

/** The submenus, with their own icon; shown when the user may open at least one of their items. */
export const navGroups: Record<NavGroupKey, { labelKey: NavLabelKey; icon: ReactNode }> = {
  groupBenchmarking: { labelKey: 'nav.groupBenchmarking', icon: <FundOutlined aria-hidden /> },
  groupResults: { labelKey: 'results.nav.group', icon: <RiseOutlined aria-hidden /> },
  groupEnergy: { labelKey: 'energy.nav.group', icon: <ThunderboltOutlined aria-hidden /> },
  groupAccess: { labelKey: 'accessRegistry.nav.group', icon: <SafetyOutlined aria-hidden /> },
};

/** The sections of the app, in menu order. */
export const navItems: NavItem[] = [
  { path: '/', labelKey: 'nav.home', icon: <HomeOutlined aria-hidden  /> },
  { path: '/scorecard', labelKey: 'nav.scorecard', icon: <DashboardOutlined aria-hidden />, permission: 'indicator.read', group: 'groupBenchmarking' },
  { path: '/entry', labelKey: 'nav.entry', icon: <EditOutlined aria-hidden />, permission: 'indicator.read', group: 'groupBenchmarking' },
  { path: '/indicators', labelKey: 'nav.indicators', icon: <UnorderedListOutlined aria-hidden />, permission: 'indicator.read', group: 'groupBenchmarking' },
  { path: '/benchmarks', labelKey: 'nav.benchmarks', icon: <TrophyOutlined aria-hidden />, permission: 'indicator.read', group: 'groupBenchmarking' },
  { path: '/selections', labelKey: 'nav.selections', icon: <FlagOutlined aria-hidden />, permission: 'indicator.read', group: 'groupBenchmarking' },
  { path: '/targets', labelKey: 'nav.targets', icon: <AimOutlined aria-hidden />, permission: 'indicator.read', group: 'groupBenchmarking' },
  { path: '/analysis', labelKey: 'nav.analysis', icon: <HeatMapOutlined aria-hidden />, permission: 'indicator.read', group: 'groupBenchmarking' },
  { path: '/warnings', labelKey: 'nav.warnings', icon: <AlertOutlined aria-hidden />, permission: 'indicator.read', group: 'groupBenchmarking' },
  { path: '/problems', labelKey: 'nav.problems', icon: <IssuesCloseOutlined aria-hidden />, permission: 'problem.read', group: 'groupBenchmarking' },
  { path: '/supervision', labelKey: 'nav.supervision', icon: <ScheduleOutlined aria-hidden />, permission: 'problem.read', group: 'groupBenchmarking' },
  { path: '/notices', labelKey: 'nav.notices', icon: <SoundOutlined aria-hidden />, permission: 'problem.read', group: 'groupBenchmarking' },
  { path: '/evaluations', labelKey: 'nav.evaluations', icon: <CarryOutOutlined aria-hidden />, permission: 'indicator.read', group: 'groupBenchmarking' },
  { path: '/control-chart', labelKey: 'nav.controlChart', icon: <LineChartOutlined aria-hidden />, permission: 'indicator.read', group: 'groupBenchmarking' },
  { path: '/report', labelKey: 'nav.report', icon: <FileTextOutlined aria-hidden />, permission: 'indicator.read', group: 'groupBenchmarking' },
  { path: '/periods', labelKey: 'nav.periods', icon: <CalendarOutlined aria-hidden />, permission: 'indicator.read', group: 'groupBenchmarking' },
  { path: '/imports', labelKey: 'nav.imports', icon: <UploadOutlined aria-hidden />, permission: 'import.run', group: 'groupBenchmarking' },
  { path: '/competitions', labelKey: 'results.nav.competitions', icon: <FireOutlined aria-hidden />, permission: 'indicator.read', group: 'groupResults' },
  { path: '/piece-rates', labelKey: 'results.nav.pieceRates', icon: <CalculatorOutlined aria-hidden />, permission: 'indicator.read', group: 'groupResults' },
  { path: '/ideas', labelKey: 'results.nav.ideas', icon: <BulbOutlined aria-hidden />, group: 'groupResults' },
  { path: '/idle-assets', labelKey: 'results.nav.idleAssets', icon: <InboxOutlined aria-hidden />, permission: 'problem.read', group: 'groupResults' },
  { path: '/energy', labelKey: 'energy.nav.dashboard', icon: <PieChartOutlined aria-hidden />, permission: 'indicator.read', group: 'groupEnergy' },
  { path: '/energy/meters', labelKey: 'energy.nav.meters', icon: <NodeIndexOutlined aria-hidden />, permission: 'indicator.read', group: 'groupEnergy' },
  { path: '/energy/quality', labelKey: 'energy.nav.quality', icon: <BlockOutlined aria-hidden />, permission: 'indicator.read', group: 'groupEnergy' },
  { path: '/energy/anomalies', labelKey: 'energy.nav.anomalies', icon: <WarningOutlined aria-hidden />, permission: 'indicator.read', group: 'groupEnergy' },
  { path: '/energy/readings/upload', labelKey: 'energy.nav.upload', icon: <CloudUploadOutlined aria-hidden />, permission: 'measurement.enter', group: 'groupEnergy' },
  { path: '/access', labelKey: 'accessLive.nav.live', icon: <MonitorOutlined aria-hidden />, permission: 'access.read', group: 'groupAccess' },
  { path: '/access/sites', labelKey: 'accessRegistry.nav.sites', icon: <EnvironmentOutlined aria-hidden />, permission: 'access.read', group: 'groupAccess' },
  { path: '/access/people', labelKey: 'accessRegistry.nav.people', icon: <ContactsOutlined aria-hidden />, permission: 'person.read', group: 'groupAccess' },
  { path: '/access/passes', labelKey: 'accessRegistry.nav.passes', icon: <IdcardOutlined aria-hidden />, permission: 'access.read', group: 'groupAccess' },
  { path: '/access/roll-call', labelKey: 'accessLive.nav.rollCall', icon: <OrderedListOutlined aria-hidden />, permission: 'access.read', group: 'groupAccess' },
  { path: '/access/visits', labelKey: 'accessLive.nav.visits', icon: <UserAddOutlined aria-hidden />, permission: 'access.read', group: 'groupAccess' },
  { path: '/access/block-list', labelKey: 'accessLive.nav.blockList', icon: <StopOutlined aria-hidden />, permission: 'access.read', group: 'groupAccess' },
  { path: '/access/vehicles', labelKey: 'accessLive.nav.vehicles', icon: <CarOutlined aria-hidden />, permission: 'access.read', group: 'groupAccess' },
  { path: '/access/duty', labelKey: 'accessLive.nav.duty', icon: <FieldTimeOutlined aria-hidden />, permission: 'access.read', group: 'groupAccess' },
  { path: '/gate', labelKey: 'gate.nav.gate', icon: <ScanOutlined aria-hidden />, permission: 'gate.operate' },
  { path: '/units', labelKey: 'nav.units', icon: <ApartmentOutlined aria-hidden  />, permission: 'unit.read' },
  { path: '/users', labelKey: 'nav.users', icon: <TeamOutlined aria-hidden  />, permission: 'user.read' },
  { path: '/roles', labelKey: 'nav.roles', icon: <SafetyCertificateOutlined aria-hidden  />, permission: 'role.read' },
  { path: '/audit', labelKey: 'nav.audit', icon: <AuditOutlined aria-hidden  />, permission: 'audit.read' },
  { path: '/my/pass', labelKey: 'accessRegistry.nav.myPass', icon: <QrcodeOutlined aria-hidden /> },
  { path: '/account', labelKey: 'nav.account', icon: <UserOutlined aria-hidden  /> },
];
