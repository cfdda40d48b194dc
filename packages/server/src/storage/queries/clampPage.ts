export interface Page {
  limit: number;
  offset: number;
}

export const MAX_PAGE_SIZE = 500;

/** Keeps a caller-supplied page inside 1..500 rows and a non-negative whole offset. */
export function clampPage(page: { limit: number; offset: number }): Page {
  const limit = Number.isFinite(page.limit) ? Math.trunc(page.limit) : MAX_PAGE_SIZE;
  const offset = Number.isFinite(page.offset) ? Math.trunc(page.offset) : 0;
  return { limit: Math.min(MAX_PAGE_SIZE, Math.max(1, limit)), offset: Math.max(0, offset) };
}
