import fastifyHelmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { registerSecurityHeaders } from './security-headers.ts';

const csp = {
  directives: {
    upgradeInsecureRequests: null,
    defaultSrc: ["'self'"],
    imgSrc: ["'self'", 'data:', 'blob:'],
    scriptSrc: ["'self'"],
  },
};

async function headersOf(register: (app: ReturnType<typeof Fastify>) => Promise<void>) {
  const app = Fastify();
  await register(app);
  app.get('/ok', async () => ({ ok: true }));
  app.get('/own', async (_req, reply) =>
    reply.header('content-security-policy', "default-src 'none'").send('x'),
  );
  app.get('/boom', async () => {
    throw new Error('boom');
  });
  const out: Record<string, Record<string, unknown>> = {};
  for (const url of ['/ok', '/own', '/boom', '/missing']) {
    const { date: _date, ...headers } = (await app.inject({ method: 'GET', url })).headers;
    out[url] = headers;
  }
  await app.close();
  return out;
}

describe('security headers computed once', () => {
  for (const [name, options] of [
    ['plain HTTP', { hsts: false, contentSecurityPolicy: csp }],
    [
      'HTTPS',
      {
        hsts: true,
        contentSecurityPolicy: { directives: { ...csp.directives, upgradeInsecureRequests: [] } },
      },
    ],
  ] as [string, FastifyHelmetOptions][]) {
    it(`${name}: every reply (success, own CSP, error, 404) has exactly the headers @fastify/helmet sets`, async () => {
      const ours = await headersOf((app) => registerSecurityHeaders(app, options));
      const theirs = await headersOf(async (app) => {
        await app.register(fastifyHelmet, options);
      });
      expect(ours).toEqual(theirs);
      expect(ours['/ok']!['x-content-type-options']).toBe('nosniff');
      expect(ours['/own']!['content-security-policy']).toBe("default-src 'none'");
      expect(ours['/missing']!['content-security-policy']).toContain("img-src 'self' data: blob:");
      expect('strict-transport-security' in ours['/ok']!).toBe(options.hsts !== false);
    });
  }
});
