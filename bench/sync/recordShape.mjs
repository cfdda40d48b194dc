// Where an Outpost pull page's bytes go, computed offline from the records a device receives, and
// what other encodings of the same page would cost. Explains the bytes ratio; changes nothing.
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { encodeRecordGroups } from '@outpost/core';
import { caseDocument } from './couchPeer.mjs';

// A few pages: stable figures while brotli's highest quality stays affordable (about 1 MB/s).
const sampleSize = 3_000;
// The PWA asks for pages of 1 MiB of uncompressed JSON (createSyncEngine's pullMaxBytes).
const pageBytes = 1024 * 1024;

export function recordShape(records) {
  const sample = records.slice(0, sampleSize);
  const n = sample.length;
  const perRecord = (bytes) => Math.round((bytes / n) * 10) / 10;
  const pages = paginate(sample);
  const total = (encode) => pages.reduce((sum, page) => sum + encode(page).length, 0);
  const json = (page) => Buffer.from(JSON.stringify(page));
  const gzip = (transform) => (page) => gzipSync(json(transform(page)));
  const brotli = (quality, transform) => (page) =>
    brotliCompressSync(json(transform(page)), { params: { [constants.BROTLI_PARAM_QUALITY]: quality } });
  const same = (page) => page;

  return {
    sampledRecords: n,
    jsonBytesPerRecord: perRecord(total(json)),
    /** As the server sends a page today: gzip level 6 per page. */
    gzipBytesPerRecord: perRecord(total(gzip(same))),
    gzipWithoutScopeId: perRecord(total(gzip(withoutScope))),
    gzipWithoutDerivedProperties: perRecord(total(gzip(withoutDerived))),
    gzip9: perRecord(total((page) => gzipSync(json(page), { level: 9 }))),
    brotli5: perRecord(total(brotli(5, same))),
    brotli11: perRecord(total(brotli(11, same))),
    /** The page turned column-wise: one array per field, so like values sit together. */
    columnarGzip: perRecord(total(gzip(columnar))),
    columnarBrotli11: perRecord(total(brotli(11, columnar))),
    columnarWithoutDerivedGzip: perRecord(total(gzip((page) => columnar(withoutDerivedTuples(page))))),
    columnarWithoutDerivedBrotli11: perRecord(total(brotli(11, (page) => columnar(withoutDerivedTuples(page))))),
    /** Protocol 2's record groups (what the server sends now), on the same pages. */
    recordGroupsGzip: perRecord(total(gzip((page) => encodeRecordGroups(page)))),
    /** The same records as CouchDB documents, gzipped in one piece (no replication protocol). */
    couchDocsGzip: perRecord(gzipSync(JSON.stringify(sample.map(caseDocument))).length),
  };
}

function paginate(records) {
  const pages = [];
  let page = [];
  let used = 0;
  for (const record of records) {
    const size = Buffer.byteLength(JSON.stringify(record)) + 1;
    if (page.length > 0 && used + size > pageBytes) {
      pages.push(page);
      page = [];
      used = 0;
    }
    page.push(record);
    used += size;
  }
  if (page.length > 0) pages.push(page);
  return pages;
}

function withoutScope(page) {
  return page.map(([id, list, , version, seq, properties]) => [id, list, version, seq, properties]);
}

function withoutDerived(page) {
  return withoutScope(page).map(([id, list, version, seq, properties]) => [
    id,
    list,
    version,
    seq,
    Object.fromEntries(Object.entries(properties).filter(([key]) => !key.startsWith('__'))),
  ]);
}

/** Six-element tuples again (scope kept), minus the derived properties, for columnar(). */
function withoutDerivedTuples(page) {
  return page.map(([id, list, scope, version, seq, properties]) => [
    id,
    list,
    scope,
    version,
    seq,
    Object.fromEntries(Object.entries(properties).filter(([key]) => !key.startsWith('__'))),
  ]);
}

function columnar(page) {
  const keys = [...new Set(page.flatMap((record) => Object.keys(record[5])))].sort();
  return {
    id: page.map((record) => record[0]),
    list: page.map((record) => record[1]),
    version: page.map((record) => record[3]),
    seq: page.map((record) => record[4]),
    properties: Object.fromEntries(keys.map((key) => [key, page.map((record) => record[5][key] ?? null)])),
  };
}
