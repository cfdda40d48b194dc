import { Navigate, Route, Router } from '@solidjs/router';
import { lazy, type JSX } from 'solid-js';
import { AdminLayout } from '../features/admin/AdminLayout.jsx';
import { AppUsersScreen } from '../features/admin/AppUsersScreen.jsx';
import { AuditScreen } from '../features/admin/AuditScreen.jsx';
import { BasemapScreen } from '../features/admin/BasemapScreen.jsx';
import { DevicesScreen } from '../features/admin/DevicesScreen.jsx';
import { UsersScreen } from '../features/admin/UsersScreen.jsx';
import { FormsAdminScreen } from '../features/forms-admin/FormsAdminScreen.jsx';
import { CaseListScreen } from '../features/cases/CaseListScreen.jsx';
import { LoginScreen } from '../features/auth/LoginScreen.jsx';
import { ProjectPicker } from '../features/projects/ProjectPicker.jsx';
import { SyncScreen } from '../features/sync/SyncScreen.jsx';
import { ReviewScreen } from '../features/review/ReviewScreen.jsx';
import { AppShell } from '../shell/AppShell.jsx';
import { AppContext, type AppServices } from './AppContext.js';

// The forms feature carries the XForms engine (about 1.5 MB): loaded only when a form list opens.
const FormListScreen = lazy(() =>
  import('../features/forms/FormListScreen.jsx').then((m) => ({ default: m.FormListScreen })),
);
const CaseScreen = lazy(() => import('../features/cases/CaseScreen.jsx').then((m) => ({ default: m.CaseScreen })));
const ProjectMapScreen = lazy(() =>
  import('../features/map/ProjectMapScreen.jsx').then((m) => ({ default: m.ProjectMapScreen })),
);
const TasksScreen = lazy(() => import('../features/tasks/TasksScreen.jsx').then((m) => ({ default: m.TasksScreen })));
const ImportScreen = lazy(() =>
  import('../features/cases-import/ImportScreen.jsx').then((m) => ({ default: m.ImportScreen })),
);
const FillFormScreen = lazy(() =>
  import('../features/forms/FillFormScreen.jsx').then((m) => ({ default: m.FillFormScreen })),
);

// The analysis screen is for those who export; it is not part of the field worker's bundle.
const AnalysisScreen = lazy(() =>
  import('../features/analysis/AnalysisScreen.jsx').then((m) => ({ default: m.AnalysisScreen })),
);
// So are the dashboards, and ECharts loads only when a chart is drawn.
const DashboardScreen = lazy(() =>
  import('../features/dashboards/DashboardScreen.jsx').then((m) => ({ default: m.DashboardScreen })),
);

export function App(props: { services: AppServices }): JSX.Element {
  return (
    <AppContext.Provider value={props.services}>
      <Router root={AppShell}>
        <Route path="/login" component={LoginScreen} />
        <Route path="/" component={ProjectPicker} />
        <Route path="/sync" component={SyncScreen} />
        <Route path="/projects/:projectId/cases" component={CaseListScreen} />
        <Route path="/projects/:projectId/cases/:caseId" component={CaseScreen} />
        <Route path="/projects/:projectId/tasks" component={TasksScreen} />
        <Route path="/projects/:projectId/map" component={ProjectMapScreen} />
        <Route path="/projects/:projectId/forms" component={FormListScreen} />
        <Route path="/projects/:projectId/review" component={ReviewScreen} />
        <Route path="/projects/:projectId/analysis" component={AnalysisScreen} />
        <Route path="/projects/:projectId/dashboard" component={DashboardScreen} />
        <Route path="/projects/:projectId/forms/:formId/versions/:version" component={FillFormScreen} />
        <Route path="/projects/:projectId/forms/:formId/submissions/:instanceId/edit" component={FillFormScreen} />
        <Route path="/admin" component={AdminLayout}>
          <Route path="/" component={() => <Navigate href="/admin/users" />} />
          <Route path="/users" component={UsersScreen} />
          <Route path="/devices" component={DevicesScreen} />
          <Route path="/app-users" component={AppUsersScreen} />
          <Route path="/audit" component={AuditScreen} />
          <Route path="/forms" component={FormsAdminScreen} />
          <Route path="/import" component={ImportScreen} />
          <Route path="/basemap" component={BasemapScreen} />
        </Route>
        <Route path="*" component={() => <Navigate href="/" />} />
      </Router>
    </AppContext.Provider>
  );
}
