// --help, written from the option table so that it lists exactly the options the parser reads.
import { OPTIONS, type OptionSpec, type Section } from './options.js';

const SECTIONS: ReadonlyArray<[Section, string]> = [
  ['burn', 'What to burn'],
  ['grid', 'Output grid'],
  ['raster', 'Output raster'],
  ['run', 'Running'],
  ['compat', 'Accepted for gdal_rasterize compatibility'],
  ['refused', 'Refused (gdal_rasterize options rasterburn does not implement)'],
  ['info', 'Information'],
];

const ABOUT = `Burns GeoJSON features into a raster with gdal_rasterize's rules and pixels.
A .npy destination is written as a NumPy array.`;

/** The option as --help shows it: every spelling, then its values. */
export function optionLabel(o: OptionSpec): string {
  const values = o.metavar ? ` ${o.metavar}${o.arity === 'numbers' ? '...' : ''}` : '';
  return `${o.names.join(', ')}${values}`;
}

/** The whole --help text, without a trailing newline. */
export function helpText(width = 100): string {
  const sources = OPTIONS.filter((o) => o.source).map((o) => `${o.names[0]}${o.metavar ? ` ${o.metavar}` : ''}`);
  const lines = [
    `Usage: rasterburn {${sources.join(' | ')}} [options] <src.geojson> <dst.tif|dst.npy>`,
    '',
    ABOUT,
    '',
    'Options marked * make rasterburn create <dst> anew, as gdal_rasterize does: -tr or -ts (or',
    '--template) is then required. Without any of them an existing <dst> is updated in place: band 1',
    'is burned and its other pixels are kept.',
  ];
  // a label wider than the column gets a line of its own
  const column = 30;
  for (const [section, title] of SECTIONS) {
    const options = OPTIONS.filter((o) => o.section === section);
    if (options.length === 0) continue;
    lines.push('', `${title}:`);
    for (const o of options) {
      const text = `${o.help}${o.default ? ` (default: ${o.default})` : ''}`;
      const label = `  ${o.creates ? '*' : ' '} ${optionLabel(o)}`;
      if (label.length >= column - 1) lines.push(label);
      lines.push(...wrap(label.length >= column - 1 ? ' '.repeat(column) : label.padEnd(column), text, width));
    }
  }
  return lines.join('\n');
}

// the help text after the label, wrapped at word boundaries and indented under its first line
function wrap(label: string, text: string, width: number): string[] {
  const room = Math.max(30, width - label.length);
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > room) {
      out.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  out.push(line);
  return out.map((l, k) => `${k === 0 ? label : ' '.repeat(label.length)}${l}`);
}
