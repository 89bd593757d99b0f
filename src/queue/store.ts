// The shared store a tile job lives in, as the queue sees it: named objects written whole and read
// whole. Backends: a folder every host mounts (node-store-folder.ts), an S3-compatible bucket
// (store-s3.ts). What a backend must guarantee: put() replaces an object atomically (readers see the
// old bytes or the new, never a mix: a retried tile replaces its own output), and an object put
// before a task reports done is visible to every host afterwards. Listing is never needed: the
// parent learns the written tiles from its children's results. Browser-safe.

export interface ObjectStore {
  /** where the store is: a folder's absolute path or s3://bucket[/prefix] */
  readonly root: string;
  /** writes `key` whole from `parts`, replacing what was there atomically */
  put(key: string, parts: readonly Uint8Array[]): Promise<void>;
  /** the bytes of `key`; a missing object is a one-line error naming it */
  get(key: string): Promise<Uint8Array>;
  has(key: string): Promise<boolean>;
  /** the name GDAL opens `key` by: a file path, or a /vsis3/ path */
  gdalName(key: string): string;
  /** `key` as the user would name it in a message or in --store: a path or an s3:// URL */
  displayName(key: string): string;
  /** readies the folders `prefixes` where a backend needs them (a folder store); others do nothing */
  prepare(prefixes: readonly string[]): Promise<void>;
  /** removes what killed writers left under `prefix` (temporary files); returns how many */
  removeStaleTemps(prefix: string): Promise<number>;
}

/** s3://bucket[/prefix] URLs; everything else is a path. */
export function isS3Url(s: string): boolean {
  return /^s3:\/\//i.test(s);
}

/** A location split into its store's root and the key under it: s3://bucket/a/b -> (s3://bucket, a/b). */
export function splitS3Url(url: string): { bucket: string; key: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/i.exec(url);
  if (!m || m[1] === '') throw new Error(`'${url}' is not an s3://BUCKET/KEY URL`);
  const bucket = m[1];
  // S3's rules for bucket names (3 to 63 lowercase letters, digits, dots, hyphens)
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw new Error(`'${bucket}' in '${url}' is not an S3 bucket name (3 to 63 lowercase letters, digits, '.' or '-')`);
  const key = m[2].replace(/\/+$/, '');
  if (key !== '' && key.split('/').some((s) => s === '' || s === '.' || s === '..')) throw new Error(`'${url}' has an empty, '.' or '..' part in its key`);
  return { bucket, key };
}

/** Keys are '/'-separated; joins parts, skipping empty ones. */
export function joinKey(...parts: string[]): string {
  return parts.filter((p) => p !== '').join('/');
}
