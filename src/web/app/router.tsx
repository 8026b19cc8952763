import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { createBrowserRouter, type RouteObject } from 'react-router';
import { MfaEnrolmentOnly, PasswordChangeOnly, RequirePermission, RequireSignIn, SignedOutOnly } from './guards';
import { loadTexts, type TextPart } from './i18n';
import { FullPageSpin, NotFoundPage, RouteErrorPage } from './status-pages';

/**
 * A page loaded on first visit: each page is its own chunk. `texts` names the parts of the UI texts
 * (app/i18n.ts) that it and its components use beyond the core ones: the page shows once they are
 * loaded too. scripts/web-budget.mjs counts them in the page's download.
 */
function lazyPage<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K, texts: readonly TextPart[] = []) {
  return lazy(async () => ({ default: (await Promise.all([load(), loadTexts(texts)]))[0][name] }));
}

const AppLayout = lazyPage(() => import('./app-layout'), 'AppLayout');
const LoginPage = lazyPage(() => import('../features/auth/login-page'), 'LoginPage');
const ChangePasswordPage = lazyPage(() => import('../features/auth/change-password-page'), 'ChangePasswordPage');
const MfaSetupPage = lazyPage(() => import('../features/auth/mfa-setup-page'), 'MfaSetupPage');
const HomePage = lazyPage(() => import('../features/home/home-page'), 'HomePage');
const UnitsPage = lazyPage(() => import('../features/units/units-page'), 'UnitsPage', ['admin']);
const UsersPage = lazyPage(() => import('../features/users/users-page'), 'UsersPage', ['admin']);
const RolesPage = lazyPage(() => import('../features/users/roles-page'), 'RolesPage');
const AuditPage = lazyPage(() => import('../features/audit/audit-page'), 'AuditPage', ['admin']);
const AccountPage = lazyPage(() => import('../features/account/account-page'), 'AccountPage');
const ScorecardPage = lazyPage(() => import('../features/scorecard/scorecard-page'), 'ScorecardPage', ['scorecard']);
const EntryPage = lazyPage(() => import('../features/entry/entry-page'), 'EntryPage', ['indicators']);
const IndicatorsPage = lazyPage(() => import('../features/indicators/indicators-page'), 'IndicatorsPage', ['indicators']);
const PeriodsPage = lazyPage(() => import('../features/periods/periods-page'), 'PeriodsPage', ['indicators']);
const ImportsPage = lazyPage(() => import('../features/imports/imports-page'), 'ImportsPage', ['indicators']);
const AnalysisPage = lazyPage(() => import('../features/analysis/analysis-page'), 'AnalysisPage', ['scorecard']);
const ReportPage = lazyPage(() => import('../features/report/report-page'), 'ReportPage', ['scorecard']);
const BenchmarksPage = lazyPage(() => import('../features/benchmarks/benchmarks-page'), 'BenchmarksPage', ['indicators']);
const SelectionsPage = lazyPage(() => import('../features/benchmarks/selections-page'), 'SelectionsPage', ['indicators']);
const TargetsPage = lazyPage(() => import('../features/targets/targets-page'), 'TargetsPage', ['indicators']);
const WarningsPage = lazyPage(() => import('../features/warnings/warnings-page'), 'WarningsPage', ['warnings', 'evaluations']);
const WarningRulesPage = lazyPage(() => import('../features/warnings/rules-page'), 'WarningRulesPage', ['warnings']);
const SupervisionPage = lazyPage(() => import('../features/supervision/supervision-page'), 'SupervisionPage', ['supervision']);
const ProblemsPage = lazyPage(() => import('../features/problems/problems-page'), 'ProblemsPage', ['supervision']);
const NoticesPage = lazyPage(() => import('../features/notices/notices-page'), 'NoticesPage', ['supervision']);
const NoticePage = lazyPage(() => import('../features/notices/notice-page'), 'NoticePage', ['supervision']);
const EvaluationsPage = lazyPage(() => import('../features/evaluations/evaluations-page'), 'EvaluationsPage', ['evaluations']);
const CompetitionsPage = lazyPage(() => import('../features/results/competitions-page'), 'CompetitionsPage', ['results']);
const PieceRatesPage = lazyPage(() => import('../features/results/piece-rates-page'), 'PieceRatesPage', ['results']);
const IdeasPage = lazyPage(() => import('../features/results/ideas-page'), 'IdeasPage', ['results']);
const IdleAssetsPage = lazyPage(() => import('../features/results/idle-assets-page'), 'IdleAssetsPage', ['results']);
const ControlChartPage = lazyPage(() => import('../features/control-chart/control-chart-page'), 'ControlChartPage', ['warnings', 'evaluations']);
const EnergyDashboardPage = lazyPage(() => import('../features/energy/dashboard-page'), 'EnergyDashboardPage', ['energy']);
const MetersPage = lazyPage(() => import('../features/energy/meters-page'), 'MetersPage', ['energy']);
const MeterPage = lazyPage(() => import('../features/energy/meter-page'), 'MeterPage', ['energy']);
const QualityPage = lazyPage(() => import('../features/energy/quality-page'), 'QualityPage', ['energy']);
const AnomaliesPage = lazyPage(() => import('../features/energy/anomalies-page'), 'AnomaliesPage', ['energy']);
const ReadingsUploadPage = lazyPage(() => import('../features/energy/upload-page'), 'ReadingsUploadPage', ['energy']);
const GatePage = lazyPage(() => import('../features/gate/gate-page'), 'GatePage', ['gate']);
const SitesPage = lazyPage(() => import('../features/access/sites-page'), 'SitesPage', ['accessRegistry']);
const SitePage = lazyPage(() => import('../features/access/site-page'), 'SitePage', ['accessRegistry']);
const PeoplePage = lazyPage(() => import('../features/access/people-page'), 'PeoplePage', ['accessRegistry']);
const PassesPage = lazyPage(() => import('../features/access/passes-page'), 'PassesPage', ['accessRegistry']);
const PassCardsPage = lazyPage(() => import('../features/access/pass-cards-page'), 'PassCardsPage', ['accessRegistry']);
const MyPassPage = lazyPage(() => import('../features/access/my-pass-page'), 'MyPassPage', ['accessRegistry']);
const AccessLivePage = lazyPage(() => import('../features/access/live-page'), 'AccessLivePage', ['accessLive']);
const RollCallPage = lazyPage(() => import('../features/access/roll-call-page'), 'RollCallPage', ['accessLive']);
const VisitsPage = lazyPage(() => import('../features/access/visits-page'), 'VisitsPage', ['accessLive']);
const BlockListPage = lazyPage(() => import('../features/access/block-list-page'), 'BlockListPage', ['accessLive']);
const VehiclesPage = lazyPage(() => import('../features/access/vehicles-page'), 'VehiclesPage', ['accessLive']);
const DutyPage = lazyPage(() => import('../features/access/duty-page'), 'DutyPage', ['accessLive']);
const HealthCardPage = lazyPage(() => import('../features/health/care/health-card-page'), 'HealthCardPage', ['healthCare']);
const DeclarationsPage = lazyPage(() => import('../features/health/care/declarations-page'), 'DeclarationsPage', ['healthCare']);
const ScreeningPage = lazyPage(() => import('../features/health/care/screening-page'), 'ScreeningPage', ['healthCare']);
const RiskAreasPage = lazyPage(() => import('../features/health/care/risk-areas-page'), 'RiskAreasPage', ['healthCare']);
const CasesPage = lazyPage(() => import('../features/health/cases/cases-page'), 'CasesPage', ['healthCases']);
const ContactsPage = lazyPage(() => import('../features/health/cases/contacts-page'), 'ContactsPage', ['healthCases']);
const QuarantinesPage = lazyPage(() => import('../features/health/cases/quarantines-page'), 'QuarantinesPage', ['healthCases']);
const TransfersPage = lazyPage(() => import('../features/health/cases/transfers-page'), 'TransfersPage', ['healthCases']);
const BriefingPage = lazyPage(() => import('../features/health/support/briefing-page'), 'BriefingPage', ['healthSupport']);
const SuppliesPage = lazyPage(() => import('../features/health/support/supplies-page'), 'SuppliesPage', ['healthSupport']);
const SupplyPointsPage = lazyPage(() => import('../features/health/support/supply-points-page'), 'SupplyPointsPage', ['healthSupport']);
const DonationsPage = lazyPage(() => import('../features/health/support/donations-page'), 'DonationsPage', ['healthSupport']);
const StatusRulesPage = lazyPage(() => import('../features/health/care/rules-page'), 'StatusRulesPage', ['healthCare']);
const ContestsPage = lazyPage(() => import('../features/health/care/contests-page'), 'ContestsPage', ['healthCare']);
const IncidentsPage = lazyPage(() => import('../features/health/care/incidents-page'), 'IncidentsPage', ['healthCare']);
const CasePage = lazyPage(() => import('../features/health/cases/case-page'), 'CasePage', ['healthCases']);
const QuarantinePage = lazyPage(() => import('../features/health/cases/quarantine-page'), 'QuarantinePage', ['healthCases']);
const PublicSupplyPointsPage = lazyPage(() => import('../features/health/support/public-supply-points-page'), 'PublicSupplyPointsPage', ['healthSupport']);

