import {
  HeartOutlined,
  SolutionOutlined,
  GlobalOutlined,
  ExceptionOutlined,
  ShareAltOutlined,
  MedicineBoxOutlined,
  ProfileOutlined,
  ShoppingCartOutlined,
  ShopOutlined,
  GiftOutlined,
  ControlOutlined,
  CommentOutlined,
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
import { sectionPermissions } from './section-permissions';

export type NavGroupKey = 'groupBenchmarking' | 'groupResults' | 'groupEnergy' | 'groupAccess' | 'groupHealth';
/** A menu label: the nav block's, or a feature block's own nav labels (results). */
type NavLabelKey = `nav.${keyof Messages['nav']}` | `results.nav.${keyof Messages['results']['nav']}` | `energy.nav.${keyof Messages['energy']['nav']}` | `gate.nav.${keyof Messages['gate']['nav']}` | `accessRegistry.nav.${keyof Messages['accessRegistry']['nav']}` | `accessLive.nav.${keyof Messages['accessLive']['nav']}`
  | `healthCare.nav.${keyof Messages['healthCare']['nav']}` | `healthCases.nav.${keyof Messages['healthCases']['nav']}` | `healthSupport.nav.${keyof Messages['healthSupport']['nav']}`;

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
  groupHealth: { labelKey: 'healthCare.nav.group', icon: <MedicineBoxOutlined aria-hidden /> },
};

