import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestClient } from '../../../../test/support/test-app.ts';
import { caseBody, departmentId, HOME, pointIn } from '../../../../test/support/case-helpers.ts';

/**
 * Webhook endpoints have a scope and a personal-data flag; receiver addresses pass the outbound policy. The test
 * receiver listens on 127.0.0.2, the one loopback address the allow-list names (never do that in production), so
 * 127.0.0.1 stays refused; 10.0.0.0/8 stands for an intranet block (nothing is ever sent there).
 */
const STREET = '990102001000';
const OTHER_STREET = '990102002000';

let t: TestApp;
let admin: TestClient;
let streetA: TestClient;
let streetB: TestClient;
let dispatcher: TestClient;
let intake: TestClient;
let server: Server;
let receiver: string;
const received: { path: string; body: string }[] = [];
let epA: string;
let epB: string;
let epGlobal: string;
let cgw: string;

const names = {
  'resolver.example': [{ address: '8.8.8.8', family: 4 }],
  'loopback.example': [{ address: '127.0.0.1', family: 4 }],
  'mixed.example': [
    { address: '8.8.8.8', family: 4 },
    { address: '169.254.169.254', family: 4 },
  ],
} as Record<string, { address: string; family: number }[]>;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(500).end('stack trace of the receiver: secret internals');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.2', r));
  receiver = `http://127.0.0.2:${(server.address() as AddressInfo).port}`;
  t = await createTestApp(
    { OUTBOUND_ALLOW_CIDRS: '10.0.0.0/8, 127.0.0.2/32', LOGIN_RATE_PER_MINUTE: '10000' },
    {
      resolve: async (host) => {
        const found = names[host] ?? (host === 'localhost' ? [{ address: '::1', family: 6 }] : undefined);
        if (!found) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
        return found;
      },
    },
  );
  admin = await t.login('admin');
  for (const [username, regionCode] of [
    ['streeta', STREET],
    ['streetb', OTHER_STREET],
  ] as const) {
    const res = await admin.request('POST', '/api/v1/users', {
      username,
      displayName: `管理员${username}`,
      role: 'admin',
      password: 'Street123456',
      scope: { regionCode },
    });
    expect(res.statusCode, res.body).toBe(201);
  }
  streetA = await t.login('streeta', 'Street123456');
  streetB = await t.login('streetb', 'Street123456');
  dispatcher = await t.login('dispatcher');
  intake = await t.login('intake');
  cgw = await departmentId(t, 'CGW');
  await t.database.db
    .updateTable('staff')
    .set({ phone: '13912345678' })
    .where('username', '=', 'handler')
    .execute();
}, 90_000);

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  t.services.locate.close();
  await t.close();
});

const hook = (path: string, over: object = {}) => ({
  name: path,
  url: `${receiver}${path}`,
  events: ['case.assigned'],
  ...over,
});

