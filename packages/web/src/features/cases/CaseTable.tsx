import { AUTO_GENERATED_LABEL, type Highlight } from '@outpost/core';
import { caseLabelText } from './caseLabel.js';
import { createVirtualizer } from '@tanstack/solid-virtual';
import { createMemo, createSignal, For, onCleanup, Show, type JSX } from 'solid-js';
import { useApp } from '../../app/AppContext.js';
import type { CaseRow } from './caseRows.js';
import './cases.css';

/** The label with the parts the search matched in `<mark>`. */
export function Highlighted(props: { text: string; highlights: readonly Highlight[] | undefined }): JSX.Element {
  const parts = () => {
    const marks = (props.highlights ?? []).filter((h) => h.field === 'label').sort((a, b) => a.start - b.start);
    const out: Array<{ text: string; marked: boolean }> = [];
    let at = 0;
    for (const mark of marks) {
      if (mark.start < at) continue;
      if (mark.start > at) out.push({ text: props.text.slice(at, mark.start), marked: false });
      out.push({ text: props.text.slice(mark.start, mark.end), marked: true });
      at = mark.end;
    }
    if (at < props.text.length) out.push({ text: props.text.slice(at), marked: false });
    return out;
  };
  return <For each={parts()}>{(part) => (part.marked ? <mark>{part.text}</mark> : part.text)}</For>;
}

export interface CaseColumns {
  readonly status: (row: CaseRow) => JSX.Element;
  readonly area: (row: CaseRow) => string;
  readonly assignee: (row: CaseRow) => string;
  readonly risk: (row: CaseRow) => string;
  readonly actions: (row: CaseRow) => JSX.Element;
}

/** Rows are about this tall on a tablet, until the first drawn row is measured. */
const estimatedRowPx = 58;

/**
 * The case list as a table of which only the rows in view (and a few either side) are in the
 * page, so 100,000 cases scroll as smoothly as 100. Below 960 px each row becomes a card; its
 * height is measured on a drawn row, and every row is taken to be that tall.
 */
export function CaseTable(props: {
  rows: readonly CaseRow[];
  highlights: ReadonlyMap<string, readonly Highlight[]>;
  columns: CaseColumns;
  /** Where a row's label leads: the case page. */
  caseHref: (row: CaseRow) => string;
}): JSX.Element {
  const { i18n } = useApp();
  const { t } = i18n;
  let scroller: HTMLDivElement | undefined;
  // Every row has the same cells, so one height serves all: measured on the first row drawn (and
  // again when it changes: a card layout below 960 px, a larger font). Measuring each row as it
  // scrolls in made the virtualizer lay out all 100,000 positions again on every frame.
  const [rowPx, setRowPx] = createSignal(estimatedRowPx);
  const virtualizer = createVirtualizer({
    get count() {
      return props.rows.length;
    },
    getScrollElement: () => scroller ?? null,
    estimateSize: () => rowPx(),
    // A screenful either side of a fast flick; more rows only make each frame longer.
    overscan: 8,
    getItemKey: (index) => props.rows[index]?.id ?? index,
  });
  let observer: ResizeObserver | undefined;
  let watched: HTMLElement | undefined;
  const watchHeight = (row: HTMLElement): void => {
    observer?.disconnect();
    watched = row;
    observer = new ResizeObserver(() => {
      const height = row.getBoundingClientRect().height;
      if (height > 0 && Math.abs(height - rowPx()) >= 1) {
        setRowPx(height);
        virtualizer.measure();
      }
    });
    observer.observe(row);
  };
  onCleanup(() => observer?.disconnect());
  const items = () => virtualizer.getVirtualItems();
  const indexes = createMemo(() => items().map((item) => item.index));
  const before = () => items()[0]?.start ?? 0;
  const after = () => virtualizer.getTotalSize() - (items()[items().length - 1]?.end ?? 0);
  const headers = () => [
    t('cases.column.label'),
    t('cases.column.status'),
    t('cases.column.area'),
    t('cases.column.assignee'),
    t('cases.column.age'),
    t('cases.column.due'),
    t('cases.column.risk'),
    t('cases.column.actions'),
  ];
  return (
    <div class="case-scroll" ref={(element) => (scroller = element)} tabindex="0" aria-label={t('cases.title')}>
      <table class="case-table">
        <thead>
          <tr>
            <For each={headers()}>{(header) => <th scope="col">{header}</th>}</For>
          </tr>
        </thead>
        <tbody>
          <Show when={before() > 0}>
            <tr aria-hidden="true" class="case-table__spacer" style={{ height: `${before()}px` }} />
          </Show>
          {/* By index, not by item object: the virtualizer makes new items on every scroll step, and a
              row keyed by its object would be drawn again from scratch each frame. */}
          <For each={indexes()}>
            {(index) => {
              const row = () => props.rows[index];
              return (
                <Show when={row()}>
                  {(r) => (
                    <tr
                      class="case-row"
                      classList={{ 'case-row--overdue': r().overdue }}
                      data-case-id={r().id}
                      data-index={index}
                      ref={(element) => {
                        // One drawn row is watched at a time; another once it scrolled away.
                        if (watched?.isConnected !== true) watchHeight(element);
                      }}
                    >
                      <th scope="row" class="case-row__label">
                        <a href={props.caseHref(r())}>
                          {r().label === null ? (
                            <span class="case-row__hidden">{t('cases.labelHidden')}</span>
                          ) : r().label === AUTO_GENERATED_LABEL ? (
                            caseLabelText(i18n, r().label)
                          ) : (
                            <Highlighted text={r().label ?? ''} highlights={props.highlights.get(r().id)} />
                          )}
                        </a>
                      </th>
                      <td data-label={t('cases.column.status')}>{props.columns.status(r())}</td>
                      <td data-label={t('cases.column.area')}>{props.columns.area(r())}</td>
                      <td data-label={t('cases.column.assignee')}>{props.columns.assignee(r())}</td>
                      <td data-label={t('cases.column.age')}>
                        {r().age === null ? '—' : t('cases.years', { count: r().age ?? 0 })}
                      </td>
                      <td data-label={t('cases.column.due')}>
                        <Show when={r().due} fallback="—">
                          {(due) => (
                            <time datetime={due()} classList={{ overdue: r().overdue }}>
                              {i18n.formatDate(due())}
                              {r().overdue ? ` · ${t('cases.overdue')}` : ''}
                            </time>
                          )}
                        </Show>
                      </td>
                      <td data-label={t('cases.column.risk')}>{props.columns.risk(r())}</td>
                      <td data-label={t('cases.column.actions')}>{props.columns.actions(r())}</td>
                    </tr>
                  )}
                </Show>
              );
            }}
          </For>
          <Show when={after() > 0}>
            <tr aria-hidden="true" class="case-table__spacer" style={{ height: `${after()}px` }} />
          </Show>
        </tbody>
      </table>
    </div>
  );
}
