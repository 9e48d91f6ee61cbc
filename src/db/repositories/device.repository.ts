import type { Expression, Insertable, SqlBool, Updateable } from 'kysely';
import { likeContains, offsetOf, type Executor, type PageRequest } from '../executor.ts';
import type { DeviceRow, DeviceTable } from '../schema.ts';

export interface DeviceListRow extends DeviceRow {
  region_name: string | null;
}

export interface DeviceFilter {
  q?: string | undefined;
  kind?: string | undefined;
  /** A region code or prefix: devices in that subtree. */
  regionCode?: string | undefined;
  disabled?: boolean | undefined;
  id?: string;
  scope?: Expression<SqlBool>;
}

export const deviceRepository = {
  findById(ex: Executor, id: string): Promise<DeviceRow | undefined> {
    return ex.selectFrom('device').selectAll().where('id', '=', id).executeTakeFirst();
  },

  findByCode(ex: Executor, code: string): Promise<DeviceRow | undefined> {
    return ex.selectFrom('device').selectAll().where('code', '=', code).executeTakeFirst();
  },

  /** Candidates for a presented token: the prefix is not secret, the hash is compared by the caller. */
  findByTokenPrefix(ex: Executor, prefix: string): Promise<DeviceRow[]> {
    return ex.selectFrom('device').selectAll().where('token_prefix', '=', prefix).execute();
  },

  async insert(ex: Executor, row: Insertable<DeviceTable>): Promise<void> {
    await ex.insertInto('device').values(row).execute();
  },

  async update(ex: Executor, id: string, patch: Updateable<DeviceTable>): Promise<void> {
    await ex.updateTable('device').set(patch).where('id', '=', id).execute();
  },

  async touch(ex: Executor, id: string, at: Date): Promise<void> {
    await ex.updateTable('device').set({ last_seen_at: at }).where('id', '=', id).execute();
  },

  async list(
    ex: Executor,
    filter: DeviceFilter,
    page: PageRequest,
  ): Promise<{ rows: DeviceListRow[]; total: number }> {
    let q = ex.selectFrom('device').leftJoin('region', 'region.code', 'device.region_code');
    if (filter.q) {
      const like = likeContains(filter.q);
      q = q.where((eb) => eb.or([eb('device.name', 'ilike', like), eb('device.code', 'ilike', like)]));
    }
    if (filter.kind) q = q.where('device.kind', '=', filter.kind);
    if (filter.regionCode) q = q.where('device.region_code', 'like', `${filter.regionCode}%`);
    if (filter.disabled !== undefined) q = q.where('device.disabled', '=', filter.disabled);
    if (filter.id) q = q.where('device.id', '=', filter.id);
    if (filter.scope) q = q.where(filter.scope);
    const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await q
      .selectAll('device')
      .select('region.name as region_name')
      .orderBy('device.code')
      .limit(page.pageSize)
      .offset(offsetOf(page))
      .execute();
    return { rows, total: Number(total.n) };
  },

  async insertAlarm(
    ex: Executor,
    row: {
      deviceId: string;
      alarmId: string;
      caseId: string;
      observedAt: Date;
      readings: Record<string, unknown>;
      receivedAt: Date;
    },
  ): Promise<void> {
    await ex
      .insertInto('device_alarm')
      .values({
        device_id: row.deviceId,
        alarm_id: row.alarmId,
        case_id: row.caseId,
        observed_at: row.observedAt,
        readings: JSON.stringify(row.readings),
        received_at: row.receivedAt,
      })
      .execute();
  },

  findAlarm(ex: Executor, deviceId: string, alarmId: string) {
    return ex
      .selectFrom('device_alarm')
      .selectAll()
      .where('device_id', '=', deviceId)
      .where('alarm_id', '=', alarmId)
      .executeTakeFirst();
  },
};