describe('webhook scope', () => {
  it('a new endpoint gets its creator’s scope; a scoped administrator cannot give a wider one', async () => {
    const a = await streetA.request('POST', '/api/v1/webhooks', hook('/a'));
    const b = await streetB.request('POST', '/api/v1/webhooks', hook('/b'));
    epA = a.json().id;
    epB = b.json().id;
    expect(a.statusCode, a.body).toBe(201);
    expect(b.statusCode, b.body).toBe(201);
    // An endpoint registered before scopes existed: global (migration 0015).
    epGlobal = randomUUID();
    await t.database.db
      .insertInto('webhook_endpoint')
      .values({
        id: epGlobal,
        name: 'old gateway',
        url: `${receiver}/global`,
        secret: t.services.cipher.encrypt('whsec_old')!,
        events: ['case.assigned'],
        active: true,
        scope_region_code: null,
        scope_department_id: null,
        personal_data: false,
        created_at: t.clock.now(),
        updated_at: t.clock.now(),
      })
      .execute();
    expect(a.json()).toMatchObject({
      scope: { regionCode: STREET, departmentId: null },
      personalData: false,
    });

    for (const scope of [{ regionCode: OTHER_STREET }, {}, { departmentId: cgw }]) {
      const res = await streetA.request('POST', '/api/v1/webhooks', hook('/wide', { scope }));
      expect(res.statusCode, JSON.stringify(scope)).toBe(403);
      expect(res.json().code).toBe('auth.out_of_scope');
    }
    // The demo's district administrator holds the whole deployment: a whole-deployment endpoint is theirs to make.
    const global = await admin.request('POST', '/api/v1/webhooks', hook('/g', { scope: {}, active: false }));
    expect(global.statusCode, global.body).toBe(201);
    expect(global.json().scope).toMatchObject({ regionCode: null, departmentId: null });
    expect((await admin.request('DELETE', `/api/v1/webhooks/${global.json().id}`)).statusCode).toBe(204);
    const moved = await streetA.request('PATCH', `/api/v1/webhooks/${epA}`, {
      scope: { regionCode: OTHER_STREET },
    });
    expect(moved.statusCode).toBe(403);
  });

  it('street administrator A cannot see, change, rotate, test, read deliveries of or delete B’s or a global endpoint', async () => {
    const list = await streetA.request('GET', '/api/v1/webhooks?pageSize=100');
    expect(list.json().items.map((w: { id: string }) => w.id)).toEqual([epA]);
    expect(list.json().total).toBe(1);
    const district = await admin.request('GET', '/api/v1/webhooks?pageSize=100');
    expect(
      district
        .json()
        .items.map((w: { id: string }) => w.id)
        .sort(),
    ).toEqual([epA, epB, epGlobal].sort()); // an administrator of the whole deployment sees every endpoint

    for (const id of [epB, epGlobal]) {
      const calls: [string, string, object?][] = [
        ['GET', `/api/v1/webhooks/${id}`],
        ['PATCH', `/api/v1/webhooks/${id}`, { url: `${receiver}/stolen` }],
        ['PATCH', `/api/v1/webhooks/${id}`, { active: false }],
        ['POST', `/api/v1/webhooks/${id}/rotate-secret`],
        ['GET', `/api/v1/webhooks/${id}/deliveries`],
        ['POST', `/api/v1/webhooks/${id}/test`],
        ['DELETE', `/api/v1/webhooks/${id}`],
      ];
      for (const [method, url, body] of calls) {
        const res = await streetA.request(method, url, body);
        expect(res.statusCode, `${method} ${url}`).toBe(404);
      }
    }
    const b = await t.database.db
      .selectFrom('webhook_endpoint')
      .select(['url', 'active', 'secret'])
      .where('id', '=', epB)
      .executeTakeFirstOrThrow();
    expect(b.url).toBe(`${receiver}/b`);
    expect(b.active).toBe(true);
    expect(await t.database.db.selectFrom('webhook_delivery').selectAll().execute()).toHaveLength(0);
  });

  it('personal data: only an administrator of the whole deployment turns it on, and it is audited', async () => {
    const own = await streetA.request('POST', '/api/v1/webhooks', hook('/p', { personalData: true }));
    expect(own.statusCode).toBe(403);
    expect(own.json().code).toBe('auth.forbidden');
    expect(
      (await streetA.request('PATCH', `/api/v1/webhooks/${epA}`, { personalData: true })).statusCode,
    ).toBe(403);
    const dep = await admin.request(
      'POST',
      '/api/v1/webhooks',
      hook('/cgw', { scope: { departmentId: cgw }, personalData: true }),
    );
    expect(dep.statusCode, dep.body).toBe(201);
    expect(dep.json()).toMatchObject({ scope: { departmentId: cgw, regionCode: null }, personalData: true });
    const on = await admin.request('PATCH', `/api/v1/webhooks/${epA}`, { personalData: true });
    expect(on.json().personalData).toBe(true);
    // Street A may rename its endpoint, but not re-point one that receives personal data.
    expect((await streetA.request('PATCH', `/api/v1/webhooks/${epA}`, { name: 'A 网关' })).statusCode).toBe(
      200,
    );
    const repoint = await streetA.request('PATCH', `/api/v1/webhooks/${epA}`, {
      url: `${receiver}/elsewhere`,
    });
    expect(repoint.statusCode).toBe(403);
    expect(
      (await admin.request('PATCH', `/api/v1/webhooks/${epA}`, { personalData: false })).statusCode,
    ).toBe(200);
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'target_id', 'details'])
      .where('action', 'in', ['webhook.create', 'webhook.update'])
      .orderBy('id')
      .execute();
    const flags = audit
      .filter((r) => (r.details as { personalData?: boolean }).personalData !== undefined)
      .map((r) => [r.action, r.target_id, (r.details as { personalData: boolean }).personalData]);
    expect(flags).toEqual(
      expect.arrayContaining([
        ['webhook.create', dep.json().id, true],
        ['webhook.update', epA, true],
        ['webhook.update', epA, false],
      ]),
    );
  });

  it('an event reaches only endpoints whose scope holds the case; personal data is masked unless allowed', async () => {
    const home = await pointIn(t, HOME);
    const created = await intake.request('POST', '/api/v1/cases', caseBody(home));
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    const community = await t.database.db
      .selectFrom('region')
      .select('code')
      .where('parent_code', '=', OTHER_STREET)
      .orderBy('code')
      .executeTakeFirstOrThrow();
    await t.database.db
      .updateTable('case')
      .set({ state: 'filed', stage: 'dispatch', region_code: community.code })
      .where('id', '=', id)
      .execute();
    const res = await dispatcher.request('POST', `/api/v1/cases/${id}/events`, {
      event: 'dispatch',
      expectedVersion: 1,
      departmentIds: [cgw],
    });
    expect(res.statusCode, res.body).toBe(200);
    const rows = await t.database.db
      .selectFrom('webhook_delivery')
      .innerJoin('webhook_endpoint', 'webhook_endpoint.id', 'webhook_delivery.endpoint_id')
      .select('webhook_endpoint.name')
      .where('webhook_delivery.event', '=', 'case.assigned')
      .execute();
    // Street B's endpoint, the CGW department's and the global one; not street A's.
    expect(rows.map((r) => r.name).sort()).toEqual(['/b', '/cgw', 'old gateway']);

    received.length = 0;
    await t.services.webhookWorker.runOnce();
    const byPath = new Map(received.map((r) => [r.path, JSON.parse(r.body).data]));
    expect(byPath.get('/b').recipients).toEqual([
      expect.objectContaining({ name: '赵*', phone: '139****5678' }),
    ]);
    expect(byPath.get('/global').recipients[0].phone).toBe('139****5678');
    expect(byPath.get('/cgw').recipients).toEqual([
      expect.objectContaining({ name: '赵磊', phone: '13912345678' }),
    ]);
    // The receivers answered 500 with a body: the log keeps the status and a fixed reason only.
    const log = await admin.request('GET', `/api/v1/webhooks/${epB}/deliveries`);
    expect(log.json().items).toMatchObject([{ lastStatus: 500, lastError: 'http_status' }]);
    expect(log.body).not.toContain('secret internals');
  });
});

