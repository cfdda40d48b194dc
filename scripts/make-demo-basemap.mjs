#!/usr/bin/env node
// Writes templates/basemaps/demo.pmtiles: a small vector basemap (PMTiles v3, MVT tiles) over the
// demo areas, generated from the areas the templates already carry — the Bayanzürkh box of the
// Mongolia demo and the protected-area centres of the PNG template. The shapes are generated
// (boxes, a road grid, an ellipse for Lake Kutubu), not surveyed: the file is ours, CC0-1.0.
// Run after `npx tsc -b` (it reads the built writer and templates):
//   node scripts/make-demo-basemap.mjs [OUT.pmtiles]
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { gzipSync } from 'node:zlib';
import { GeoJSONVT } from '@maplibre/geojson-vt';
import { fromGeojsonVt } from '@maplibre/vt-pbf';
import { writePmtiles } from '../packages/cli/dist/basemap/pmtilesWriter.js';
import { BOX } from '../templates/dist/mongolia-social-protection/demo.js';
import { protectedAreas } from '../templates/dist/png-protected-areas/areas.js';

const out = process.argv[2] ?? new URL('../templates/basemaps/demo.pmtiles', import.meta.url).pathname;
const maxZoom = 14;
const extent = 4096;

const box = (west, south, east, north) => [
  [
    [west, south],
    [east, south],
    [east, north],
    [west, north],
    [west, south],
  ],
];
const feature = (geometry, properties) => ({ type: 'Feature', geometry, properties });

function ellipse([lat, lon], radiusLon, radiusLat, tilt) {
  const ring = [];
  for (let i = 0; i <= 48; i += 1) {
    const a = (i / 48) * 2 * Math.PI;
    const x = radiusLon * Math.cos(a);
    const y = radiusLat * Math.sin(a);
    ring.push([lon + x * Math.cos(tilt) - y * Math.sin(tilt), lat + x * Math.sin(tilt) + y * Math.cos(tilt)]);
  }
  ring[ring.length - 1] = ring[0];
  return { type: 'Polygon', coordinates: [ring] };
}

function roadGrid(west, south, east, north, step, kind) {
  const lines = [];
  for (let lon = west + step; lon < east; lon += step)
    lines.push([
      [lon, south],
      [lon, north],
    ]);
  for (let lat = south + step; lat < north; lat += step)
    lines.push([
      [west, lat],
      [east, lat],
    ]);
  return lines.map((coordinates) => feature({ type: 'LineString', coordinates }, { kind }));
}

const layers = { landuse: [], water: [], roads: [], boundaries: [] };
const extents = [];

// Bayanzürkh: the district box, a major-road grid every ~1.5 km and minor roads every ~500 m.
const { west, south, east, north } = BOX;
extents.push([west, south, east, north]);
layers.boundaries.push(
  feature({ type: 'Polygon', coordinates: box(west, south, east, north) }, { kind: 'district', name: 'Bayanzürkh' }),
);
layers.roads.push(
  ...roadGrid(west, south, east, north, 0.02, 'major_road'),
  ...roadGrid(west, south, east, north, 0.006, 'minor_road'),
);
// The Tuul runs along the south of the district: a band of water along its edge.
layers.water.push(
  feature({ type: 'Polygon', coordinates: box(west, south - 0.004, east, south + 0.002) }, { kind: 'river' }),
);

// PNG: every protected area the template places, as a park box around its centre.
for (const area of protectedAreas) {
  const [lat, lon] = area.centre;
  const half = area.code === 'PA-KUTUBU' ? 0.12 : 0.06;
  extents.push([lon - half, lat - half, lon + half, lat + half]);
  layers.landuse.push(
    feature(
      { type: 'Polygon', coordinates: box(lon - half, lat - half, lon + half, lat + half) },
      { kind: 'protected_area', name: area.name },
    ),
  );
  layers.boundaries.push(
    feature(
      { type: 'Polygon', coordinates: box(lon - half, lat - half, lon + half, lat + half) },
      { kind: 'protected_area', name: area.name },
    ),
  );
  layers.roads.push(
    feature(
      {
        type: 'LineString',
        coordinates: [
          [lon - half, lat - half / 3],
          [lon + half, lat + half / 4],
        ],
      },
      { kind: 'path' },
    ),
  );
}
// Lake Kutubu: about 19 km by 4 km, running north-west to south-east.
const kutubu = protectedAreas.find((area) => area.code === 'PA-KUTUBU');
layers.water.push(feature(ellipse(kutubu.centre, 0.085, 0.02, -0.6), { kind: 'lake', name: 'Lake Kutubu' }));

const indexes = Object.fromEntries(
  Object.entries(layers).map(([name, features]) => [
    name,
    new GeoJSONVT(
      { type: 'FeatureCollection', features },
      { maxZoom, indexMaxZoom: 4, extent, buffer: 64, tolerance: 3 },
    ),
  ]),
);

function tileRange(z, [w, s, e, n]) {
  const n2 = 2 ** z;
  const x = (lon) => Math.min(n2 - 1, Math.max(0, Math.floor(((lon + 180) / 360) * n2)));
  const y = (lat) => {
    const r = (lat * Math.PI) / 180;
    return Math.min(
      n2 - 1,
      Math.max(0, Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n2)),
    );
  };
  return { x0: x(w), x1: x(e), y0: y(n), y1: y(s) };
}

const tiles = [];
const done = new Set();
for (let z = 0; z <= maxZoom; z += 1) {
  for (const area of extents) {
    const { x0, x1, y0, y1 } = tileRange(z, area);
    for (let x = x0; x <= x1; x += 1) {
      for (let y = y0; y <= y1; y += 1) {
        const key = `${z}/${x}/${y}`;
        if (done.has(key)) continue;
        done.add(key);
        const found = {};
        for (const [name, index] of Object.entries(indexes)) {
          const tile = index.getTile(z, x, y);
          if (tile !== null && tile.features.length > 0) found[name] = tile;
        }
        if (Object.keys(found).length === 0) continue;
        tiles.push({ z, x, y, data: gzipSync(fromGeojsonVt(found, { version: 2, extent })) });
      }
    }
  }
}

const all = extents.reduce(
  (b, [w, s, e, n]) => ({
    west: Math.min(b.west, w),
    south: Math.min(b.south, s),
    east: Math.max(b.east, e),
    north: Math.max(b.north, n),
  }),
  { west: 180, south: 90, east: -180, north: -90 },
);
const kind = { kind: 'String', name: 'String' };
const bytes = writePmtiles({
  tiles,
  metadata: {
    name: 'Outpost demo basemap',
    description: 'Generated shapes over the demo areas (Bayanzürkh, PNG protected areas); not surveyed data.',
    attribution: 'Outpost demo shapes (CC0-1.0)',
    vector_layers: Object.keys(layers).map((id) => ({ id, fields: kind, minzoom: 0, maxzoom: maxZoom })),
  },
  bounds: all,
  center: { longitude: (BOX.west + BOX.east) / 2, latitude: (BOX.south + BOX.north) / 2, zoom: 12 },
  tileCompression: 2,
});
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, bytes);
process.stdout.write(`${JSON.stringify({ file: out, tiles: tiles.length, bytes: bytes.length })}\n`);
