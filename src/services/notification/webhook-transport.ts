import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { CheckedTarget } from '../net/outbound-guard.ts';

/** Short, fixed reasons a delivery attempt failed; never text from the receiver. */
export type SendFailure =
  'timeout' | 'connection_refused' | 'connection_reset' | 'unreachable' | 'tls_error' | 'network_error';

/** Maps a socket or TLS error to one of the fixed reasons (the raw message may quote the peer). */
export function failureOf(err: unknown): SendFailure {
  const e = err as { name?: string; code?: string };
  const code = e.code ?? '';
  if (e.name === 'TimeoutError') return 'timeout';
  if (code === 'ECONNREFUSED') return 'connection_refused';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'connection_reset';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EHOSTDOWN') return 'unreachable';
  if (/TLS|SSL|CERT|SELF_SIGNED|UNABLE_TO_|HOSTNAME_MISMATCH/.test(code)) return 'tls_error';
  return 'network_error';
}

/**
 * POSTs `body` to `url`, connecting only to `target.address` (already checked by the outbound guard): the
 * request's `lookup` answers with that address instead of asking DNS again, so the connection cannot be re-pointed
 * between the check and the connect. TLS still verifies the certificate against the URL's host name. Resolves
 * with the response status; the response body is never read. Rejects on timeout (`TimeoutError`) or a socket error.
 */
export function postPinned(
  url: URL,
  target: CheckedTarget,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<number> {
  const pinned: LookupFunction = (_host, options, cb) => {
    if (options.all) cb(null, [{ address: target.address, family: target.family }]);
    else cb(null, target.address, target.family);
  };
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<number>((resolve, reject) => {
    const req = request({
      protocol: url.protocol,
      hostname: target.host,
      port: url.port || undefined,
      path: `${url.pathname}${url.search}`,
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      lookup: pinned,
      agent: false,
      signal: AbortSignal.timeout(timeoutMs),
    });
    req.on('response', (res: IncomingMessage) => {
      resolve(res.statusCode ?? 0);
      res.destroy();
    });
    req.on('error', (err) => {
      const cause = (err as { cause?: unknown }).cause;
      reject(
        err.name === 'AbortError' && (cause as Error | undefined)?.name === 'TimeoutError' ? cause : err,
      );
    });
    req.end(body);
  });
}
