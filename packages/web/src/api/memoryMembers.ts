import { isRole } from '@outpost/core';
import { ApiProblem } from '../transport/ApiProblem.js';
import type { AreaOption, MembershipChange, ProjectMember } from './AdminApi.js';
import type { ProjectSummary, User } from './OutpostApi.js';

/** What the memory API needs of its host to answer for project membership. */
export interface MemoryMembersHost {
  readonly projects: readonly ProjectSummary[];
  /** Area lists per project id. */
  readonly areas: Readonly<Record<string, readonly AreaOption[]>>;
  /** Memberships to start from. */
  readonly members: readonly ProjectMember[];
  requireAdmin(): void;
  /** Any signed-in user (the area list is for every member). */
  requireSession(): void;
  user(userId: string): User | undefined;
  record(action: string, subject: string): void;
}

export interface MemoryMembers {
  listMembers(projectId: string): readonly ProjectMember[];
  setMember(projectId: string, userId: string, change: MembershipChange): ProjectMember;
  removeMember(projectId: string, userId: string): void;
  listAreas(projectId: string): readonly AreaOption[];
}

/** Project membership in the memory API, with the server's checks and problem codes. */
export function createMemoryMembers(host: MemoryMembersHost): MemoryMembers {
  const members: ProjectMember[] = [...host.members];
  const project = (projectId: string): ProjectSummary => {
    const found = host.projects.find((p) => p.id === projectId);
    if (!found) throw problem(404, 'project.not-found', 'Project not found');
    return found;
  };
  const index = (projectId: string, userId: string): number =>
    members.findIndex((m) => m.projectId === projectId && m.userId === userId);
  return {
    listMembers(projectId) {
      host.requireAdmin();
      project(projectId);
      return members.filter((m) => m.projectId === projectId).toSorted((a, b) => a.username.localeCompare(b.username));
    },
    setMember(projectId, userId, change) {
      host.requireAdmin();
      project(projectId);
      const user = host.user(userId);
      if (!user) throw problem(404, 'request.not-found', 'No such user.');
      if (!isRole(change.role)) throw invalid('role', `Unknown role "${change.role}".`);
      const codes = [...new Set(change.areas ?? [])];
      const team = change.team?.trim() ?? null;
      if (team === '') throw invalid('team', 'The team name must have 1–100 characters.');
      if (change.own === true && (codes.length > 0 || team !== null)) {
        throw invalid('own', 'Own assignments only cannot be combined with areas or a team.');
      }
      const list = host.areas[projectId] ?? [];
      const unknown = codes.filter((code) => !list.some((a) => a.code === code));
      if (unknown.length > 0) {
        throw new ApiProblem({
          type: 'about:blank',
          title: 'An area is not in the project',
          status: 422,
          code: 'membership.unknown-area',
          detail: `Not in the project's area list: ${unknown.join(', ')}.`,
          field: 'areas',
        });
      }
      const member: ProjectMember = {
        projectId,
        userId,
        username: user.username,
        displayName: user.displayName,
        role: change.role,
        wholeProject: codes.length === 0 && team === null && change.own !== true,
        areas: list
          .filter((a) => codes.includes(a.code))
          .map(({ code, level, names }) => ({ code, level, names }))
          .toSorted((a, b) => a.code.localeCompare(b.code)),
        team,
      };
      const at = index(projectId, userId);
      if (at < 0) members.push(member);
      else members[at] = member;
      host.record(at < 0 ? 'membership.added' : 'membership.changed', `user:${userId}`);
      return member;
    },
    removeMember(projectId, userId) {
      host.requireAdmin();
      project(projectId);
      const at = index(projectId, userId);
      if (at < 0) throw problem(404, 'request.not-found', 'This user is not in the project.');
      members.splice(at, 1);
      host.record('membership.removed', `user:${userId}`);
    },
    listAreas(projectId) {
      host.requireSession();
      project(projectId);
      return host.areas[projectId] ?? [];
    },
  };
}

function invalid(field: string, detail: string): ApiProblem {
  return new ApiProblem({
    type: 'about:blank',
    title: 'The membership is not valid',
    status: 400,
    code: 'membership.invalid',
    detail,
    field,
  });
}

function problem(status: number, code: string, title: string): ApiProblem {
  return new ApiProblem({ type: 'about:blank', title, status, code, detail: title });
}
