// sql.js's build with the wasm inlined (base64): neither Node nor the browser bundle has to locate a .wasm file.
declare module 'sql.js/dist/sql-wasm-inline.js' {
  import initSqlJs from 'sql.js';
  export default initSqlJs;
}
