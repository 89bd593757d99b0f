// Type declarations for dependencies that ship none.

declare module 'proj4js-definitions' {
  /** [['EPSG:2000', '+proj=tmerc ...'], ...]: proj4 strings for the EPSG codes up to 32766, from PROJ via epsg.io. */
  const definitions: Array<[string, string]>;
  export default definitions;
}
