import { describe, expect, it } from 'vitest';
import { attributionHtml, attributionText } from './basemapAttribution.js';
import { mapText } from './mapText.js';

describe("a basemap's attribution", () => {
  it('says a licence it knows in the chosen language', () => {
    const demo = 'Outpost demo shapes (CC0-1.0)';
    expect(attributionText(demo, mapText('en'))).toBe('Background map: free for any use (CC0-1.0)');
    expect(attributionText(demo, mapText('mn'))).toBe('Суурь зураг: ямар ч зорилгоор чөлөөтэй ашиглана (CC0-1.0)');
    const osm = '<a href="https://www.openstreetmap.org/copyright">&copy; OpenStreetMap</a>';
    expect(attributionText(osm, mapText('mn'))).toBe('Суурь зураг: © OpenStreetMap-ын оролцогчид (ODbL)');
    expect(attributionText(osm, mapText('tpi'))).toBe('Map aninit: © ol lain bilong OpenStreetMap (ODbL)');
  });

  it('shows any other attribution as the archive gives it, as text and never as markup', () => {
    const own = 'Survey <b>2024</b> <img src=x onerror=alert(1)> by the district';
    expect(attributionText(own, mapText('en'))).toBe('Background map: Survey 2024 by the district');
    expect(attributionHtml('Roads & rivers "2024"', mapText('en'))).toBe(
      'Background map: Roads &#38; rivers &#34;2024&#34;',
    );
  });

  it('is absent when the archive names no source', () => {
    expect(attributionHtml(undefined, mapText('en'))).toBeUndefined();
    expect(attributionHtml('  <span></span> ', mapText('en'))).toBeUndefined();
    expect(attributionHtml(42, mapText('en'))).toBeUndefined();
  });
});