describe('receiver addresses', () => {
  it('refuses loopback, unspecified, link-local, metadata and unlisted private targets, naming body.url', async () => {
    for (const url of [
      'http://127.0.0.1/',
      'http://[::1]/',
      'http://169.254.169.254/latest/meta-data/',
      'http://0.0.0.0/',
      'http://localhost/',
      'http://[::ffff:127.0.0.1]/',
      'http://192.168.1.10/',
      'http://loopback.example/',
      'http://mixed.example/',
    ]) {
      const res = await admin.request('POST', '/api/v1/webhooks', hook('/x', { url }), {
        'accept-language': 'en',
      });
      expect(res.statusCode, url).toBe(400);
      // IPv6 literals do not pass the URL format (host names and IPv4 only); the policy refuses the rest.
      const reason = url.includes('[') ? 'invalid_format' : 'address_refused';
      expect(res.json().issues, url).toEqual([expect.objectContaining({ field: 'body.url', reason })]);
    }
    const en = await admin.request('POST', '/api/v1/webhooks', hook('/x', { url: 'http://127.0.0.1/' }), {
      'accept-language': 'en',
    });
    expect(en.json().issues[0].message).toBe('webhooks may not be sent to a loopback address');
    const zh = await admin.request('POST', '/api/v1/webhooks', hook('/x', { url: 'http://192.168.1.10/' }));
    expect(zh.json().issues[0].message).toBe('内网地址须由运维在 OUTBOUND_ALLOW_CIDRS 中放行后才能使用');
    const unknown = await admin.request(
      'POST',
      '/api/v1/webhooks',
      hook('/x', { url: 'http://nowhere.example/' }),
    );
    expect(unknown.json().issues).toEqual([
      expect.objectContaining({ field: 'body.url', reason: 'unresolvable' }),
    ]);
    const patch = await admin.request('PATCH', `/api/v1/webhooks/${epA}`, { url: 'http://127.0.0.1:8080/' });
    expect(patch.statusCode).toBe(400);
  });

  it('allows a private target inside OUTBOUND_ALLOW_CIDRS, and a public name', async () => {
    for (const url of ['http://10.0.0.1/hook', 'https://resolver.example/hook']) {
      const res = await admin.request('POST', '/api/v1/webhooks', hook('/y', { url, active: false }));
      expect(res.statusCode, url).toBe(201);
      expect((await admin.request('DELETE', `/api/v1/webhooks/${res.json().id}`)).statusCode).toBe(204);
    }
  });
});
