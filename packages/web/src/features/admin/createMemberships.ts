import type { OutpostApi, ProjectMember, ProjectSummary } from '../../api/OutpostApi.js';
import { createLoadable, type Loadable } from './createLoadable.js';

/** Every project and who is in it, for the users screen. */
export interface Memberships {
  readonly projects: readonly ProjectSummary[];
  /** The memberships of a user, in the order of the projects. */
  of(userId: string): readonly ProjectMember[];
}

export function createMemberships(api: OutpostApi): Loadable<Memberships> {
  return createLoadable(async () => {
    const projects = await api.listProjects();
    const lists = await Promise.all(projects.map((p) => api.listMembers(p.id)));
    const all = lists.flat();
    return {
      projects,
      of: (userId: string) => all.filter((m) => m.userId === userId),
    };
  });
}
