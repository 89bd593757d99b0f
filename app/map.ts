// The result on a map (MapLibre GL JS): the raster as an image over the features' outlines and the
// grid's footprint. The default style needs no network (a background and a graticule made here), so
// the page works offline; a style URL of the user's puts a real basemap underneath instead.
// MapLibre (1 MB) is loaded the first time the map is shown.
import type { Feature, FeatureCollection } from 'geojson';
import type { GeoJSONSource, Map as MapLibreMap, StyleSpecification } from 'maplibre-gl';
import type { Raster } from '../src/index.js';
import type { ValueColors } from './colormap.js';

type Extent = [number, number, number, number];
type LngLat = [number, number];

/** The longest side of the image drawn on the map; larger rasters are sampled (the Pixels tab shows every pixel). */
export const MAP_IMAGE_MAX = 2048;

const NICE_STEPS = [0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30];

/** Graticule lines every `step` degrees over `extent` (whole world when null): a plain GeoJSON MultiLineString. */
export function graticule(extent: Extent | null): FeatureCollection {
  const span = extent ? Math.max(extent[2] - extent[0], extent[3] - extent[1], 1e-6) : 360;
  const step = NICE_STEPS.find((s) => span / s <= 8) ?? 30;
  const [x0, y0, x1, y1] = extent
    ? [Math.max(-180, extent[0] - 2 * span), Math.max(-85, extent[1] - 2 * span), Math.min(180, extent[2] + 2 * span), Math.min(85, extent[3] + 2 * span)]
    : [-180, -85, 180, 85];
  const lines: LngLat[][] = [];
  for (let x = Math.ceil(x0 / step) * step; x <= x1; x += step) lines.push([[x, y0], [x, y1]]);
  for (let y = Math.ceil(y0 / step) * step; y <= y1; y += step) lines.push([[x0, y], [x1, y]]);
  return { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { step }, geometry: { type: 'MultiLineString', coordinates: lines } }] };
}

/** The style used without a style URL: nothing fetched, nothing but a background and a graticule. */
export function offlineStyle(extent: Extent | null): StyleSpecification {
  return {
    version: 8,
    sources: { graticule: { type: 'geojson', data: graticule(extent) } },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#eef1f4' } },
      { id: 'graticule', type: 'line', source: 'graticule', paint: { 'line-color': '#c3cad4', 'line-width': 0.7 } },
    ],
  };
}

/** Web Mercator's latitude limit: MapLibre cannot place a point beyond it. */
const MERCATOR_LAT = 85.051129;

const clampLat = ([x, y]: LngLat): LngLat => [x, Math.max(-MERCATOR_LAT, Math.min(MERCATOR_LAT, y))];

/**
 * Where the map can draw a result whose grid has `corners` (lon/lat) and `height` rows: a north-up
 * lon/lat grid reaching past Mercator's latitude limit (a world grid's ±90°) keeps only its rows
 * inside the limit, at their own latitudes; other grids have their corners' latitudes clamped.
 */
export function mercatorPlacement(corners: LngLat[], height: number): { corners: LngLat[]; rows: [number, number]; rowAt?: (t: number) => number } {
  const [tl, tr, br, bl] = corners;
  const north = tl[1], south = bl[1];
  const upright = tl[1] === tr[1] && bl[1] === br[1] && tl[0] === bl[0] && tr[0] === br[0] && north > south;
  if (!upright) return { corners: corners.map(clampLat), rows: [0, height] };
  const perRow = (north - south) / height;
  const top = north > MERCATOR_LAT ? Math.min(height - 1, Math.ceil((north - MERCATOR_LAT) / perRow)) : 0;
  const bottom = south < -MERCATOR_LAT ? Math.max(top + 1, height - Math.ceil((-MERCATOR_LAT - south) / perRow)) : height;
  const n = north - top * perRow, s = north - bottom * perRow;
  const clipped: LngLat[] = [[tl[0], n], [tr[0], n], [br[0], s], [bl[0], s]];
  // MapLibre stretches the image linearly in Mercator between the corners: the image's rows are taken
  // at equal Mercator steps, so each shows the grid row at its own latitude (a world grid's Greenland
  // would otherwise sit hundreds of kilometres off its outline)
  const merc = (lat: number): number => Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));
  const mN = merc(n), mS = merc(s);
  const rowAt = (t: number): number => (north - (Math.atan(Math.sinh(mN + t * (mS - mN))) * 180) / Math.PI) / perRow;
  return { corners: clipped.map(clampLat), rows: [top, bottom], rowAt };
}

