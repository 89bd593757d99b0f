// The S3-compatible backend of the store: objects in a bucket under a prefix, reached with signed
// requests over fetch (aws4fetch: Signature V4, and its retries of failed requests with backoff).
// A PUT replaces an object whole, atomically, as the store requires (a retried tile replaces its
// own); objects over multipartThreshold go up as a multipart upload, which S3 also makes visible
// only once complete. Configured as GDAL's /vsis3/ is (store-s3-config.ts). Browser-safe.
import { AwsClient } from 'aws4fetch';
import { joinKey, type ObjectStore } from './store.js';
import type { S3Config } from './store-s3-config.js';

// S3 allows at most 10,000 parts, each at least 5 MiB but the last
const MAX_PARTS = 10_000;
const MIN_PART = 5 * 1024 * 1024;

/** RFC 3986 encoding of one key segment (S3's canonical form: only unreserved characters stay). */
function encodeSegment(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function xmlText(xml: string, tag: string): string | undefined {
  const m = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
  return m?.[1];
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.byteLength; }
  return out;
}

// fetch's BodyInit, from bytes (TS types ArrayBufferLike-backed views too narrowly)
function body(bytes: Uint8Array): BodyInit {
  return bytes as unknown as BodyInit;
}

export class S3Store implements ObjectStore {
  readonly root: string;
  private readonly client: AwsClient | null;
  private readonly base: string;
  private readonly fetcher: typeof fetch;

  constructor(readonly bucket: string, readonly prefix: string, private readonly config: S3Config) {
    this.root = `s3://${bucket}${prefix ? `/${prefix}` : ''}`;
    const scheme = config.https ? 'https' : 'http';
    // virtual hosting puts the bucket in the host name, which a name with dots cannot be (TLS), as GDAL does
    this.base = config.virtualHosting && !bucket.includes('.') ? `${scheme}://${bucket}.${config.endpoint}` : `${scheme}://${config.endpoint}/${bucket}`;
    this.fetcher = config.fetch ?? fetch;
    this.client = config.credentials
      ? new AwsClient({ ...config.credentials, service: 's3', region: config.region, retries: config.retries ?? 5 })
      : null;
  }

  private fullKey(key: string): string {
    return joinKey(this.prefix, key);
  }

  private url(key: string, query = ''): string {
    return `${this.base}/${this.fullKey(key).split('/').map(encodeSegment).join('/')}${query}`;
  }

  private async request(method: string, key: string, init: { query?: string; body?: Uint8Array; headers?: Record<string, string> } = {}): Promise<Response> {
    const url = this.url(key, init.query);
    const opts: RequestInit = { method, headers: init.headers, ...(init.body ? { body: body(init.body) } : {}) };
    try {
      return this.client ? await this.client.fetch(url, opts) : await this.fetcher(url, opts);
    } catch (e) {
      throw new Error(`S3 ${method} ${this.displayName(key)}: ${(e as Error).message} (endpoint ${this.config.endpoint}, ${this.config.https ? 'https' : 'http'})`);
    }
  }

  private async fail(method: string, key: string, r: Response): Promise<never> {
    const text = await r.text().catch(() => '');
    const code = xmlText(text, 'Code'), message = xmlText(text, 'Message');
    throw new Error(`S3 ${method} ${this.displayName(key)}: HTTP ${r.status}${code ? ` ${code}` : ''}${message ? `: ${message}` : ''}`);
  }

  async put(key: string, parts: readonly Uint8Array[]): Promise<void> {
    const size = parts.reduce((n, p) => n + p.byteLength, 0);
    if (size > (this.config.multipartThreshold ?? 64 * 1024 * 1024)) return this.putMultipart(key, concat(parts));
    const r = await this.request('PUT', key, { body: concat(parts) });
    if (!r.ok) await this.fail('PUT', key, r);
    await r.arrayBuffer();
  }

  // initiate, upload the parts, complete; aborted on failure so no parts are left billed
  private async putMultipart(key: string, bytes: Uint8Array): Promise<void> {
    const partSize = Math.max(this.config.partSize ?? 16 * 1024 * 1024, MIN_PART, Math.ceil(bytes.byteLength / MAX_PARTS));
    const init = await this.request('POST', key, { query: '?uploads' });
    if (!init.ok) await this.fail('POST (multipart upload)', key, init);
    const uploadId = xmlText(await init.text(), 'UploadId');
    if (!uploadId) throw new Error(`S3 POST (multipart upload) ${this.displayName(key)}: no UploadId in the answer`);
    const id = encodeURIComponent(uploadId);
    try {
      const etags: string[] = [];
      for (let at = 0, n = 1; at < bytes.byteLength; at += partSize, n++) {
        const r = await this.request('PUT', key, { query: `?partNumber=${n}&uploadId=${id}`, body: bytes.subarray(at, at + partSize) });
        if (!r.ok) await this.fail(`PUT (part ${n})`, key, r);
        await r.arrayBuffer();
        const etag = r.headers.get('ETag');
        if (!etag) throw new Error(`S3 PUT (part ${n}) ${this.displayName(key)}: no ETag in the answer`);
        etags.push(etag);
      }
      const xml = `<CompleteMultipartUpload>${etags.map((e, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${e.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</ETag></Part>`).join('')}</CompleteMultipartUpload>`;
      const done = await this.request('POST', key, { query: `?uploadId=${id}`, body: new TextEncoder().encode(xml), headers: { 'Content-Type': 'application/xml' } });
      // S3 may answer 200 with an <Error> body when the completion fails late
      const text = done.ok ? await done.text() : '';
      if (!done.ok) await this.fail('POST (complete multipart upload)', key, done);
      if (text.includes('<Error>')) throw new Error(`S3 POST (complete multipart upload) ${this.displayName(key)}: ${xmlText(text, 'Code') ?? 'error'}: ${xmlText(text, 'Message') ?? ''}`);
    } catch (e) {
      await this.request('DELETE', key, { query: `?uploadId=${id}` }).then((r) => r.arrayBuffer()).catch(() => undefined);
      throw e;
    }
  }

  async get(key: string): Promise<Uint8Array> {
    const r = await this.request('GET', key);
    if (r.status === 404) {
      await r.arrayBuffer().catch(() => undefined);
      throw new Error(`cannot read ${this.displayName(key)}: no such object`);
    }
    if (!r.ok) await this.fail('GET', key, r);
    return new Uint8Array(await r.arrayBuffer());
  }

  async has(key: string): Promise<boolean> {
    const r = await this.request('HEAD', key);
    await r.arrayBuffer().catch(() => undefined);
    if (r.status === 404) return false;
    if (!r.ok) throw new Error(`S3 HEAD ${this.displayName(key)}: HTTP ${r.status}`);
    return true;
  }

  gdalName(key: string): string {
    return `/vsis3/${this.bucket}/${this.fullKey(key)}`;
  }

  displayName(key: string): string {
    return key === '' ? this.root : `s3://${this.bucket}/${this.fullKey(key)}`;
  }

  async prepare(): Promise<void> { /* a bucket has no folders to make */ }

  // a PUT is all or nothing: a killed writer leaves nothing behind (an unfinished multipart upload
  // is not an object; a bucket lifecycle rule removes such uploads)
  async removeStaleTemps(): Promise<number> {
    return 0;
  }
}
