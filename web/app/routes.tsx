import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import type { Permission } from '../../src/domain/identity/role.ts';
import { ChangePasswordPage } from '../features/auth/ChangePasswordPage.tsx';
import { LoginPage } from '../features/auth/LoginPage.tsx';
import { CasesOutlet, OfflineSync } from '../features/case/OfflineQueueBar.tsx';
import { WorkbenchPage } from '../features/workbench/WorkbenchPage.tsx';
import { ComingSoonPage } from '../ui/ComingSoonPage.tsx';
import { ForbiddenPage, NotFoundPage } from '../ui/ResultPages.tsx';
import { PageLoading } from '../ui/PageLoading.tsx';
import { useAuth } from './auth.tsx';
import { systemSections } from './nav.ts';
import { Shell } from './Shell.tsx';

const SystemLayout = lazy(() => import('../features/system/SystemLayout.tsx'));
const UsersPage = lazy(() => import('../features/system/UsersPage.tsx'));
const RegionsPage = lazy(() => import('../features/system/RegionsPage.tsx'));
const DepartmentsPage = lazy(() => import('../features/system/DepartmentsPage.tsx'));
const TokensPage = lazy(() => import('../features/system/TokensPage.tsx'));
const WebhooksPage = lazy(() => import('../features/system/WebhooksPage.tsx'));
const NotificationsPage = lazy(() => import('../features/notification/NotificationsPage.tsx'));
const DevicesPage = lazy(() => import('../features/system/DevicesPage.tsx'));
const AuditLogPage = lazy(() => import('../features/system/AuditLogPage.tsx'));
const CategoriesPage = lazy(() => import('../features/system/CategoriesPage.tsx'));
const CalendarPage = lazy(() => import('../features/system/CalendarPage.tsx'));
const ResponsibilityPage = lazy(() => import('../features/system/ResponsibilityPage.tsx'));
const ImportPage = lazy(() => import('../features/spatial/ImportPage.tsx'));
const MapPage = lazy(() => import('../features/map/MapPage.tsx'));
const CasesPage = lazy(() => import('../features/case/CasesPage.tsx'));
const CaseCreatePage = lazy(() => import('../features/case/CaseCreatePage.tsx'));
const CaseDetailPage = lazy(() => import('../features/case/CaseDetailPage.tsx'));
const ReportPage = lazy(() => import('../features/public/ReportPage.tsx'));
const TrackPage = lazy(() => import('../features/public/TrackPage.tsx'));

function RequireAuth({ children }: { children: ReactNode }) {
  const { user, loading } = useAuth();
  const location = useLocation();
  if (loading) return <PageLoading fullScreen />;
  if (!user) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  // A temporary password must be changed first: the server refuses everything else until then.
  if (user.mustChangePassword) return <ChangePasswordPage />;
  return <>{children}</>;
}

function Guard({ permission, children }: { permission: Permission; children: ReactNode }) {
  const { can } = useAuth();
  if (!can(permission)) return <ForbiddenPage />;
  return <Suspense fallback={<PageLoading />}>{children}</Suspense>;
}

function SystemIndex() {
  const { can } = useAuth();
  const first = systemSections.find((s) => can(s.permission));
  return first ? <Navigate to={`/system/${first.key}`} replace /> : <ForbiddenPage />;
}

function PublicPage({ page }: { page: ReactNode }) {
  return <Suspense fallback={<PageLoading fullScreen />}>{page}</Suspense>;
}

function LoginRoute() {
  const { user, loading } = useAuth();
  if (loading) return <PageLoading fullScreen />;
  return user ? <Navigate to="/workbench" replace /> : <LoginPage />;
}

export function AppRoutes() {
  const section = (key: (typeof systemSections)[number]['key']) =>
    systemSections.find((s) => s.key === key)!.permission;
  return (
    <Routes>
      <Route path="/login" element={<LoginRoute />} />
      {/* The citizen pages: no sign-in. */}
      <Route path="/report" element={<PublicPage page={<ReportPage />} />} />
      <Route path="/track" element={<PublicPage page={<TrackPage />} />} />
      <Route path="/track/:token" element={<PublicPage page={<TrackPage />} />} />
      <Route
        path="/"
        element={
          <RequireAuth>
            <OfflineSync />
            <Shell />
          </RequireAuth>
        }
      >
        <Route index element={<Navigate to="/workbench" replace />} />
        <Route
          path="workbench"
          element={
            <Guard permission="workbench.view">
              <WorkbenchPage />
            </Guard>
          }
        />
        <Route
          path="notifications"
          element={
            <Guard permission="workbench.view">
              <NotificationsPage />
            </Guard>
          }
        />
        <Route
          path="map"
          element={
            <Guard permission="map.view">
              <MapPage />
            </Guard>
          }
        />
        <Route path="cases" element={<CasesOutlet />}>
          <Route
            index
            element={
              <Guard permission="case.view">
                <CasesPage />
              </Guard>
            }
          />
          <Route
            path="new"
            element={
              <Guard permission="case.create">
                <CaseCreatePage />
              </Guard>
            }
          />
          <Route
            path=":id"
            element={
              <Guard permission="case.view">
                <CaseDetailPage />
              </Guard>
            }
          />
        </Route>
        {(['analytics', 'exchange'] as const).map((key) => (
          <Route
            key={key}
            path={key}
            element={
              <Guard permission={comingSoonPermission[key]}>
                <ComingSoonPage module={key} />
              </Guard>
            }
          />
        ))}
        <Route
          path="system"
          element={
            <Guard permission="system.manage">
              <SystemLayout />
            </Guard>
          }
        >
          <Route index element={<SystemIndex />} />
          <Route
            path="users"
            element={
              <Guard permission={section('users')}>
                <UsersPage />
              </Guard>
            }
          />
          <Route
            path="regions"
            element={
              <Guard permission={section('regions')}>
                <RegionsPage />
              </Guard>
            }
          />
          <Route
            path="import"
            element={
              <Guard permission={section('import')}>
                <ImportPage />
              </Guard>
            }
          />
          <Route
            path="departments"
            element={
              <Guard permission={section('departments')}>
                <DepartmentsPage />
              </Guard>
            }
          />
          <Route
            path="tokens"
            element={
              <Guard permission={section('tokens')}>
                <TokensPage />
              </Guard>
            }
          />
          <Route
            path="webhooks"
            element={
              <Guard permission={section('webhooks')}>
                <WebhooksPage />
              </Guard>
            }
          />
          <Route
            path="devices"
            element={
              <Guard permission={section('devices')}>
                <DevicesPage />
              </Guard>
            }
          />
          <Route
            path="audit"
            element={
              <Guard permission={section('audit')}>
                <AuditLogPage />
              </Guard>
            }
          />
          <Route
            path="categories"
            element={
              <Guard permission={section('categories')}>
                <CategoriesPage />
              </Guard>
            }
          />
          <Route
            path="calendar"
            element={
              <Guard permission={section('calendar')}>
                <CalendarPage />
              </Guard>
            }
          />
          <Route
            path="responsibility"
            element={
              <Guard permission={section('responsibility')}>
                <ResponsibilityPage />
              </Guard>
            }
          />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

const comingSoonPermission = {
  analytics: 'analytics.view',
  exchange: 'exchange.view',
} as const satisfies Record<string, Permission>;
