// How the S3 store is reached, read from the settings GDAL's /vsis3/ reads, so that one environment
// serves both rasterburn and GDAL reading its output: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
// AWS_SESSION_TOKEN, AWS_REGION (or AWS_DEFAULT_REGION; default us-east-1), AWS_S3_ENDPOINT
// (host[:port]; default s3.amazonaws.com), AWS_HTTPS (default YES), AWS_VIRTUAL_HOSTING (default
// TRUE: bucket.host; FALSE: host/bucket), AWS_NO_SIGN_REQUEST=YES (public buckets, unsigned).
// Browser-safe: the caller passes the environment.

export interface S3Config {
  /** host[:port] */
  endpoint: string;
  https: boolean;
  virtualHosting: boolean;
  region: string;
  /** null: unsigned requests (AWS_NO_SIGN_REQUEST=YES) */
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | null;
  /** objects larger than this many bytes go up as a multipart upload (default 64 MiB) */
  multipartThreshold?: number;
  /** bytes a part (default 16 MiB; at least 5 MiB, S3's minimum) */
  partSize?: number;
  /** tries of a failed request (aws4fetch's retries, with backoff; default 5) */
  retries?: number;
  fetch?: typeof fetch;
}

// GDAL's CPLTestBool: NO, FALSE, OFF and 0 are false, anything else true
function bool(v: string | undefined, dflt: boolean): boolean {
  if (v === undefined || v === '') return dflt;
  return !/^(no|false|off|0)$/i.test(v.trim());
}

/** The S3 settings from `env` (process.env in Node); missing credentials are a one-line error naming them. */
export function s3ConfigFromEnv(env: Record<string, string | undefined>, what: string): S3Config {
  const endpoint = (env.AWS_S3_ENDPOINT || 's3.amazonaws.com').replace(/^https?:\/\//i, '').replace(/\/+$/, '');
  const unsigned = bool(env.AWS_NO_SIGN_REQUEST, false);
  let credentials: S3Config['credentials'] = null;
  if (!unsigned) {
    const accessKeyId = env.AWS_ACCESS_KEY_ID, secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
    if (!accessKeyId || !secretAccessKey) {
      throw new Error(`${what} is on S3 but ${!accessKeyId ? 'AWS_ACCESS_KEY_ID' : 'AWS_SECRET_ACCESS_KEY'} is not set: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_S3_ENDPOINT for a server other than AWS), as for GDAL's /vsis3/`);
    }
    credentials = { accessKeyId, secretAccessKey, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) };
  }
  return {
    endpoint,
    https: bool(env.AWS_HTTPS, true),
    virtualHosting: bool(env.AWS_VIRTUAL_HOSTING, true),
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
    credentials,
  };
}
