import { testFieldKey } from '../crypto/field-cipher.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/connect.ts';
import { openTestDatabase } from '../../../test/support/test-database.ts';
import { fixedClock } from '../../domain/shared/clock.ts';
import { isGridCode, levelOfCode } from '../../domain/region/region-code.ts';
import { roles } from '../../domain/identity/role.ts';
import { createServices, type Services } from '../compose.ts';
import { cryptoIds } from '../ids.ts';
import { DEMO_PASSWORD } from './demo.service.ts';

let database: Database;
let services: Services;

beforeAll(async () => {
  database = await openTestDatabase();
  services = createServices({
    fieldKey: testFieldKey(),
    db: database.db,
    clock: fixedClock('2026-11-22T00:00:00Z'),
    ids: cryptoIds,
    mode: 'demo',
    auth: { sessionTtlHours: 12, maxFailures: 5, maxDelayMinutes: 15 },
  });
});
afterAll(() => database.close());

describe('demo district loader', () => {
  it('loads 3–5 streets, about 20 communities, unit grids, 8–12 departments and one account per role', async () => {
    expect(await services.demo.isLoaded()).toBe(false);
    const first = await services.demo.load();
    const regions = await database.db.selectFrom('region').select(['code', 'level']).execute();
    const streets = regions.filter((r) => r.level === 'street').length;
    const communities = regions.filter((r) => r.level === 'community').length;
    expect(streets).toBeGreaterThanOrEqual(3);
    expect(streets).toBeLessThanOrEqual(5);
    expect(communities).toBeGreaterThanOrEqual(18);
    expect(communities).toBeLessThanOrEqual(22);
    expect(first.regions).toBe(regions.length);
    expect(first.departments).toBeGreaterThanOrEqual(8);
    expect(first.departments).toBeLessThanOrEqual(12);
    expect(first.accounts).toBe(roles.length);
    for (const r of regions) expect(levelOfCode(r.code)).toBe(r.level);

    const grids = await database.db
      .selectFrom('grid')
      .select(['code', 'community_code', 'area_m2'])
      .execute();
    expect(grids.length).toBe(first.grids);
    expect(grids.length).toBeGreaterThan(500);
    for (const g of grids) {
      expect(isGridCode(g.code)).toBe(true);
      expect(g.code.startsWith(g.community_code)).toBe(true);
    }
    const staffRoles = await database.db.selectFrom('staff').select('role').execute();
    expect(new Set(staffRoles.map((s) => s.role))).toEqual(new Set(roles));
    expect(await services.demo.isLoaded()).toBe(true);
    // Two thematic layers (responsibility zones per street, supervision units per community) and the grid worker's grids.
    expect(first.layerFeatures).toBe(streets + communities);
    const worker = await database.db
      .selectFrom('staff')
      .select(['id', 'scope_region_code'])
      .where('username', '=', 'gridworker')
      .executeTakeFirstOrThrow();
    const assigned = await database.db
      .selectFrom('grid_assignment')
      .select('grid_code')
      .where('staff_id', '=', worker.id)
      .execute();
    expect(assigned.length).toBe(first.assignments);
    expect(assigned.length).toBe(grids.filter((g) => g.community_code === worker.scope_region_code).length);
  });

  it('is idempotent: a second load adds nothing and keeps edits', async () => {
    await database.db
      .updateTable('department')
      .set({ name: '改过的名字' })
      .where('code', '=', 'CGW')
      .execute();
    const second = await services.demo.load();
    expect(second).toEqual({
      regions: 0,
      grids: 0,
      departments: 0,
      accounts: 0,
      layerFeatures: 0,
      assignments: 0,
      cases: 0,
    });
    const cgw = await database.db
      .selectFrom('department')
      .select('name')
      .where('code', '=', 'CGW')
      .executeTakeFirst();
    expect(cgw?.name).toBe('改过的名字');
  });

  it('demo accounts sign in with the demo password', async () => {
    const r = await services.auth.login({
      username: 'gridworker',
      password: DEMO_PASSWORD,
      ip: null,
      userAgent: null,
    });
    expect(r.principal.role).toBe('grid_worker');
    expect(r.principal.scope.regionCode).toMatch(/^\d{12}$/);
    expect(levelOfCode(r.principal.scope.regionCode!)).toBe('community');
  });
});
