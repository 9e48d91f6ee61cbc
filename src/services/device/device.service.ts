import type { Kysely } from 'kysely';
import type {
  CreateDeviceInput,
  DeviceKind,
  DeviceQuery,
  DeviceView,
  DeviceWithToken,
  UpdateDeviceInput,
} from '../../contracts/device.schema.ts';
import type { Clock, IdSource } from '../../domain/shared/clock.ts';
import { DomainError } from '../../domain/shared/domain-error.ts';
import type { Urgency } from '../../domain/sla/time-limit.ts';
import { findCategory, type CatalogueVersion } from '../../domain/taxonomy/catalogue.ts';
import type { PageRequest } from '../../db/executor.ts';
import { deviceRepository, type DeviceListRow } from '../../db/repositories/device.repository.ts';
import type { DB } from '../../db/schema.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { badField } from '../case/case-create.ts';
import type { Actor } from '../identity/principal.ts';
import { assertRegionInScope, regionScopeFilter, requirePermission } from '../scope/scope-guard.ts';
import type { LocatePoint, LocateService } from '../spatial/locate.service.ts';
import type { CategoryService } from '../taxonomy/category.service.ts';
import { issueDeviceToken } from './device-token.ts';

function toView(r: DeviceListRow, catalogue: CatalogueVersion): DeviceView {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    kind: r.kind as DeviceKind,
    regionCode: r.region_code,
    regionName: r.region_name,
    gridCode: r.grid_code,
    lng: r.lng,
    lat: r.lat,
    categoryCode: r.category_code,
    categoryName: findCategory(catalogue, r.category_code)?.nameZh ?? null,
    urgency: r.urgency as Urgency,
    tokenPrefix: r.token_prefix,
    disabled: r.disabled,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    tokenRotatedAt: r.token_rotated_at?.toISOString() ?? null,
    lastSeenAt: r.last_seen_at?.toISOString() ?? null,
  };
}

/**
 * Sensors (感知设备) registered by an administrator: each has an install point inside the jurisdiction, a default
 * category and urgency for its alarms, and a token that is shown once (on create and on rotation).
 */
export function createDeviceService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  ids: IdSource;
  audit: AuditService;
  locate: LocateService;
  categories: CategoryService;
}) {
  const { db, clock, ids, audit, locate, categories } = deps;
  const scopeOf = (actor: Actor) => regionScopeFilter(actor.principal, 'device.region_code');

  async function get(actor: Actor, id: string): Promise<DeviceView> {
    requirePermission(actor.principal, 'device.manage');
    const { rows } = await deviceRepository.list(db, { id, scope: scopeOf(actor) }, { page: 1, pageSize: 1 });
    const row = rows[0];
    if (!row) throw new DomainError('resource.not_found', 'device not found', { id });
    return toView(row, await categories.current());
  }

  async function assertCategory(code: string): Promise<void> {
    const c = findCategory(await categories.current(), code);
    if (!c || !c.active) throw badField('body.categoryCode', 'not_found', 'category.not_found', { code });
  }

  /** The install point, located: it must lie inside the jurisdiction and the caller's scope. */
  async function place(actor: Actor, point: LocatePoint) {
    const [loc] = await locate.locateMany([point]);
    const regionCode = loc?.community?.code ?? loc?.street?.code ?? loc?.district?.code;
    if (!loc || !loc.inside || !regionCode) {
      throw badField('body.location', 'outside_jurisdiction', 'case.location_outside', {
        nearest: loc?.nearest ?? null,
      });
    }
    assertRegionInScope(actor.principal, regionCode);
    return {
      region_code: regionCode,
      grid_code: loc.grid?.code ?? null,
      lng: loc.point[0],
      lat: loc.point[1],
    };
  }

  return {
    get,

    async list(actor: Actor, filter: Omit<DeviceQuery, 'page' | 'pageSize'>, page: PageRequest) {
      requirePermission(actor.principal, 'device.manage');
      const { rows, total } = await deviceRepository.list(db, { ...filter, scope: scopeOf(actor) }, page);
      const catalogue = await categories.current();
      return { items: rows.map((r) => toView(r, catalogue)), total, ...page };
    },

    async create(actor: Actor, input: CreateDeviceInput): Promise<DeviceWithToken> {
      requirePermission(actor.principal, 'device.manage');
      await assertCategory(input.categoryCode);
      const at = await place(actor, input.location);
      const id = ids.uuid();
      const issued = issueDeviceToken(ids);
      await db.transaction().execute(async (trx) => {
        if (await deviceRepository.findByCode(trx, input.code)) {
          throw new DomainError('resource.conflict', 'device code exists', { code: input.code }, [
            { field: 'body.code', reason: 'duplicate', message: 'device.duplicate_code' },
          ]);
        }
        const now = clock.now();
        await deviceRepository.insert(trx, {
          id,
          code: input.code,
          name: input.name,
          kind: input.kind,
          ...at,
          category_code: input.categoryCode,
          urgency: input.urgency,
          token_hash: issued.hash,
          token_prefix: issued.prefix,
          created_at: now,
          updated_at: now,
        });
        await audit.record(trx, actor, {
          action: 'device.create',
          targetType: 'device',
          targetId: id,
          details: { code: input.code, name: input.name, kind: input.kind, regionCode: at.region_code },
        });
      });
      return { ...(await get(actor, id)), token: issued.token };
    },

    async update(actor: Actor, id: string, patch: UpdateDeviceInput): Promise<DeviceView> {
      requirePermission(actor.principal, 'device.manage');
      await get(actor, id);
      if (patch.categoryCode !== undefined) await assertCategory(patch.categoryCode);
      const at = patch.location ? await place(actor, patch.location) : {};
      await db.transaction().execute(async (trx) => {
        await deviceRepository.update(trx, id, {
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          ...(patch.categoryCode !== undefined ? { category_code: patch.categoryCode } : {}),
          ...(patch.urgency !== undefined ? { urgency: patch.urgency } : {}),
          ...(patch.disabled !== undefined ? { disabled: patch.disabled } : {}),
          ...at,
          updated_at: clock.now(),
        });
        await audit.record(trx, actor, {
          action: 'device.update',
          targetType: 'device',
          targetId: id,
          details: { changes: patch },
        });
      });
      return get(actor, id);
    },

    /** A new token; the old one stops working at once. */
    async rotateToken(actor: Actor, id: string): Promise<DeviceWithToken> {
      requirePermission(actor.principal, 'device.manage');
      await get(actor, id);
      const issued = issueDeviceToken(ids);
      await db.transaction().execute(async (trx) => {
        const now = clock.now();
        await deviceRepository.update(trx, id, {
          token_hash: issued.hash,
          token_prefix: issued.prefix,
          token_rotated_at: now,
          updated_at: now,
        });
        await audit.record(trx, actor, {
          action: 'device.rotate_token',
          targetType: 'device',
          targetId: id,
          details: { tokenPrefix: issued.prefix },
        });
      });
      return { ...(await get(actor, id)), token: issued.token };
    },
  };
}

export type DeviceService = ReturnType<typeof createDeviceService>;
