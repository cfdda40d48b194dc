import { For, type JSX } from 'solid-js';

/**
 * A list as a `.data-table`: a header row naming `columns`, then the row `children` draws for each
 * item. On phones each row becomes a card, its cells labelled from their `data-label`.
 */
export function DataTable<T>(props: {
  /** A class for the look of this list, beside `data-table`. */
  class: string;
  columns: readonly string[];
  items: readonly T[];
  children: (item: T) => JSX.Element;
}): JSX.Element {
  return (
    <table class={`data-table ${props.class}`}>
      <thead>
        <tr>
          <For each={props.columns}>{(column) => <th scope="col">{column}</th>}</For>
        </tr>
      </thead>
      <tbody>
        <For each={props.items}>{(item) => props.children(item)}</For>
      </tbody>
    </table>
  );
}
