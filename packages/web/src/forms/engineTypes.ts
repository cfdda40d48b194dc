import type {
  GroupNode,
  InputNode,
  ModelValueNode,
  NoteNode,
  RangeNode,
  RankNode,
  RepeatInstanceNode,
  RepeatRangeControlledNode,
  RepeatRangeUncontrolledNode,
  RootNode,
  SelectNode,
  TriggerNode,
  UploadNode,
} from '@getodk/xforms-engine';

// The engine's own unions (AnyNode, AnyControlNode, ValueType) are built from helper types its
// published .d.ts files import but do not ship, so they resolve to `any` and would switch type
// checking off wherever they are used. These are the same unions over the concrete node types.

export type FormValueType =
  | 'string'
  | 'int'
  | 'decimal'
  | 'boolean'
  | 'date'
  | 'time'
  | 'dateTime'
  | 'geopoint'
  | 'geotrace'
  | 'geoshape'
  | 'binary'
  | 'barcode'
  | 'intent';

export type FormInputNode = InputNode<FormValueType>;
export type FormGeoNode = InputNode<'geopoint'> | InputNode<'geotrace'> | InputNode<'geoshape'>;
export type FormRepeatRange = RepeatRangeControlledNode | RepeatRangeUncontrolledNode;
export type FormControlNode =
  | FormInputNode
  | NoteNode<FormValueType>
  | RangeNode<'int'>
  | RangeNode<'decimal'>
  | RankNode
  | SelectNode
  | TriggerNode
  | UploadNode;
/** A node below the root that is not a repeat instance: what groups and the root hold. */
export type FormChildNode = GroupNode | FormRepeatRange | FormControlNode | ModelValueNode<FormValueType>;
export type FormNode = RootNode | RepeatInstanceNode | FormChildNode;

/** The children of a group, repeat instance or the root, typed. */
export function childrenOf(node: FormNode): readonly FormNode[] {
  return (node.currentState.children ?? []) as readonly FormNode[];
}
