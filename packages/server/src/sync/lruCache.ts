/**
 * Values by key, bounded by count and by an estimate of their bytes: past either bound, the
 * least recently used go first. A value larger than the byte bound is not kept.
 */
export class LruCache<V> {
  private readonly entries = new Map<string, { value: V; bytes: number }>();
  private used = 0;

  constructor(private readonly limits: { readonly entries: number; readonly bytes: number }) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    // A Map iterates in insertion order: re-inserting makes the entry the most recently used.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V, bytes: number): void {
    this.delete(key);
    if (bytes > this.limits.bytes || this.limits.entries < 1) return;
    this.entries.set(key, { value, bytes });
    this.used += bytes;
    while (this.entries.size > this.limits.entries || this.used > this.limits.bytes) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) break;
      this.delete(oldest.value);
    }
  }

  /** How many values and how many (estimated) bytes are kept. */
  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.used };
  }

  clear(): void {
    this.entries.clear();
    this.used = 0;
  }

  private delete(key: string): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.entries.delete(key);
    this.used -= entry.bytes;
  }
}
