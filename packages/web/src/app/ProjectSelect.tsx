import { For, type JSX } from 'solid-js';

/** The project an administrator's screen works on, as a labelled select. */
export function ProjectSelect(props: {
  label: string;
  projects: readonly { readonly id: string; readonly name: string }[] | undefined;
  selected: string | undefined;
  onSelect: (projectId: string) => void;
}): JSX.Element {
  return (
    <label class="field">
      <span class="field__label">{props.label}</span>
      <select class="admin-select" name="project" onChange={(event) => props.onSelect(event.currentTarget.value)}>
        <For each={props.projects ?? []}>
          {(project) => (
            <option value={project.id} selected={project.id === props.selected}>
              {project.name}
            </option>
          )}
        </For>
      </select>
    </label>
  );
}
