import { describe, expect, it } from 'vitest';
import { basemapSource, graticuleSource, offlineStyle } from './offlineStyle.js';

describe('the offline map style', () => {
  it('fetches nothing: no glyphs, no sprite, no URL in any source', () => {
    const style = offlineStyle();
    expect(style.glyphs).toBeUndefined();
    expect(style.sprite).toBeUndefined();
    expect(JSON.stringify(style)).not.toMatch(/https?:/);
    expect(Object.keys(style.sources)).toEqual([graticuleSource]);
    expect(style.layers.map((layer) => layer.type)).toEqual(['background', 'line']);
  });

  it('draws a pmtiles basemap from our own origin under the grid, without labels', () => {
    const style = offlineStyle({ basemapUrl: '/basemaps/png.pmtiles' });
    expect(style.sources[basemapSource]).toMatchObject({ type: 'vector', url: 'pmtiles:///basemaps/png.pmtiles' });
    expect(style.layers.at(-1)?.id).toBe('graticule');
    expect(style.layers.some((layer) => layer.type === 'symbol')).toBe(false);
    expect(style.glyphs).toBeUndefined();
  });
});