/** The raster (its rows `rows[0]` to `rows[1]`, the source row of each image row by `rowAt` of its fraction down the image) drawn into a canvas of at most `maxSide` pixels a side (nearest pixel), background transparent. */
export function rasterImage(raster: Raster, colors: ValueColors, maxSide = MAP_IMAGE_MAX, rows: [number, number] = [0, raster.height], rowAt?: (t: number) => number): HTMLCanvasElement {
  const [r0, r1] = rows;
  const k = Math.max(1, Math.max(raster.width, r1 - r0) / maxSide);
  const w = Math.max(1, Math.round(raster.width / k)), h = Math.max(1, Math.round((r1 - r0) / k));
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d')!;
  const image = ctx.createImageData(w, h);
  const out = new Uint32Array(image.data.buffer);
  const d = raster.data;
  const cols = new Int32Array(w);
  for (let x = 0; x < w; x++) cols[x] = Math.min(raster.width - 1, Math.floor((x + 0.5) * (raster.width / w)));
  for (let y = 0; y < h; y++) {
    const row = rowAt ? Math.floor(rowAt((y + 0.5) / h)) : r0 + Math.floor((y + 0.5) * ((r1 - r0) / h));
    const base = Math.max(r0, Math.min(r1 - 1, row)) * raster.width;
    for (let x = 0; x < w; x++) out[y * w + x] = colors.packed(Number(d[base + cols[x]]));
  }
  ctx.putImageData(image, 0, 0);
  return canvas;
}


/**
 * How MapLibre cuts the outlines into tiles (in its worker). The outlines are already thinned to a vertex
 * budget (app/outline.ts), so tiles past a few zoom levels beyond the view that fits the data add no
 * detail, only tiles; a simplification tolerance of a whole tile pixel and a small tile buffer keep
 * each tile's line geometry, which a software WebGL tessellates and draws on the CPU, small.
 */
export function outlineTiling(bounds84: Extent | null): { maxzoom: number; tolerance: number; buffer: number } {
  const span = bounds84 ? Math.max(bounds84[2] - bounds84[0], bounds84[3] - bounds84[1], 1e-9) : 360;
  const fitZoom = Math.log2(360 / span);
  return { maxzoom: Math.max(4, Math.min(18, Math.ceil(fitZoom) + 6)), tolerance: 1, buffer: 8 };
}

interface MapState {
  outlineUrl: string | null;
  bounds84: Extent | null;
  result: { raster: Raster; colors: ValueColors } | null;
  /** the result's image, drawn when the map first needs it */
  image: HTMLCanvasElement | null;
  corners: LngLat[] | null;
}

export class MapView {
  private map: MapLibreMap | null = null;
  private loading: Promise<MapLibreMap> | null = null;
  private readonly state: MapState = { outlineUrl: null, bounds84: null, result: null, image: null, corners: null };
  private styleUrl = '';
  /** set by 'style.load'; isStyleLoaded() stays false until every source has loaded, which is later than layers may be added */
  private styleReady = false;

  constructor(private readonly container: HTMLElement, private readonly onNote: (text: string) => void) {}

  /** Creates the map on first use (the container must be visible: MapLibre sizes itself from it). */
  async show(): Promise<MapLibreMap> {
    if (this.map) {
      this.map.resize();
      return this.map;
    }
    this.loading ??= (async () => {
      const maplibre = await import('maplibre-gl');
      // MapLibre's worker sits beside the page's bundles (copied there by scripts/serve-app.mjs)
      maplibre.setWorkerUrl(new URL('bundle/maplibre/maplibre-gl-worker.mjs', document.baseURI).href);
      const map = new maplibre.Map({
        container: this.container,
        style: this.styleUrl || offlineStyle(this.state.bounds84),
        center: [0, 20],
        zoom: 1,
        attributionControl: false,
        // one copy of the world: world-wide outlines drawn three times side by side triple a software GL's work
        renderWorldCopies: false,
        fadeDuration: 0,
        // keeps the image readable for tests and screenshots (canvas.toDataURL)
        canvasContextAttributes: { preserveDrawingBuffer: true },
      });
      map.addControl(new maplibre.NavigationControl({ showCompass: false }));
      map.on('style.load', () => {
        this.styleReady = true;
        this.addLayers();
        this.fit();
      });
      map.on('error', (e) => this.onNote(`map: ${(e.error as Error | undefined)?.message ?? 'error'}`));
      this.map = map;
      return map;
    })();
    return this.loading;
  }

