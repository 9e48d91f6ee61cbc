import { sql, type Expression, type Insertable, type SqlBool, type Updateable } from 'kysely';
import { likeContains, offsetOf, type Executor, type PageRequest } from '../executor.ts';
import type { CaseRow, CaseTable } from '../schema.ts';

export interface CaseListRow extends CaseRow {
  category_name: string | null;
  community_name: string | null;
  street_name: string | null;
}

export interface CaseExportRow {
  code: string;
  title: string;
  category_code: string;
  state: string;
  urgency: string;
  channel: string;
  grid_code: string | null;
  address: string | null;
  stage: string | null;
  stage_deadline: Date | null;
  stage_warn_at: Date | null;
  created_at: Date;
  closed_at: Date | null;
  category_name: string | null;
  category_name_en: string | null;
  community_name: string | null;
  street_name: string | null;
}

export interface CaseListFilter {
  scope: Expression<SqlBool>;
  where?: Expression<SqlBool>[];
}

export interface TimelineRow {
  at: Date;
  actor_name: string | null;
  role: string | null;
  event: string;
  from_state: string | null;
  to_state: string;
  comment: string | null;
  payload: unknown;
}

export interface TaskRow {
  department_id: string;
  department_name: string;
  state: string;
  lead: boolean;
}

/** Cases, their timeline (case_event) and department tasks; ledger rows go through ledger.repository.ts. */
export const caseRepository = {
  /** The next 5-digit daily sequence for `day` (YYYYMMDD); the counter row serialises concurrent creates. */
  async nextDailySequence(ex: Executor, day: string): Promise<number> {
    const r = await ex
      .insertInto('case_code_counter')
      .values({ day, last: 1 })
      .onConflict((oc) => oc.column('day').doUpdateSet({ last: sql`case_code_counter.last + 1` }))
      .returning('last')
      .executeTakeFirstOrThrow();
    return r.last;
  },

  async insert(ex: Executor, row: Insertable<CaseTable>): Promise<void> {
    await ex.insertInto('case').values(row).execute();
  },

  findById(ex: Executor, id: string): Promise<CaseRow | undefined> {
    return ex.selectFrom('case').selectAll().where('id', '=', id).executeTakeFirst();
  },

  /** The case a citizen's tracking token (its SHA-256) belongs to. */
  findByTrackingHash(ex: Executor, hash: string): Promise<CaseRow | undefined> {
    return ex.selectFrom('case').selectAll().where('tracking_token_hash', '=', hash).executeTakeFirst();
  },

  findByCode(ex: Executor, code: string): Promise<CaseRow | undefined> {
    return ex.selectFrom('case').selectAll().where('code', '=', code).executeTakeFirst();
  },

  async setTrackingHash(ex: Executor, id: string, hash: string): Promise<void> {
    await ex.updateTable('case').set({ tracking_token_hash: hash }).where('id', '=', id).execute();
  },

  /** Locks the row until the transaction ends: the optimistic version check then cannot race. */
  findForUpdate(ex: Executor, id: string): Promise<CaseRow | undefined> {
    return ex.selectFrom('case').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  },

  /** Updates only when the version still matches; returns whether a row changed. */
  async update(ex: Executor, id: string, version: number, patch: Updateable<CaseTable>): Promise<boolean> {
    const r = await ex
      .updateTable('case')
      .set(patch)
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  async list(
    ex: Executor,
    filter: CaseListFilter,
    page: PageRequest,
  ): Promise<{ rows: CaseListRow[]; total: number }> {
    let q = ex.selectFrom('case').where(filter.scope);
    for (const w of filter.where ?? []) q = q.where(w);
    const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await q
      .leftJoin('category', (j) =>
        j
          .onRef('category.code', '=', 'case.category_code')
          .onRef('category.version', '=', 'case.category_version'),
      )
      .leftJoin('region as community', 'community.code', 'case.community_code')
      .leftJoin('region as street', 'street.code', 'case.street_code')
      .selectAll('case')
      .select([
        'category.name as category_name',
        'community.name as community_name',
        'street.name as street_name',
      ])
      .orderBy('case.created_at', 'desc')
      .orderBy('case.code', 'desc')
      .limit(page.pageSize)
      .offset(offsetOf(page))
      .execute();
    return { rows, total: Number(total.n) };
  },

  /**
   * One chunk of a list export, newest first, continuing after the (created_at, code) of the previous chunk's last
   * row: keyset paging, so cases filed meanwhile neither repeat nor shift rows.
   */
  exportChunk(
    ex: Executor,
    filter: CaseListFilter,
    after: { createdAt: Date; code: string } | null,
    limit: number,
  ): Promise<CaseExportRow[]> {
    let q = ex.selectFrom('case').where(filter.scope);
    for (const w of filter.where ?? []) q = q.where(w);
    if (after) {
      q = q.where(sql<SqlBool>`("case".created_at, "case".code) < (${after.createdAt}, ${after.code})`);
    }
    return q
      .leftJoin('category', (j) =>
        j
          .onRef('category.code', '=', 'case.category_code')
          .onRef('category.version', '=', 'case.category_version'),
      )
      .leftJoin('region as community', 'community.code', 'case.community_code')
      .leftJoin('region as street', 'street.code', 'case.street_code')
      .select([
        'case.code',
        'case.title',
        'case.category_code',
        'case.state',
        'case.urgency',
        'case.channel',
        'case.grid_code',
        'case.address',
        'case.stage',
        'case.stage_deadline',
        'case.stage_warn_at',
        'case.created_at',
        'case.closed_at',
        'category.name as category_name',
        'category.name_en as category_name_en',
        'community.name as community_name',
        'street.name as street_name',
      ])
      .orderBy('case.created_at', 'desc')
      .orderBy('case.code', 'desc')
      .limit(limit)
      .execute();
  },

  async count(ex: Executor, conditions: Expression<SqlBool>[]): Promise<number> {
    let q = ex.selectFrom('case').select((eb) => eb.fn.countAll<number>().as('n'));
    for (const c of conditions) q = q.where(c);
    return Number((await q.executeTakeFirstOrThrow()).n);
  },

  textFilter(text: string): Expression<SqlBool> {
    const like = likeContains(text);
    return sql<SqlBool>`("case".title ILIKE ${like} OR "case".code ILIKE ${like} OR "case".address ILIKE ${like})`;
  },

  async appendEvent(
    ex: Executor,
    e: {
      caseId: string;
      at: Date;
      actorId: string | null;
      actorName: string | null;
      role: string | null;
      event: string;
      fromState: string | null;
      toState: string;
      comment: string | null;
      payload: Record<string, unknown>;
    },
  ): Promise<string> {
    const row = await ex
      .insertInto('case_event')
      .values({
        case_id: e.caseId,
        at: e.at,
        actor_id: e.actorId,
        actor_name: e.actorName,
        role: e.role,
        event: e.event,
        from_state: e.fromState,
        to_state: e.toState,
        comment: e.comment,
        payload: JSON.stringify(e.payload),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return String(row.id);
  },

  timeline(ex: Executor, caseId: string): Promise<TimelineRow[]> {
    return ex
      .selectFrom('case_event')
      .select(['at', 'actor_name', 'role', 'event', 'from_state', 'to_state', 'comment', 'payload'])
      .where('case_id', '=', caseId)
      .orderBy('id')
      .execute();
  },

  tasks(ex: Executor, caseId: string): Promise<TaskRow[]> {
    return ex
      .selectFrom('case_task')
      .innerJoin('department', 'department.id', 'case_task.department_id')
      .select([
        'case_task.department_id',
        'department.name as department_name',
        'case_task.state',
        'case_task.lead',
      ])
      .where('case_task.case_id', '=', caseId)
      .orderBy('case_task.lead', 'desc')
      .orderBy('department.code')
      .execute();
  },

  async upsertTask(
    ex: Executor,
    t: { caseId: string; departmentId: string; state: string; lead: boolean; at: Date },
  ): Promise<void> {
    await ex
      .insertInto('case_task')
      .values({
        case_id: t.caseId,
        department_id: t.departmentId,
        state: t.state,
        lead: t.lead,
        created_at: t.at,
        updated_at: t.at,
      })
      .onConflict((oc) =>
        oc
          .columns(['case_id', 'department_id'])
          .doUpdateSet({ state: t.state, lead: t.lead, updated_at: t.at }),
      )
      .execute();
  },

  /** Sets the state of the case's tasks (of one department, or of all whose state is in `fromStates`). */
  async setTaskState(
    ex: Executor,
    caseId: string,
    state: string,
    at: Date,
    where: { departmentId?: string; fromStates?: readonly string[]; exceptDepartments?: readonly string[] },
  ): Promise<void> {
    let q = ex.updateTable('case_task').set({ state, updated_at: at }).where('case_id', '=', caseId);
    if (where.departmentId) q = q.where('department_id', '=', where.departmentId);
    if (where.fromStates?.length) q = q.where('state', 'in', [...where.fromStates]);
    if (where.exceptDepartments?.length) q = q.where('department_id', 'not in', [...where.exceptDepartments]);
    await q.execute();
  },

  async hasTask(ex: Executor, caseId: string, departmentId: string): Promise<boolean> {
    const r = await ex
      .selectFrom('case_task')
      .select('case_id')
      .where('case_id', '=', caseId)
      .where('department_id', '=', departmentId)
      .where('state', '!=', 'cancelled')
      .executeTakeFirst();
    return r !== undefined;
  },

  /**
   * Cases of one category inside a lng/lat box created in [from, to], not in `excludeStates`: the index-friendly
   * first step of duplicate detection (case_category_point_idx); the caller measures exact distances.
   */
  nearby(
    ex: Executor,
    f: {
      categoryCode: string;
      box: { minLng: number; minLat: number; maxLng: number; maxLat: number };
      from: Date;
      to: Date;
      excludeStates: readonly string[];
      excludeId?: string | undefined;
      scope: Expression<SqlBool>;
      limit: number;
    },
  ): Promise<CaseRow[]> {
    let q = ex
      .selectFrom('case')
      .selectAll()
      .where('category_code', '=', f.categoryCode)
      .where('lat', '>=', f.box.minLat)
      .where('lat', '<=', f.box.maxLat)
      .where('lng', '>=', f.box.minLng)
      .where('lng', '<=', f.box.maxLng)
      .where('created_at', '>=', f.from)
      .where('created_at', '<=', f.to)
      .where('state', 'not in', [...f.excludeStates])
      .where(f.scope);
    if (f.excludeId) q = q.where('id', '!=', f.excludeId);
    return q.orderBy('created_at', 'desc').orderBy('id').limit(f.limit).execute();
  },

  /** Cases merged into `id` (directly). */
  mergedInto(ex: Executor, id: string, scope: Expression<SqlBool>): Promise<CaseRow[]> {
    return ex
      .selectFrom('case')
      .selectAll()
      .where('duplicate_of', '=', id)
      .where('state', '=', 'merged')
      .where(scope)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  },
};
