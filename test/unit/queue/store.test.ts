// The store's pieces that need no server: S3 settings read as GDAL's /vsis3/ reads them, s3:// URLs,
// and how the submitter's VRT names the tiles (relative where GDAL resolves them, else absolute).
import { describe, expect, it } from 'vitest';
import { JobStore } from '../../../src/queue/job-store.js';
import { FolderStore } from '../../../src/queue/node-store-folder.js';
import { vrtTileName } from '../../../src/queue/node-submit.js';
import { S3Store } from '../../../src/queue/store-s3.js';
import { s3ConfigFromEnv } from '../../../src/queue/store-s3-config.js';
import { splitS3Url } from '../../../src/queue/store.js';

const KEYS = { AWS_ACCESS_KEY_ID: 'k', AWS_SECRET_ACCESS_KEY: 's' };

describe('S3 settings from the AWS_* environment', () => {
  it('defaults as GDAL: AWS, https, virtual hosting, us-east-1', () => {
    expect(s3ConfigFromEnv(KEYS, 'x')).toEqual({ endpoint: 's3.amazonaws.com', https: true, virtualHosting: true, region: 'us-east-1', credentials: { accessKeyId: 'k', secretAccessKey: 's' } });
  });
  it('reads endpoint, AWS_HTTPS=NO, AWS_VIRTUAL_HOSTING=FALSE, AWS_DEFAULT_REGION, the session token, unsigned requests', () => {
    const c = s3ConfigFromEnv({ ...KEYS, AWS_SESSION_TOKEN: 't', AWS_S3_ENDPOINT: 'minio:9000', AWS_HTTPS: 'NO', AWS_VIRTUAL_HOSTING: 'FALSE', AWS_DEFAULT_REGION: 'eu-west-3' }, 'x');
    expect(c).toMatchObject({ endpoint: 'minio:9000', https: false, virtualHosting: false, region: 'eu-west-3', credentials: { sessionToken: 't' } });
    expect(s3ConfigFromEnv({ AWS_REGION: 'a', AWS_DEFAULT_REGION: 'b', ...KEYS }, 'x').region).toBe('a');
    expect(s3ConfigFromEnv({ AWS_NO_SIGN_REQUEST: 'YES' }, 'x').credentials).toBeNull();
  });
  it('a missing key is one line naming it', () => {
    expect(() => s3ConfigFromEnv({ AWS_SECRET_ACCESS_KEY: 's' }, '--store s3://b/p')).toThrow(/^--store s3:\/\/b\/p is on S3 but AWS_ACCESS_KEY_ID is not set: /);
    expect(() => s3ConfigFromEnv({ AWS_ACCESS_KEY_ID: 'k' }, 'x')).toThrow(/AWS_SECRET_ACCESS_KEY is not set/);
  });
});

describe('s3:// URLs', () => {
  it('split into bucket and key; bad buckets and keys refused', () => {
    expect(splitS3Url('s3://my-bucket/a/b.vrt')).toEqual({ bucket: 'my-bucket', key: 'a/b.vrt' });
    expect(splitS3Url('s3://my-bucket/')).toEqual({ bucket: 'my-bucket', key: '' });
    expect(() => splitS3Url('s3://My_Bucket/x')).toThrow(/is not an S3 bucket name/);
    expect(() => splitS3Url('s3://bucket/a//b')).toThrow(/empty, '\.' or '\.\.' part/);
    expect(() => splitS3Url('s3://bucket/../b')).toThrow(/empty, '\.' or '\.\.' part/);
  });
});

describe('the tiles as the submitter\'s VRT names them', () => {
  const cfg = s3ConfigFromEnv(KEYS, 'x');
  it('on S3: relative below the VRT\'s prefix, else /vsis3/', () => {
    const below = new JobStore(new S3Store('bkt', 'jobs/out.tiles', cfg), 'j1');
    expect(vrtTileName('s3://bkt/jobs/out.vrt', below, below.tileKey({ row: 0, col: 2 }))).toEqual({ path: 'out.tiles/j1/tiles/r0-c2.tif', relative: true });
    expect(vrtTileName('s3://bkt/out.vrt', below, below.tileKey({ row: 0, col: 2 }))).toEqual({ path: 'jobs/out.tiles/j1/tiles/r0-c2.tif', relative: true });
    expect(vrtTileName('s3://other/jobs/out.vrt', below, below.tileKey({ row: 1, col: 0 }))).toEqual({ path: '/vsis3/bkt/jobs/out.tiles/j1/tiles/r1-c0.tif', relative: false });
    expect(vrtTileName('/data/out.vrt', below, below.tileKey({ row: 1, col: 0 }))).toEqual({ path: '/vsis3/bkt/jobs/out.tiles/j1/tiles/r1-c0.tif', relative: false });
  });
  it('in a folder: relative to the VRT\'s folder', () => {
    const store = new JobStore(new FolderStore('/data/out.tiles'), 'j2');
    expect(vrtTileName('/data/out.vrt', store, store.tileKey({ row: 3, col: 4 }))).toEqual({ path: 'out.tiles/j2/tiles/r3-c4.tif', relative: true });
    expect(store.dir).toBe('/data/out.tiles/j2');
  });
  it('S3 URLs: path-style or virtual-hosted, keys encoded', () => {
    expect(new S3Store('bkt', 'p', cfg).gdalName('j/x y.tif')).toBe('/vsis3/bkt/p/j/x y.tif');
    expect(new S3Store('bkt', '', cfg).displayName('j/job.json')).toBe('s3://bkt/j/job.json');
  });
});
