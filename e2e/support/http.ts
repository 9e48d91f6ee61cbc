/**
 * A tiny HTTP client for e2e tests: keeps the session cookie and sends the CSRF token on writes, as the web app
 * does. Every call resolves with the status and the parsed body (JSON when the reply is JSON, else text); network
 * failures reject.
 */

export interface Reply<T = unknown> {
  status: number;
  headers: Headers;
  json: T;
  text: string;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  /** Abort after this many milliseconds (default 30 s). */
  timeoutMs?: number;
}

export interface Client {
  readonly baseUrl: string;
  /** The CSRF token from the last login (empty before). */
  readonly csrfToken: string;
  /** The headers that authenticate a write from this client (cookie + CSRF, or the bearer token). */
  authHeaders(): Record<string, string>;
  get<T = unknown>(path: string, opts?: RequestOptions): Promise<Reply<T>>;
  post<T = unknown>(path: string, body?: unknown, opts?: RequestOptions): Promise<Reply<T>>;
  patch<T = unknown>(path: string, body?: unknown, opts?: RequestOptions): Promise<Reply<T>>;
  del<T = unknown>(path: string, opts?: RequestOptions): Promise<Reply<T>>;
}

export const API = '/api/v1';

/** Sends one request; a body is sent as JSON. */
export async function request<T = unknown>(
  method: string,
  url: string,
  body?: unknown,
  opts: RequestOptions = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, {
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
  });
  const text = await res.text();
  let json: unknown = undefined;
  if (text && /json/.test(res.headers.get('content-type') ?? '')) json = JSON.parse(text);
  return { status: res.status, headers: res.headers, json: json as T, text };
}

/** A client with no session, for public endpoints (or one that logs in later with `client.login`). */
export function anonymous(
  baseUrl: string,
): Client & { login(username: string, password: string): Promise<Reply> } {
  const base = baseUrl.replace(/\/$/, '');
  let cookie = '';
  let csrf = '';
  const send = async <T>(method: string, path: string, body?: unknown, opts: RequestOptions = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (cookie) headers.cookie = cookie;
    if (csrf && method !== 'GET' && method !== 'HEAD') headers['x-csrf-token'] = csrf;
    const reply = await request<T>(method, base + path, body, { ...opts, headers });
    const set = reply.headers.getSetCookie?.() ?? [];
    for (const c of set) {
      const [pair] = c.split(';');
      if (pair?.startsWith('zhizhi_session=')) cookie = pair.endsWith('=') ? '' : pair;
    }
    return reply;
  };
  return {
    baseUrl: base,
    get csrfToken() {
      return csrf;
    },
    authHeaders: () => ({ ...(cookie ? { cookie } : {}), ...(csrf ? { 'x-csrf-token': csrf } : {}) }),
    get: (path, opts) => send('GET', path, undefined, opts),
    post: (path, body, opts) => send('POST', path, body ?? {}, opts),
    patch: (path, body, opts) => send('PATCH', path, body ?? {}, opts),
    del: (path, opts) => send('DELETE', path, undefined, opts),
    login: async (username: string, password: string) => {
      const r = await send<{ csrfToken?: string }>('POST', `${API}/auth/login`, { username, password });
      if (r.status === 200 && r.json?.csrfToken) csrf = r.json.csrfToken;
      return r;
    },
  };
}

/** Logs in and returns a client carrying the session; throws (with the reply) when the login is refused. */
export async function login(baseUrl: string, username: string, password: string): Promise<Client> {
  const client = anonymous(baseUrl);
  const r = await client.login(username, password);
  if (r.status !== 200) throw new Error(`login as ${username} failed: ${r.status} ${r.text}`);
  return client;
}

/** A client that authenticates with an API token (`Authorization: Bearer`), as machines do: no cookie, no CSRF. */
export function withToken(baseUrl: string, token: string): Client {
  const base = baseUrl.replace(/\/$/, '');
  const auth = (opts: RequestOptions = {}) => ({
    ...opts,
    headers: { authorization: `Bearer ${token}`, ...opts.headers },
  });
  return {
    baseUrl: base,
    csrfToken: '',
    authHeaders: () => ({ authorization: `Bearer ${token}` }),
    get: (path, opts) => request('GET', base + path, undefined, auth(opts)),
    post: (path, body, opts) => request('POST', base + path, body ?? {}, auth(opts)),
    patch: (path, body, opts) => request('PATCH', base + path, body ?? {}, auth(opts)),
    del: (path, opts) => request('DELETE', base + path, undefined, auth(opts)),
  };
}