const fullPage = (page: ReactNode) => <Suspense fallback={<FullPageSpin />}>{page}</Suspense>;
const guarded = (permission: string, page: ReactNode) => <RequirePermission permission={permission}>{page}</RequirePermission>;

export const routes: RouteObject[] = [
  {
    errorElement: <RouteErrorPage />,
    children: [
      { path: '/login', element: <SignedOutOnly>{fullPage(<LoginPage />)}</SignedOutOnly> },
      // The public list of supply points (供应点) with their hours: no sign-in.
      { path: '/supply-points', element: fullPage(<PublicSupplyPointsPage />) },
      { path: '/change-password', element: <PasswordChangeOnly>{fullPage(<ChangePasswordPage />)}</PasswordChangeOnly> },
      { path: '/mfa-setup', element: <MfaEnrolmentOnly>{fullPage(<MfaSetupPage />)}</MfaEnrolmentOnly> },
      // The gate app: full screen, no sign-in needed (the device token is its credential).
      { path: '/gate', element: fullPage(<GatePage />) },
      {
        path: '/',
        element: (
          <RequireSignIn>
            {fullPage(<AppLayout />)}
          </RequireSignIn>
        ),
        children: [
          {
            errorElement: <RouteErrorPage />,
            children: [
              { index: true, element: <HomePage /> },
              { path: 'scorecard', element: guarded('indicator.read', <ScorecardPage />) },
              { path: 'entry', element: guarded('indicator.read', <EntryPage />) },
              { path: 'indicators', element: guarded('indicator.read', <IndicatorsPage />) },
              { path: 'periods', element: guarded('indicator.read', <PeriodsPage />) },
              { path: 'analysis', element: guarded('indicator.read', <AnalysisPage />) },
              { path: 'report', element: guarded('indicator.read', <ReportPage />) },
              { path: 'benchmarks', element: guarded('indicator.read', <BenchmarksPage />) },
              { path: 'selections', element: guarded('indicator.read', <SelectionsPage />) },
              { path: 'targets', element: guarded('indicator.read', <TargetsPage />) },
              { path: 'warnings', element: guarded('indicator.read', <WarningsPage />) },
              { path: 'warnings/rules', element: guarded('indicator.read', <WarningRulesPage />) },
              { path: 'problems', element: guarded('problem.read', <ProblemsPage />) },
              { path: 'supervision', element: guarded('problem.read', <SupervisionPage />) },
              { path: 'notices', element: guarded('problem.read', <NoticesPage />) },
              { path: 'notices/:id', element: guarded('problem.read', <NoticePage />) },
              { path: 'evaluations', element: guarded('indicator.read', <EvaluationsPage />) },
              { path: 'competitions', element: guarded('indicator.read', <CompetitionsPage />) },
              { path: 'piece-rates', element: guarded('indicator.read', <PieceRatesPage />) },
              { path: 'ideas', element: <IdeasPage /> },
              { path: 'idle-assets', element: guarded('problem.read', <IdleAssetsPage />) },
              { path: 'control-chart', element: guarded('indicator.read', <ControlChartPage />) },
              { path: 'imports', element: guarded('import.run', <ImportsPage />) },
              { path: 'energy', element: guarded('indicator.read', <EnergyDashboardPage />) },
              { path: 'energy/meters', element: guarded('indicator.read', <MetersPage />) },
              { path: 'energy/meters/:code', element: guarded('indicator.read', <MeterPage />) },
              { path: 'energy/quality', element: guarded('indicator.read', <QualityPage />) },
              { path: 'energy/anomalies', element: guarded('indicator.read', <AnomaliesPage />) },
              { path: 'energy/readings/upload', element: guarded('measurement.enter', <ReadingsUploadPage />) },
              { path: 'access', element: guarded('access.read', <AccessLivePage />) },
              { path: 'access/roll-call', element: guarded('access.read', <RollCallPage />) },
              { path: 'access/sites', element: guarded('access.read', <SitesPage />) },
              { path: 'access/sites/:code', element: guarded('access.read', <SitePage />) },
              // The registry's API needs person.read (the access administrator holds it; a guard does not).
              { path: 'access/people', element: guarded('person.read', <PeoplePage />) },
              { path: 'access/passes', element: guarded('access.read', <PassesPage />) },
              { path: 'access/passes/print', element: guarded('access.read', <PassCardsPage />) },
              // Anyone signed in: their own passes (an empty page when they have none).
              { path: 'my/pass', element: <MyPassPage /> },
              // Hosts without access.read register and decide the visits they host here too.
              { path: 'access/visits', element: <VisitsPage /> },
              { path: 'access/block-list', element: guarded('access.read', <BlockListPage />) },
              { path: 'access/vehicles', element: guarded('access.read', <VehiclesPage />) },
              { path: 'access/duty', element: guarded('access.read', <DutyPage />) },
              { path: 'health/card', element: <HealthCardPage /> },
              { path: 'health/declarations', element: guarded('health.declare', <DeclarationsPage />) },
              { path: 'health/travel', element: guarded('health.read', <ScreeningPage />) },
              { path: 'health/risk-areas', element: guarded('health.read', <RiskAreasPage />) },
              { path: 'health/cases', element: guarded('health.read', <CasesPage />) },
              { path: 'health/contacts', element: guarded('health.read', <ContactsPage />) },
              { path: 'health/quarantines', element: guarded('health.read', <QuarantinesPage />) },
              { path: 'health/transfers', element: guarded('health.read', <TransfersPage />) },
              { path: 'health/briefing', element: guarded('health.read', <BriefingPage />) },
              { path: 'health/supplies', element: guarded('health.read', <SuppliesPage />) },
              { path: 'health/supply-points', element: guarded('health.read', <SupplyPointsPage />) },
              { path: 'health/donations', element: guarded('health.read', <DonationsPage />) },
              { path: 'health/rules', element: guarded('health.read', <StatusRulesPage />) },
              { path: 'health/contests', element: guarded('health.read', <ContestsPage />) },
              { path: 'health/incidents', element: guarded('health.read', <IncidentsPage />) },
              { path: 'health/cases/:id', element: guarded('health.read', <CasePage />) },
              { path: 'health/quarantines/:id', element: guarded('health.read', <QuarantinePage />) },
              { path: 'units', element: guarded('unit.read', <UnitsPage />) },
              { path: 'users', element: guarded('user.read', <UsersPage />) },
              { path: 'roles', element: guarded('role.read', <RolesPage />) },
              { path: 'audit', element: guarded('audit.read', <AuditPage />) },
              { path: 'account', element: <AccountPage /> },
              { path: '*', element: <NotFoundPage /> },
            ],
          },
        ],
      },
    ],
  },
];

export function createRouter() {
  return createBrowserRouter(routes);
}
