import { Navigate, Route, Router } from '@solidjs/router';
import type { JSX } from 'solid-js';
import { CaseListScreen } from '../features/cases/CaseListScreen.jsx';
import { LoginScreen } from '../features/auth/LoginScreen.jsx';
import { ProjectPicker } from '../features/projects/ProjectPicker.jsx';
import { AppShell } from '../shell/AppShell.jsx';
import { AppContext, type AppServices } from './AppContext.js';

export function App(props: { services: AppServices }): JSX.Element {
  return (
    <AppContext.Provider value={props.services}>
      <Router root={AppShell}>
        <Route path="/login" component={LoginScreen} />
        <Route path="/" component={ProjectPicker} />
        <Route path="/projects/:projectId/cases" component={CaseListScreen} />
        <Route path="*" component={() => <Navigate href="/" />} />
      </Router>
    </AppContext.Provider>
  );
}