  /** A style URL of the user's ('' for the offline style). */
  setStyle(url: string): void {
    if (url.trim() === this.styleUrl) return;
    this.styleUrl = url.trim();
    if (!this.map) return;
    this.styleReady = false;
    this.map.setStyle(this.styleUrl || offlineStyle(this.state.bounds84));
  }

  setOutlines(url: string | null, bounds84: Extent | null): void {
    this.state.outlineUrl = url;
    this.state.bounds84 = bounds84;
    if (!this.map) return;
    // the offline style's graticule follows the data's extent
    (this.map.getSource('graticule') as GeoJSONSource | undefined)?.setData(graticule(bounds84));
    this.addLayers();
    this.fit();
  }

  /** Draws a result (null removes it) over the map, in `colors`, between its grid's `corners` in lon/lat (app/corners.ts). */
  setResult(raster: Raster | null, colors: ValueColors | null, corners: LngLat[] | null = null): void {
    this.state.corners = raster ? corners : null;
    this.state.result = raster && colors ? { raster, colors } : null;
    this.state.image = null;
    if (raster && !this.state.corners) this.onNote('the grid has no CRS: the result cannot be placed on the map');
    this.addLayers();
    this.fit();
  }

  /** What is drawn, for tests: the layers present and the result's corners. */
  describe(): { layers: string[]; corners: LngLat[] | null; loaded: boolean } {
    const m = this.map;
    return { layers: m?.getStyle()?.layers?.map((l) => l.id) ?? [], corners: this.state.corners, loaded: !!m?.loaded() };
  }

  private fit(): void {
    const m = this.map;
    if (!m) return;
    const pts = this.state.corners?.map(clampLat) ?? (this.state.bounds84 ? [[this.state.bounds84[0], this.state.bounds84[1]], [this.state.bounds84[2], this.state.bounds84[3]]] : null);
    if (!pts) return;
    const xs = pts.map((p) => p[0]), ys = pts.map((p) => p[1]);
    m.fitBounds([[Math.min(...xs), Math.min(...ys)], [Math.max(...xs), Math.max(...ys)]], { padding: 30, animate: false, maxZoom: 20 });
  }

  // (re)adds the page's sources and layers on top of whatever style is loaded
  private addLayers(): void {
    const m = this.map;
    if (!m || !this.styleReady) return;
    for (const id of ['result', 'footprint', 'outline-points', 'outlines']) if (m.getLayer(id)) m.removeLayer(id);
    for (const id of ['result', 'footprint', 'outlines']) if (m.getSource(id)) m.removeSource(id);
    const { outlineUrl, result, corners } = this.state;
    const placed = result && corners ? mercatorPlacement(corners, result.raster.height) : null;
    if (result && placed && !this.state.image) this.state.image = rasterImage(result.raster, result.colors, MAP_IMAGE_MAX, placed.rows, placed.rowAt);
    const image = this.state.image;
    if (image && placed) {
      m.addSource('result', { type: 'canvas', canvas: image, coordinates: placed.corners as [LngLat, LngLat, LngLat, LngLat], animate: false });
      m.addLayer({ id: 'result', type: 'raster', source: 'result', paint: { 'raster-opacity': 0.85, 'raster-resampling': 'nearest', 'raster-fade-duration': 0 } });
    }
    if (outlineUrl) {
      m.addSource('outlines', { type: 'geojson', data: outlineUrl, ...outlineTiling(this.state.bounds84) });
      m.addLayer({ id: 'outlines', type: 'line', source: 'outlines', paint: { 'line-color': '#1d232b', 'line-width': 0.8, 'line-opacity': 0.7 } });
      m.addLayer({ id: 'outline-points', type: 'circle', source: 'outlines', filter: ['==', ['geometry-type'], 'Point'], paint: { 'circle-radius': 2, 'circle-color': '#1d232b' } });
    }
    if (corners) {
      const ring = corners.map(clampLat);
      const footprint: Feature = { type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [...ring, ring[0]] } };
      m.addSource('footprint', { type: 'geojson', data: footprint });
      m.addLayer({ id: 'footprint', type: 'line', source: 'footprint', paint: { 'line-color': '#c2410c', 'line-width': 1.5, 'line-dasharray': [3, 2] } });
    }
  }
}
