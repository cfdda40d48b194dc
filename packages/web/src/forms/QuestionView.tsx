import type {
  GroupNode,
  RepeatInstanceNode,
  RepeatRangeControlledNode,
  RepeatRangeUncontrolledNode,
} from '@getodk/xforms-engine';
import { createUniqueId, For, Match, Show, Switch, type JSX } from 'solid-js';
import { GeoControl } from './controls/GeoControl.jsx';
import { ImageControl } from './controls/ImageControl.jsx';
import { InputControl } from './controls/InputControl.jsx';
import { RangeControl } from './controls/RangeControl.jsx';
import { RankControl } from './controls/RankControl.jsx';
import { SelectControl } from './controls/SelectControl.jsx';
import { TriggerControl } from './controls/TriggerControl.jsx';
import {
  childrenOf,
  type FormControlNode,
  type FormGeoNode,
  type FormInputNode,
  type FormNode,
} from './engineTypes.js';
import { isShown } from './formPages.js';
import { useFormUi } from './FormUi.js';

/** Any node of the form tree: groups and repeats as sections, questions with their control. */
export function NodeView(props: { node: FormNode }): JSX.Element {
  return (
    <Show when={isShown(props.node) && props.node.currentState.relevant}>
      <Switch fallback={<QuestionView node={props.node as FormControlNode} />}>
        <Match when={props.node.nodeType === 'group' && props.node}>{(group) => <GroupView node={group()} />}</Match>
        <Match
          when={
            props.node.nodeType.startsWith('repeat-range') &&
            (props.node as RepeatRangeControlledNode | RepeatRangeUncontrolledNode)
          }
        >
          {(range) => <RepeatView node={range()} />}
        </Match>
      </Switch>
    </Show>
  );
}

function GroupView(props: { node: GroupNode }): JSX.Element {
  return (
    <section class="form-group" data-reference={props.node.currentState.reference}>
      <Show when={props.node.currentState.label?.asString}>
        {(label) => <h3 class="form-group__title">{label()}</h3>}
      </Show>
      <For each={childrenOf(props.node)}>{(child) => <NodeView node={child} />}</For>
    </section>
  );
}

function RepeatView(props: { node: RepeatRangeControlledNode | RepeatRangeUncontrolledNode }): JSX.Element {
  const { i18n } = useFormUi();
  const { t } = i18n;
  const uncontrolled = (): RepeatRangeUncontrolledNode | undefined =>
    props.node.nodeType === 'repeat-range:uncontrolled' ? props.node : undefined;
  const label = (): string => props.node.currentState.label?.asString ?? '';
  return (
    <section class="form-repeat" data-reference={props.node.currentState.reference}>
      <For
        each={props.node.currentState.children}
        fallback={<p class="form-repeat__empty">{t('form.repeat.empty')}</p>}
      >
        {(instance, index) => (
          <RepeatInstanceView
            node={instance}
            title={`${label()} · ${t('form.repeat.item', { number: index() + 1 })}`}
            onRemove={uncontrolled() ? () => uncontrolled()?.removeInstances(index()) : undefined}
          />
        )}
      </For>
      <Show when={uncontrolled()}>
        {(range) => (
          <button type="button" class="button form-repeat__add" onClick={() => range().addInstances()}>
            {t('form.repeat.add')}: {label()}
          </button>
        )}
      </Show>
    </section>
  );
}

function RepeatInstanceView(props: {
  node: RepeatInstanceNode;
  title: string;
  onRemove: (() => void) | undefined;
}): JSX.Element {
  const { i18n } = useFormUi();
  return (
    <article class="form-repeat__item" data-reference={props.node.currentState.reference} aria-label={props.title}>
      <header class="form-repeat__head">
        <h3>{props.title}</h3>
        <Show when={props.onRemove}>
          {(remove) => (
            <button type="button" class="button button--subtle" onClick={() => remove()()}>
              {i18n.t('form.repeat.remove')}
            </button>
          )}
        </Show>
      </header>
      <For each={childrenOf(props.node)}>{(child) => <NodeView node={child} />}</For>
    </article>
  );
}

