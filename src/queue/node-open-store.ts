// Opens the store a --store value or a destination names: s3://bucket/prefix through the S3 backend
// (credentials and endpoint from the AWS_* environment, as GDAL's /vsis3/ reads them), anything else
// as a folder.
import { basename, dirname, resolve } from 'node:path';
import { FolderStore } from './node-store-folder.js';
import { isS3Url, splitS3Url, type ObjectStore } from './store.js';
import { S3Store } from './store-s3.js';
import { s3ConfigFromEnv } from './store-s3-config.js';

/** The store rooted at `root`: a folder path or s3://bucket[/prefix]. */
export function openStore(root: string, what = 'the store'): ObjectStore {
  if (!isS3Url(root)) return new FolderStore(root);
  const { bucket, key } = splitS3Url(root);
  return new S3Store(bucket, key, s3ConfigFromEnv(process.env, `${what} ${root}`));
}

/** A file to write (the job's destination): the store of its folder and its name there. */
export function openLocation(path: string, what = 'the destination'): { store: ObjectStore; key: string } {
  if (!isS3Url(path)) return { store: new FolderStore(dirname(resolve(path))), key: basename(path) };
  const { bucket, key } = splitS3Url(path);
  if (key === '') throw new Error(`${what} ${path} names a bucket, not an object`);
  const slash = key.lastIndexOf('/');
  return { store: new S3Store(bucket, key.slice(0, Math.max(0, slash)), s3ConfigFromEnv(process.env, `${what} ${path}`)), key: key.slice(slash + 1) };
}
