/**
 * True when `a` and `b` differ by at most one edit: an insertion, a deletion, a substitution or
 * a swap of two neighbouring letters (Damerau). Linear time, no allocation.
 */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const lengthGap = a.length - b.length;
  if (lengthGap > 1 || lengthGap < -1) return false;
  const [longer, shorter] = a.length >= b.length ? [a, b] : [b, a];
  let i = 0;
  while (i < shorter.length && longer.charCodeAt(i) === shorter.charCodeAt(i)) i++;
  if (longer.length !== shorter.length) return longer.slice(i + 1) === shorter.slice(i);
  if (longer.slice(i + 1) === shorter.slice(i + 1)) return true;
  return (
    i + 1 < longer.length &&
    longer[i] === shorter[i + 1] &&
    longer[i + 1] === shorter[i] &&
    longer.slice(i + 2) === shorter.slice(i + 2)
  );
}

/** True when some prefix of `text` is within one edit of `prefix` (a typo in what was typed so far). */
export function prefixWithinOneEdit(prefix: string, text: string): boolean {
  if (text.startsWith(prefix)) return true;
  for (const length of [prefix.length - 1, prefix.length, prefix.length + 1]) {
    if (length > 0 && length <= text.length && withinOneEdit(prefix, text.slice(0, length))) return true;
  }
  return false;
}
