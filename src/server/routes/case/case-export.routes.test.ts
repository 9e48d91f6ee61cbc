import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rolePermissions } from '../../../domain/identity/role.ts';
import { isDomainError } from '../../../domain/shared/domain-error.ts';
import { createCaseExportService } from '../../../services/case/case-export.ts';
import { createTestApp, type TestApp, type TestClient } from '../../../../test/support/test-app.ts';
import { HOME } from '../../../../test/support/case-helpers.ts';

let t: TestApp;
let admin: TestClient;
let gridworker: TestClient;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
  gridworker = await t.login('gridworker');
}, 120_000);
afterAll(async () => {
  t.services.locate.close();
  await t.close();
});

const unescape = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

/** The cells of the only worksheet, row by row, keyed by column letter. */
function sheetRows(body: Buffer): Record<string, string>[] {
  const xml = strFromU8(unzipSync(new Uint8Array(body))['xl/worksheets/sheet1.xml']!);
  const rows: Record<string, string>[] = [];
  for (const [, inner] of xml.matchAll(/<row r="\d+">(.*?)<\/row>/g)) {
    const cells: Record<string, string> = {};
    for (const m of inner!.matchAll(
      /<c r="([A-Z]+)\d+"[^>]*>(?:<is><t[^>]*>(.*?)<\/t><\/is>|<v>(.*?)<\/v>)<\/c>/g,
    )) {
      cells[m[1]!] = unescape(m[2] ?? m[3] ?? '');
    }
    rows.push(cells);
  }
  return rows;
}

const total = async (c: TestClient, query = '') =>
  (await c.request('GET', `/api/v1/cases?pageSize=1${query}`)).json().total as number;

describe('GET /api/v1/cases/export', () => {
  it('exports every matching case in scope as .xlsx with Chinese headers and labels', async () => {
    const res = await admin.request('GET', '/api/v1/cases/export?format=xlsx');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="cases-20261122.xlsx"; filename*=UTF-8''%E6%A1%88%E4%BB%B6-20261122.xlsx`,
    );
    const rows = sheetRows(res.rawPayload);
    const all = await total(admin);
    expect(all).toBeGreaterThan(1000); // more than any page
    expect(rows).toHaveLength(all + 1);
    expect(res.headers['x-export-rows']).toBe(String(all));
    expect(Object.values(rows[0]!)).toEqual([
      '编号',
      '标题',
      '类别编码',
      '类别',
      '状态',
      '紧急程度',
      '来源',
      '街道',
      '社区',
      '网格',
      '地址',
      '当前阶段',
      '阶段时限',
      '亮灯',
      '上报时间',
      '结案时间',
    ]);
    const newest = (await admin.request('GET', '/api/v1/cases?pageSize=1')).json().items[0];
    const row = rows.find((r) => r.A === newest.code)!;
    expect(row.B).toBe(newest.title);
    expect(row.C).toBe(newest.categoryCode);
    expect(row.D).toBe(newest.categoryName);
    expect([
      '待受理',
      '待核实',
      '待立案',
      '待派遣',
      '待签收',
      '已回退',
      '处置中',
      '延期待审',
      '挂账待审',
      '已挂账',
      '待核查',
      '返工',
      '待结案',
      '已结案',
      '已回访',
      '已重启',
      '已作废',
      '已合并',
    ]).toContain(row.E);
    expect(['紧急', '急', '一般', '复杂疑难']).toContain(row.F);
    expect(row.I).toBe(newest.communityName);
    expect(row.O).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    // No personal data leaves in an export.
    expect(JSON.stringify(rows)).not.toMatch(/1[3-9]\d{9}/);
  });

  it('applies the list filters and answers CSV with a BOM', async () => {
    const res = await admin.request(
      'GET',
      '/api/v1/cases/export?format=csv&state=closed&regionCode=990102001000',
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toContain('filename="cases-20261122.csv"');
    expect([...res.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = res.rawPayload.toString('utf8').slice(1).trimEnd().split('\r\n');
    expect(lines[0]!.startsWith('编号,标题,类别编码,类别,状态')).toBe(true);
    expect(lines.length - 1).toBe(await total(admin, '&state=closed&regionCode=990102001000'));
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines.slice(1)) expect(line).toContain(',已结案,');

    const urgent = await admin.request('GET', '/api/v1/cases/export?format=csv&urgency=emergency,urgent');
    const urgentLines = urgent.rawPayload.toString('utf8').slice(1).trimEnd().split('\r\n').slice(1);
    expect(urgentLines.length).toBe(await total(admin, '&urgency=emergency,urgent'));
    expect(urgentLines.length).toBeGreaterThan(0);
    for (const line of urgentLines) expect(line).toMatch(/,(紧急|急),/);
  });

  it("is scoped: a grid worker's export holds only their community", async () => {
    const res = await gridworker.request('GET', '/api/v1/cases/export');
    expect(res.statusCode).toBe(200);
    const rows = sheetRows(res.rawPayload).slice(1);
    expect(rows.length).toBe(await total(gridworker));
    expect(rows.length).toBeLessThan(await total(admin));
    const communities = new Set(rows.map((r) => r.I));
    const home = await t.database.db
      .selectFrom('region')
      .select('name')
      .where('code', '=', HOME)
      .executeTakeFirstOrThrow();
    expect([...communities]).toEqual([home.name]);
  });

  it('speaks English when asked, and refuses bad queries naming the field', async () => {
    const res = await admin.request('GET', '/api/v1/cases/export?format=csv&state=reported', undefined, {
      'accept-language': 'en',
    });
    const [header, first] = res.rawPayload.toString('utf8').slice(1).split('\r\n');
    expect(header!.startsWith('Code,Title,Category code,Category,State,Urgency')).toBe(true);
    expect(first).toContain(',Reported,');
    const bad = await admin.request('GET', '/api/v1/cases/export?format=pdf&page=2');
    expect(bad.statusCode).toBe(400);
    const issues = bad.json().issues as { field: string; reason: string }[];
    expect(issues.map((i) => `${i.field}:${i.reason}`).sort()).toEqual([
      'querystring.format:invalid_value',
      'querystring.page:unknown_field',
    ]);
  });

  it('refuses more rows than the cap before reading them, with the count', async () => {
    const service = createCaseExportService({ db: t.database.db, clock: t.clock, maxRows: 10 });
    const staff = await t.database.db
      .selectFrom('staff')
      .select('id')
      .where('username', '=', 'admin')
      .executeTakeFirstOrThrow();
    const actor = {
      ip: null,
      principal: {
        kind: 'session' as const,
        staffId: staff.id,
        username: 'admin',
        displayName: 'admin',
        role: 'admin' as const,
        permissions: rolePermissions.admin,
        scope: { regionCode: null, departmentId: null },
      },
    };
    const err = await service.export(actor, { format: 'xlsx' }, 'zh-CN').catch((e: unknown) => e);
    expect(isDomainError(err) && err.code).toBe('validation.failed');
    expect(isDomainError(err) && err.details).toEqual({ total: await total(admin), max: 10 });
    expect(isDomainError(err) && err.issues[0]).toMatchObject({ field: 'query', reason: 'too_many_rows' });
    const few = await service.export(
      actor,
      { format: 'csv', q: (await admin.request('GET', '/api/v1/cases?pageSize=1')).json().items[0].code },
      'zh-CN',
    );
    expect(few.rows).toBe(1);
  });
});
