import type { Area } from '../area.js';

export interface DemoEntity {
  list: string;
  /** UUID v4 shape, drawn from the seeded generator so it is the same on every run. */
  id: string;
  label: string;
  /** Keys are `save_to` targets of the form that creates this entity list. */
  properties: Record<string, string>;
  /**
   * Rows of the creating form's repeats, by repeat name: each row's answers by question name (a
   * household's members). Not case properties: the registration sends them and keeps them.
   */
  repeats?: Record<string, Array<Record<string, string>>>;
  areaCode: string | null;
  status: string;
  categories: string[];
  createdAt: string;
  updatedAt: string;
}

export interface DemoData {
  template: string;
  project: { slug: string; name: string };
  areas: Area[];
  areaListVersion: string;
  entities: DemoEntity[];
}

export interface DemoOptions {
  seed: number;
  /** Number of main records: households, incidents (plus as many observations), requests. */
  cases: number;
}