/** The sections of the app, in menu order (their permissions: section-permissions.ts). */
const menuSections: Omit<NavItem, 'permission'>[] = [
  { path: '/', labelKey: 'nav.home', icon: <HomeOutlined aria-hidden  /> },
  { path: '/scorecard', labelKey: 'nav.scorecard', icon: <DashboardOutlined aria-hidden />, group: 'groupBenchmarking' },
  { path: '/entry', labelKey: 'nav.entry', icon: <EditOutlined aria-hidden />, group: 'groupBenchmarking' },
  { path: '/indicators', labelKey: 'nav.indicators', icon: <UnorderedListOutlined aria-hidden />, group: 'groupBenchmarking' },
  { path: '/benchmarks', labelKey: 'nav.benchmarks', icon: <TrophyOutlined aria-hidden />, group: 'groupBenchmarking' },
  { path: '/selections', labelKey: 'nav.selections', icon: <FlagOutlined aria-hidden />, group: 'groupBenchmarking' },
  { path: '/targets', labelKey: 'nav.targets', icon: <AimOutlined aria-hidden />, group: 'groupBenchmarking' },
  { path: '/analysis', labelKey: 'nav.analysis', icon: <HeatMapOutlined aria-hidden />, group: 'groupBenchmarking' },
  { path: '/warnings', labelKey: 'nav.warnings', icon: <AlertOutlined aria-hidden />, group: 'groupBenchmarking' },
  { path: '/problems', labelKey: 'nav.problems', icon: <IssuesCloseOutlined aria-hidden />, group: 'groupBenchmarking' },
  { path: '/supervision', labelKey: 'nav.supervision', icon: <ScheduleOutlined aria-hidden />, group: 'groupBenchmarking' },
  { path: '/notices', labelKey: 'nav.notices', icon: <SoundOutlined aria-hidden />, group: 'groupBenchmarking' },
  { path: '/evaluations', labelKey: 'nav.evaluations', icon: <CarryOutOutlined aria-hidden />, group: 'groupBenchmarking' },
  { path: '/control-chart', labelKey: 'nav.controlChart', icon: <LineChartOutlined aria-hidden />, group: 'groupBenchmarking' },
  { path: '/report', labelKey: 'nav.report', icon: <FileTextOutlined aria-hidden />, group: 'groupBenchmarking' },
  { path: '/periods', labelKey: 'nav.periods', icon: <CalendarOutlined aria-hidden />, group: 'groupBenchmarking' },
  { path: '/imports', labelKey: 'nav.imports', icon: <UploadOutlined aria-hidden />, group: 'groupBenchmarking' },
  { path: '/competitions', labelKey: 'results.nav.competitions', icon: <FireOutlined aria-hidden />, group: 'groupResults' },
  { path: '/piece-rates', labelKey: 'results.nav.pieceRates', icon: <CalculatorOutlined aria-hidden />, group: 'groupResults' },
  { path: '/ideas', labelKey: 'results.nav.ideas', icon: <BulbOutlined aria-hidden />, group: 'groupResults' },
  { path: '/idle-assets', labelKey: 'results.nav.idleAssets', icon: <InboxOutlined aria-hidden />, group: 'groupResults' },
  { path: '/energy', labelKey: 'energy.nav.dashboard', icon: <PieChartOutlined aria-hidden />, group: 'groupEnergy' },
  { path: '/energy/meters', labelKey: 'energy.nav.meters', icon: <NodeIndexOutlined aria-hidden />, group: 'groupEnergy' },
  { path: '/energy/quality', labelKey: 'energy.nav.quality', icon: <BlockOutlined aria-hidden />, group: 'groupEnergy' },
  { path: '/energy/anomalies', labelKey: 'energy.nav.anomalies', icon: <WarningOutlined aria-hidden />, group: 'groupEnergy' },
  { path: '/energy/readings/upload', labelKey: 'energy.nav.upload', icon: <CloudUploadOutlined aria-hidden />, group: 'groupEnergy' },
  { path: '/access', labelKey: 'accessLive.nav.live', icon: <MonitorOutlined aria-hidden />, group: 'groupAccess' },
  { path: '/access/sites', labelKey: 'accessRegistry.nav.sites', icon: <EnvironmentOutlined aria-hidden />, group: 'groupAccess' },
  { path: '/access/people', labelKey: 'accessRegistry.nav.people', icon: <ContactsOutlined aria-hidden />, group: 'groupAccess' },
  { path: '/access/passes', labelKey: 'accessRegistry.nav.passes', icon: <IdcardOutlined aria-hidden />, group: 'groupAccess' },
  { path: '/access/roll-call', labelKey: 'accessLive.nav.rollCall', icon: <OrderedListOutlined aria-hidden />, group: 'groupAccess' },
  { path: '/access/visits', labelKey: 'accessLive.nav.visits', icon: <UserAddOutlined aria-hidden />, group: 'groupAccess' },
  { path: '/access/block-list', labelKey: 'accessLive.nav.blockList', icon: <StopOutlined aria-hidden />, group: 'groupAccess' },
  { path: '/access/vehicles', labelKey: 'accessLive.nav.vehicles', icon: <CarOutlined aria-hidden />, group: 'groupAccess' },
  { path: '/access/duty', labelKey: 'accessLive.nav.duty', icon: <FieldTimeOutlined aria-hidden />, group: 'groupAccess' },
  { path: '/health/card', labelKey: 'healthCare.nav.card', icon: <HeartOutlined aria-hidden />, group: 'groupHealth' },
  { path: '/health/declarations', labelKey: 'healthCare.nav.declarations', icon: <SolutionOutlined aria-hidden />, group: 'groupHealth' },
  { path: '/health/travel', labelKey: 'healthCare.nav.travel', icon: <CarOutlined aria-hidden />, group: 'groupHealth' },
  { path: '/health/risk-areas', labelKey: 'healthCare.nav.riskAreas', icon: <GlobalOutlined aria-hidden />, group: 'groupHealth' },
  { path: '/health/cases', labelKey: 'healthCases.nav.cases', icon: <ExceptionOutlined aria-hidden />, group: 'groupHealth' },
  { path: '/health/contacts', labelKey: 'healthCases.nav.contacts', icon: <ShareAltOutlined aria-hidden />, group: 'groupHealth' },
  { path: '/health/quarantines', labelKey: 'healthCases.nav.quarantines', icon: <HomeOutlined aria-hidden />, group: 'groupHealth' },
  { path: '/health/transfers', labelKey: 'healthCases.nav.transfers', icon: <MedicineBoxOutlined aria-hidden />, group: 'groupHealth' },
  { path: '/health/briefing', labelKey: 'healthSupport.nav.briefing', icon: <ProfileOutlined aria-hidden />, group: 'groupHealth' },
  { path: '/health/supplies', labelKey: 'healthSupport.nav.supplies', icon: <ShoppingCartOutlined aria-hidden />, group: 'groupHealth' },
  { path: '/health/supply-points', labelKey: 'healthSupport.nav.supplyPoints', icon: <ShopOutlined aria-hidden />, group: 'groupHealth' },
  { path: '/health/donations', labelKey: 'healthSupport.nav.donations', icon: <GiftOutlined aria-hidden />, group: 'groupHealth' },
  { path: '/health/rules', labelKey: 'healthCare.nav.rules', icon: <ControlOutlined aria-hidden />, group: 'groupHealth' },
  { path: '/health/contests', labelKey: 'healthCare.nav.contests', icon: <CommentOutlined aria-hidden />, group: 'groupHealth' },
  { path: '/health/incidents', labelKey: 'healthCare.nav.incidents', icon: <AlertOutlined aria-hidden />, group: 'groupHealth' },
  { path: '/gate', labelKey: 'gate.nav.gate', icon: <ScanOutlined aria-hidden /> },
  { path: '/units', labelKey: 'nav.units', icon: <ApartmentOutlined aria-hidden  /> },
  { path: '/users', labelKey: 'nav.users', icon: <TeamOutlined aria-hidden  /> },
  { path: '/roles', labelKey: 'nav.roles', icon: <SafetyCertificateOutlined aria-hidden  /> },
  { path: '/audit', labelKey: 'nav.audit', icon: <AuditOutlined aria-hidden  /> },
  { path: '/my/pass', labelKey: 'accessRegistry.nav.myPass', icon: <QrcodeOutlined aria-hidden /> },
  { path: '/account', labelKey: 'nav.account', icon: <UserOutlined aria-hidden  /> },
];

export const navItems: NavItem[] = menuSections.map((item) => ({ ...item, permission: sectionPermissions[item.path] }));
