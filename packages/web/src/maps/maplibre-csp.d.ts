// MapLibre's CSP build is a UMD script with no types of its own: it is the same API as the package
// entry, with the worker loaded from a URL instead of a blob (see loadMapLibre.ts).
declare module 'maplibre-gl/dist/maplibre-gl-csp.js' {
  import type * as MapLibreModule from 'maplibre-gl';
  const maplibregl: typeof MapLibreModule;
  export default maplibregl;
}
