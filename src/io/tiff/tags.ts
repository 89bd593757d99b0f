// The TIFF tags rasterburn reads and writes, and TIFF's field types with their sizes (TIFF 6.0 section 2,
// BigTIFF's 8-byte types, GeoTIFF 1.0's georeferencing tags, GDAL's nodata tag): the one table the IFD
// reader, the IFD writer, the GeoTIFF encoder and the in-place updater share. Browser-safe.

/** TIFF field types by name. */
export const TYPE = {
  BYTE: 1, ASCII: 2, SHORT: 3, LONG: 4, RATIONAL: 5, SBYTE: 6, UNDEFINED: 7, SSHORT: 8, SLONG: 9, SRATIONAL: 10,
  FLOAT: 11, DOUBLE: 12, IFD: 13, LONG8: 16, SLONG8: 17, IFD8: 18,
} as const;

/** Bytes per value of each field type. */
export const TYPE_SIZE: Readonly<Record<number, number>> = {
  [TYPE.BYTE]: 1, [TYPE.ASCII]: 1, [TYPE.SHORT]: 2, [TYPE.LONG]: 4, [TYPE.RATIONAL]: 8, [TYPE.SBYTE]: 1, [TYPE.UNDEFINED]: 1,
  [TYPE.SSHORT]: 2, [TYPE.SLONG]: 4, [TYPE.SRATIONAL]: 8, [TYPE.FLOAT]: 4, [TYPE.DOUBLE]: 8, [TYPE.IFD]: 4,
  [TYPE.LONG8]: 8, [TYPE.SLONG8]: 8, [TYPE.IFD8]: 8,
};

/** Field types whose values are unsigned integers. */
export const UNSIGNED_TYPES: ReadonlySet<number> = new Set([TYPE.BYTE, TYPE.SHORT, TYPE.LONG, TYPE.IFD, TYPE.LONG8, TYPE.IFD8]);

export interface TagInfo {
  /** the tag number */
  code: number;
  /** the field type rasterburn writes it with; chunk offsets and byte counts widen to LONG8 in BigTIFF */
  type: number;
}

/** The tags rasterburn knows, by their names in the TIFF, GeoTIFF and GDAL specifications. */
export const TAGS = {
  ImageWidth: { code: 256, type: TYPE.LONG },
  ImageLength: { code: 257, type: TYPE.LONG },
  BitsPerSample: { code: 258, type: TYPE.SHORT },
  Compression: { code: 259, type: TYPE.SHORT },
  PhotometricInterpretation: { code: 262, type: TYPE.SHORT },
  StripOffsets: { code: 273, type: TYPE.LONG },
  SamplesPerPixel: { code: 277, type: TYPE.SHORT },
  RowsPerStrip: { code: 278, type: TYPE.LONG },
  StripByteCounts: { code: 279, type: TYPE.LONG },
  PlanarConfiguration: { code: 284, type: TYPE.SHORT },
  Predictor: { code: 317, type: TYPE.SHORT },
  TileWidth: { code: 322, type: TYPE.LONG },
  TileLength: { code: 323, type: TYPE.LONG },
  TileOffsets: { code: 324, type: TYPE.LONG },
  TileByteCounts: { code: 325, type: TYPE.LONG },
  ExtraSamples: { code: 338, type: TYPE.SHORT },
  SampleFormat: { code: 339, type: TYPE.SHORT },
  ModelPixelScale: { code: 33550, type: TYPE.DOUBLE },
  ModelTiepoint: { code: 33922, type: TYPE.DOUBLE },
  ModelTransformation: { code: 34264, type: TYPE.DOUBLE },
  GeoKeyDirectory: { code: 34735, type: TYPE.SHORT },
  GeoDoubleParams: { code: 34736, type: TYPE.DOUBLE },
  GeoAsciiParams: { code: 34737, type: TYPE.ASCII },
  GDAL_NODATA: { code: 42113, type: TYPE.ASCII },
} as const satisfies Record<string, TagInfo>;

export type TagName = keyof typeof TAGS;
