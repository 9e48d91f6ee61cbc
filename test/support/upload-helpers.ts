import type { LightMyRequestResponse } from 'fastify';
import { tinyJpeg } from './test-images.ts';
import type { TestApp, TestClient } from './test-app.ts';

/** A multipart/form-data body with one file part (and optional text fields). */
export function multipart(
  bytes: Buffer,
  opts: { field?: string; filename?: string; contentType?: string; fields?: Record<string, string> } = {},
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----zhizhi${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(opts.fields ?? {})) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${opts.field ?? 'file'}"; filename="${
        opts.filename ?? 'photo.jpg'
      }"\r\nContent-Type: ${opts.contentType ?? 'image/jpeg'}\r\n\r\n`,
    ),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** Uploads through the staff endpoint as `client`. */
export function uploadAs(
  client: TestClient,
  bytes: Buffer,
  opts?: Parameters<typeof multipart>[1],
): Promise<LightMyRequestResponse> {
  const m = multipart(bytes, opts);
  return client.request('POST', '/api/v1/attachments', m.payload, m.headers);
}

/** Uploads a photo as `client` and returns its id (fails the test on anything but 201). */
export async function photoOf(client: TestClient, bytes: Buffer = tinyJpeg()): Promise<string> {
  const res = await uploadAs(client, bytes);
  if (res.statusCode !== 201) throw new Error(`upload failed: ${res.statusCode} ${res.body}`);
  return (res.json() as { id: string }).id;
}

/** Uploads through the public endpoint from `ip` (no session). */
export function uploadPublic(
  t: TestApp,
  bytes: Buffer,
  ip = '203.0.113.1',
  opts?: Parameters<typeof multipart>[1],
): Promise<LightMyRequestResponse> {
  const m = multipart(bytes, opts);
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/public/attachments',
    payload: m.payload,
    headers: m.headers,
    remoteAddress: ip,
  });
}