/** A question: its label, hint, control and, once revealed, its problem in the form's language. */
function QuestionView(props: { node: FormControlNode }): JSX.Element {
  const ui = useFormUi();
  const { t } = ui.i18n;
  const id = createUniqueId();
  const reference = (): string => props.node.currentState.reference;
  const problem = (): string | undefined => {
    const server = ui.serverProblem(reference());
    if (server !== undefined) return server;
    if (!ui.revealed(reference())) return undefined;
    const violation = props.node.validationState.violation;
    if (!violation) return undefined;
    return violation.message?.asString || (violation.condition === 'required' ? t('form.required') : t('form.invalid'));
  };
  // A fieldset groups the options of a choice question under its label; other controls use <label for>.
  const grouped = (): boolean =>
    props.node.nodeType === 'select' ||
    props.node.nodeType === 'rank' ||
    (props.node.nodeType === 'input' && props.node.valueType.startsWith('geo'));
  const label = (): JSX.Element => (
    <>
      <span class="question__text">{props.node.currentState.label?.asString}</span>
      <Show when={props.node.currentState.required}>
        <span class="question__required" title={t('form.requiredMark')}>
          {' *'}
          <span class="visually-hidden">{t('form.requiredMark')}</span>
        </span>
      </Show>
    </>
  );
  const body = (): JSX.Element => (
    <>
      <Show when={props.node.currentState.hint?.asString}>
        {(hint) => (
          <p class="question__hint" id={`${id}-hint`}>
            {hint()}
          </p>
        )}
      </Show>
      <Control node={props.node} id={id} invalid={problem() !== undefined} onTouched={() => ui.reveal(reference())} />
      <Show when={problem()}>
        {(message) => (
          <p class="question__problem" id={`${id}-problem`} role="alert">
            {message()}
          </p>
        )}
      </Show>
    </>
  );
  return (
    <div
      class="question"
      classList={{ 'question--invalid': problem() !== undefined, 'question--note': props.node.nodeType === 'note' }}
      data-reference={reference()}
    >
      <Switch>
        <Match when={props.node.nodeType === 'note'}>
          <p class="question__label">{props.node.currentState.label?.asString}</p>
          <Show when={props.node.currentState.hint?.asString}>{(hint) => <p class="question__hint">{hint()}</p>}</Show>
        </Match>
        <Match when={grouped()}>
          <fieldset class="question__group" aria-describedby={`${id}-hint ${id}-problem`}>
            <legend class="question__label">{label()}</legend>
            {body()}
          </fieldset>
        </Match>
        <Match when={true}>
          <label class="question__label" for={id}>
            {label()}
          </label>
          {body()}
        </Match>
      </Switch>
    </div>
  );
}

export interface ControlProps<N> {
  readonly node: N;
  /** The id the question's <label for> points at. */
  readonly id: string;
  readonly invalid: boolean;
  /** The user changed or left the control: its problem may show from now on. */
  readonly onTouched: () => void;
}

function Control(props: ControlProps<FormControlNode>): JSX.Element {
  const { i18n } = useFormUi();
  const node = props.node;
  switch (node.nodeType) {
    case 'input':
      if (isGeoNode(node)) return <GeoControl {...props} node={node} />;
      return <InputControl {...props} node={node} />;
    case 'select':
      return <SelectControl {...props} node={node} />;
    case 'rank':
      return <RankControl {...props} node={node} />;
    case 'range':
      return <RangeControl {...props} node={node} />;
    case 'trigger':
      return <TriggerControl {...props} node={node} />;
    case 'upload':
      if (node.nodeOptions.media.type === 'image' || node.nodeOptions.media.type === null) {
        return <ImageControl {...props} node={node} />;
      }
      return <p class="question__unsupported">{i18n.t('form.unsupported')}</p>;
    case 'note':
      return <></>;
  }
}

function isGeoNode(node: FormInputNode): node is FormGeoNode {
  return node.valueType === 'geopoint' || node.valueType === 'geotrace' || node.valueType === 'geoshape';
}
