// The legend beside the result: a swatch per value for categories (the most frequent first), or the
// ramp with its min and max; the background (nodata or init) is named as transparent.
import { rampGradient, valueColor } from './colormap.js';
import type { RasterSummary } from './summary.js';

function formatValue(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toPrecision(6).replace(/\.?0+$/, '');
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Fills `box` with the legend of a result coloured as `kind`; `nodata` says what the background is. */
export function renderLegend(box: HTMLElement, kind: 'categories' | 'ramp', s: RasterSummary, nodata: number | null): void {
  box.replaceChildren();
  box.dataset.kind = kind;
  if (s.burned === 0) {
    box.append(el('span', 'legend-note', 'nothing burned'));
  } else if (kind === 'ramp') {
    box.append(el('span', 'legend-min', formatValue(s.min)));
    const bar = el('span', 'legend-ramp');
    bar.style.background = rampGradient();
    box.append(bar, el('span', 'legend-max', formatValue(s.max)));
  } else {
    for (const [v, n] of s.top) {
      const item = el('span', 'legend-item');
      item.dataset.value = String(v);
      item.title = `${n.toLocaleString('en')} pixels`;
      const sw = el('span', 'swatch');
      const [r, g, b] = valueColor(v);
      sw.style.background = `rgb(${r} ${g} ${b})`;
      item.append(sw, document.createTextNode(formatValue(v)));
      box.append(item);
    }
    const more = s.distinct - s.top.length;
    if (more > 0) box.append(el('span', 'legend-note', `and ${s.distinctCapped ? 'more than ' : ''}${more.toLocaleString('en')} more`));
  }
  const bg = el('span', 'legend-item legend-background');
  bg.append(el('span', 'swatch transparent'), document.createTextNode(`${formatValue(s.background)} (${nodata !== null ? 'nodata' : 'unburned'}): transparent`));
  box.append(bg);
}
