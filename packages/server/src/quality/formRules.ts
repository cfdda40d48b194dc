import { attribute, elementChildren, parseXml } from '@outpost/core';
import type { XmlNode } from '@outpost/core';

/** The valid range of a number or date question, read from its constraint. */
export interface Range {
  readonly min: number | string | null;
  readonly max: number | string | null;
  /** Whether the bounds themselves are outside (`. > 0` rather than `. >= 0`). */
  readonly minExclusive: boolean;
  readonly maxExclusive: boolean;
}

/** What a form version's binds say about each question. */
export interface FieldRules {
  readonly type: string | null;
  /** Asked only when a condition holds (`relevant`): a blank may be right. */
  readonly conditional: boolean;
  readonly required: boolean;
  /** The range its constraint keeps it in, when the constraint is a plain range on `.`. */
  readonly range: Range | null;
}

const BOUND = /^\s*\.\s*(>=|<=|>|<)\s*(-?\d+(?:\.\d+)?|'\d{4}-\d{2}-\d{2}'|date\('\d{4}-\d{2}-\d{2}'\))\s*$/;

function boundValue(text: string): number | string {
  const date = /'(\d{4}-\d{2}-\d{2})'/.exec(text)?.[1];
  return date ?? Number(text);
}

/**
 * The range of a constraint made of comparisons of `.` with numbers or dates joined by `and`
 * (`. >= 0 and . <= 120`, what XLSForms write for min–max, as DHIS2 keeps min–max per field);
 * null for any other constraint, which only the engine can judge.
 */
export function rangeOf(constraint: string): Range | null {
  const parts = constraint.split(/\s+and\s+/);
  let min: number | string | null = null;
  let max: number | string | null = null;
  let minExclusive = false;
  let maxExclusive = false;
  for (const part of parts) {
    const match = BOUND.exec(part);
    if (match === null) return null;
    const [, op, raw] = match;
    const value = boundValue(raw ?? '');
    if (op === '>=' || op === '>') {
      min = value;
      minExclusive = op === '>';
    } else {
      max = value;
      maxExclusive = op === '<';
    }
  }
  return min === null && max === null ? null : { min, max, minExclusive, maxExclusive };
}

function binds(node: XmlNode, out: XmlNode[]): void {
  for (const child of elementChildren(node)) {
    if (child.localName === 'bind') out.push(child);
    else if (child.localName === 'head' || child.localName === 'model') binds(child, out);
  }
}

/** Each question's rules from a form version's XForm, by instance path. */
export function fieldRules(xform: string): Map<string, FieldRules> {
  const root = parseXml(xform, { maxElements: 200_000, maxDepth: 64 });
  const found: XmlNode[] = [];
  binds(root, found);
  const rules = new Map<string, FieldRules>();
  for (const bind of found) {
    const path = attribute(bind, 'nodeset');
    if (path === null) continue;
    const constraint = attribute(bind, 'constraint');
    const required = attribute(bind, 'required');
    rules.set(path, {
      type: attribute(bind, 'type'),
      conditional: attribute(bind, 'relevant') !== null,
      required: required !== null && /^true\(\)$/.test(required.trim()),
      range: constraint === null ? null : rangeOf(constraint),
    });
  }
  return rules;
}

/** Whether a value lies outside a range (numbers compared as numbers, dates as text). */
export function outOfRange(value: string, range: Range): boolean {
  const numeric = typeof range.min === 'number' || typeof range.max === 'number';
  const v: number | string = numeric ? Number(value) : value.slice(0, 10);
  if (numeric && Number.isNaN(v)) return false;
  if (range.min !== null && (range.minExclusive ? v <= range.min : v < range.min)) return true;
  if (range.max !== null && (range.maxExclusive ? v >= range.max : v > range.max)) return true;
  return false;
}

/** A bound as an administrator writes it: a number, or a date `YYYY-MM-DD`; null when neither. */
export function boundOf(text: string): number | string | null {
  const t = text.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return t;
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  return null;
}

/** The range of an administrator's min–max setting (bounds included), or null when it sets none. */
export function settingRange(setting: { min: string | null; max: string | null }): Range | null {
  const min = setting.min === null ? null : boundOf(setting.min);
  const max = setting.max === null ? null : boundOf(setting.max);
  return min === null && max === null ? null : { min, max, minExclusive: false, maxExclusive: false };
}
