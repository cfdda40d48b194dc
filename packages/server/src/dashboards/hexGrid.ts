import type { LatLon } from '@outpost/core';

/** One hexagon of the dashboard map: its key, centre and corners (decimal degrees). */
export interface HexCell {
  readonly id: string;
  readonly centre: LatLon;
  /** Six corners, `[lon, lat]` as GeoJSON orders them, closed by the first. */
  readonly polygon: ReadonlyArray<readonly [number, number]>;
}

const R = 6_378_137;
const rad = Math.PI / 180;

function project(p: LatLon): { x: number; y: number } {
  const lat = Math.max(-85, Math.min(85, p.lat));
  return { x: R * p.lon * rad, y: R * Math.log(Math.tan(Math.PI / 4 + (lat * rad) / 2)) };
}

function unproject(x: number, y: number): LatLon {
  const round = (n: number) => Math.round(n * 1e6) / 1e6;
  return { lon: round(x / R / rad), lat: round((2 * Math.atan(Math.exp(y / R)) - Math.PI / 2) / rad) };
}

/**
 * The pointy-top hexagon of circumradius `size` (Web Mercator metres, so about `size × cos(lat)`
 * on the ground) that holds `point`: axial coordinates by cube rounding. The grid is fixed, so a
 * point always falls in the same hexagon whoever reads it.
 */
export function hexCell(point: LatLon, size: number): HexCell {
  const { x, y } = project(point);
  const q = ((Math.sqrt(3) / 3) * x - y / 3) / size;
  const r = ((2 / 3) * y) / size;
  let rx = Math.round(q);
  let rz = Math.round(r);
  const ry = Math.round(-q - r);
  const dx = Math.abs(rx - q);
  const dy = Math.abs(ry - (-q - r));
  const dz = Math.abs(rz - r);
  if (dx > dy && dx > dz) rx = -ry - rz;
  else if (dz >= dy) rz = -rx - ry;
  const cx = size * Math.sqrt(3) * (rx + rz / 2);
  const cy = size * 1.5 * rz;
  const polygon: Array<[number, number]> = [];
  for (let i = 0; i <= 6; i++) {
    const angle = (60 * (i % 6) - 30) * rad;
    const corner = unproject(cx + size * Math.cos(angle), cy + size * Math.sin(angle));
    polygon.push([corner.lon, corner.lat]);
  }
  return { id: `${size}:${rx}:${rz}`, centre: unproject(cx, cy), polygon };
}
