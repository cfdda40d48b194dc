// Runs in headless Chromium: builds each engine over the same cases and times the same queries.
import { CaseIndex, parseQuery, wordKeys, parseDate, ageOn } from '@outpost/core';
import MiniSearch from 'minisearch';
import { Index } from 'flexsearch';
import { AREAS, NEEDS, makeCases, nameQueries } from './data.js';

const TODAY = '2026-12-07';
const SCHEMA = {
  nameFields: ['head_family_name', 'head_fathers_name', 'head_given_name'],
  dobField: 'head_dob',
  sexField: 'head_sex',
  areaFields: ['aimag', 'soum', 'bag'],
  selectFields: ['needs'],
};
const LIMIT = 10;

function heapMb() {
  globalThis.gc?.();
  return performance.memory ? performance.memory.usedJSHeapSize / 1e6 : null;
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function timed(queries, run) {
  const times = [];
  const results = [];
  for (const q of queries) {
    const t = performance.now();
    results.push(run(q));
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95), results };
}

/** The text a peer indexes: the same folded words our index keys are made of. */
function foldedNames(c) {
  return wordKeys([c.label, ...SCHEMA.nameFields.map((f) => c.properties[f] ?? '')].join(' ')).join(' ');
}

const todayDate = parseDate(TODAY);
function passes(c, filter) {
  if (filter.age) {
    const dob = parseDate(c.properties.head_dob);
    const age = ageOn(dob, todayDate);
    if (age < filter.age[0] || age > filter.age[1]) return false;
  }
  if (filter.bag && c.properties.bag !== filter.bag) return false;
  if (filter.need && !c.properties.needs.split(' ').includes(filter.need)) return false;
  return true;
}

function engines(cases) {
  const byId = new Map(cases.map((c) => [c.id, c]));
  return {
    outpost: {
      build() {
        const index = new CaseIndex(SCHEMA, AREAS);
        index.putAll(cases);
        return index;
      },
      name: (index, q) =>
        index.search(parseQuery(q, SCHEMA.selectFields), { today: TODAY, limit: LIMIT }).map((h) => h.id),
      filter: (index, f) => {
        const terms = [
          f.age ? `age:${f.age[0]}-${f.age[1]}` : '',
          f.bag ? `area:${f.bag}` : '',
          f.need ? `needs:${f.need}` : '',
        ];
        return index
          .search(parseQuery(terms.join(' '), SCHEMA.selectFields), { today: TODAY, limit: LIMIT })
          .map((h) => h.id);
      },
    },
    minisearch: {
      build() {
        const index = new MiniSearch({ fields: ['names'], processTerm: (t) => t, tokenize: (t) => t.split(' ') });
        index.addAll(cases.map((c) => ({ id: c.id, names: foldedNames(c) })));
        return index;
      },
      name: (index, q) =>
        index
          .search(wordKeys(q).join(' '), {
            prefix: true,
            fuzzy: (term) => (term.length >= 5 ? 1 : 0),
            combineWith: 'AND',
          })
          .slice(0, LIMIT)
          .map((r) => r.id),
      filter: (index, f) =>
        index
          .search(MiniSearch.wildcard, { filter: (r) => passes(byId.get(r.id), f) })
          .slice(0, LIMIT)
          .map((r) => r.id),
    },
    flexsearch: {
      build() {
        const index = new Index({ tokenize: 'forward', encoder: { normalize: false } });
        for (const c of cases) index.add(c.id, foldedNames(c));
        return index;
      },
      name: (index, q) => index.search(wordKeys(q).join(' '), { limit: LIMIT, suggest: true }),
      filter: (_index, f) => {
        const out = [];
        for (const c of cases) {
          if (passes(c, f)) out.push(c.id);
          if (out.length >= LIMIT) break;
        }
        return out;
      },
    },
  };
}

globalThis.runBench = async (count, queryCount) => {
  const cases = makeCases(count);
  const names = nameQueries(cases, queryCount);
  const filters = Array.from({ length: queryCount }, (_, i) => ({
    age: [60, 120],
    bag: AREAS[2 + (i % 43)].code,
    need: 'heating_winter',
  }));
  const needs = Array.from({ length: queryCount }, (_, i) => ({ need: NEEDS[i % NEEDS.length] }));
  const out = [];
  for (const [engine, e] of Object.entries(engines(cases))) {
    const before = heapMb();
    const t = performance.now();
    const index = e.build();
    const buildSeconds = (performance.now() - t) / 1000;
    const after = heapMb();
    const name = timed(names, (q) => e.name(index, q.text));
    const ageArea = timed(filters, (f) => e.filter(index, f));
    const need = timed(needs, (f) => e.filter(index, f));
    const found = names.filter((q, i) => name.results[i].includes(q.targetId)).length;
    out.push({
      engine,
      cases: count,
      build_s: Number(buildSeconds.toFixed(3)),
      heap_mb: before === null ? null : Number((after - before).toFixed(1)),
      name_p50_ms: Number(name.p50.toFixed(2)),
      name_p95_ms: Number(name.p95.toFixed(2)),
      age_area_p50_ms: Number(ageArea.p50.toFixed(2)),
      age_area_p95_ms: Number(ageArea.p95.toFixed(2)),
      needs_p50_ms: Number(need.p50.toFixed(2)),
      needs_p95_ms: Number(need.p95.toFixed(2)),
      name_recall_at_10: Number((found / names.length).toFixed(3)),
      name_queries: names.length,
    });
  }
  return out;
};
globalThis.benchReady = true;
