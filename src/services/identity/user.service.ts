import type { Kysely } from 'kysely';
import type { Clock, IdSource } from '../../domain/shared/clock.ts';
import { DomainError } from '../../domain/shared/domain-error.ts';
import type { Role } from '../../domain/identity/role.ts';
import type { PageRequest } from '../../db/executor.ts';
import type { Executor } from '../../db/executor.ts';
import { sessionRepository } from '../../db/repositories/session.repository.ts';
import { staffRepository, type StaffListRow } from '../../db/repositories/staff.repository.ts';
import type { DB } from '../../db/schema.ts';
import type {
  CreateUserInput,
  Me,
  ScopeInput,
  UpdateUserInput,
  UserView,
} from '../../contracts/identity.schema.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { resolveScopeInput } from '../scope/scope-input.ts';
import {
  assertStaffWithin,
  coversDeployment,
  staffScopeFilter,
  requirePermission,
} from '../scope/scope-guard.ts';
import { assertPasswordPolicy, hashPassword, verifyPassword } from './password.ts';
import type { Actor, Principal } from './principal.ts';

/** Only an administrator may be system-wide; every other account needs a region or a department. */
function assertScopeGiven(role: string, regionCode: string | null, departmentId: string | null): void {
  if (role !== 'admin' && !regionCode && !departmentId) {
    throw new DomainError('validation.failed', 'scope required', {}, [
      { field: 'body.scope', reason: 'required', message: 'scope.required' },
    ]);
  }
}

function toView(r: StaffListRow): UserView {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role as Role,
    scope: {
      regionCode: r.scope_region_code,
      regionName: r.region_name,
      departmentId: r.scope_department_id,
      departmentName: r.department_name,
    },
    phone: r.phone,
    disabled: r.disabled,
    lockedUntil: r.locked_until ? r.locked_until.toISOString() : null,
    createdAt: r.created_at.toISOString(),
  };
}

/** Staff accounts: administrators create, edit, disable and reset them, inside their own scope. */
export function createUserService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  ids: IdSource;
  audit: AuditService;
}) {
  const { db, clock, ids, audit } = deps;

  /** Checks that the scope's region and department exist and, for an actor, that the scope lies inside theirs. */
  async function checkScopeTargets(ex: Executor, scope: ScopeInput, actor: Actor | null): Promise<void> {
    const resolved = await resolveScopeInput(ex, scope);
    if (actor) assertStaffWithin(actor.principal, resolved);
  }

  async function loadInScope(actor: Actor, id: string): Promise<StaffListRow> {
    const row = await staffRepository.findListRowById(db, id);
    if (!row) throw new DomainError('resource.not_found', 'user not found', { id });
    assertStaffWithin(actor.principal, {
      regionCode: row.scope_region_code,
      departmentId: row.scope_department_id,
      departmentRegionCode: row.department_region_code,
    });
    return row;
  }

  /** Creates an account without an actor: the CLI's first administrator, and demo data. */
  async function createUnchecked(
    ex: Executor,
    input: CreateUserInput & { mustChangePassword?: boolean },
    actor: Actor | null = null,
  ) {
    assertPasswordPolicy(input.password, 'body.password');
    assertScopeGiven(input.role, input.scope.regionCode ?? null, input.scope.departmentId ?? null);
    // Scope first: an administrator learns nothing about usernames by asking for a scope outside theirs.
    await checkScopeTargets(ex, input.scope, actor);
    if (await staffRepository.findByUsername(ex, input.username)) {
      throw new DomainError('user.duplicate_username', undefined, { username: input.username }, [
        { field: 'body.username', reason: 'duplicate', message: 'user.duplicate_username' },
      ]);
    }
    const now = clock.now();
    const id = ids.uuid();
    await staffRepository.insert(ex, {
      id,
      username: input.username,
      display_name: input.displayName,
      password_hash: await hashPassword(input.password),
      role: input.role,
      scope_region_code: input.scope.regionCode ?? null,
      scope_department_id: input.scope.departmentId ?? null,
      phone: input.phone ?? null,
      must_change_password: input.mustChangePassword ?? false,
      created_at: now,
      updated_at: now,
    });
    return id;
  }

  return {
    createUnchecked,

    /** The signed-in user's own view: identity, role, permissions and the names of their scope. */
    async me(principal: Principal, mustChangePassword?: boolean): Promise<Me> {
      const row = await staffRepository.findListRowById(db, principal.staffId);
      if (!row) throw new DomainError('auth.unauthenticated');
      return {
        id: row.id,
        username: row.username,
        displayName: row.display_name,
        role: principal.role,
        permissions: [...principal.permissions],
        scope: toView(row).scope,
        systemWide: await coversDeployment(db, principal),
        mustChangePassword: mustChangePassword ?? row.must_change_password,
      };
    },

    async create(actor: Actor, input: CreateUserInput): Promise<UserView> {
      requirePermission(actor.principal, 'user.manage');
      assertScopeGiven(input.role, input.scope.regionCode ?? null, input.scope.departmentId ?? null);
      // The scope is checked against the actor's (assertStaffWithin) once its department is known.
      const id = await db.transaction().execute(async (trx) => {
        const newId = await createUnchecked(trx, { ...input, mustChangePassword: true }, actor);
        await audit.record(trx, actor, {
          action: 'user.create',
          targetType: 'staff',
          targetId: newId,
          details: { username: input.username, role: input.role, scope: input.scope },
        });
        return newId;
      });
      return this.get(actor, id);
    },

    async get(actor: Actor, id: string): Promise<UserView> {
      requirePermission(actor.principal, 'user.manage');
      return toView(await loadInScope(actor, id));
    },

    async list(
      actor: Actor,
      filter: { q?: string | undefined; role?: Role | undefined; disabled?: boolean | undefined },
      page: PageRequest,
    ) {
      requirePermission(actor.principal, 'user.manage');
      const scope = staffScopeFilter(actor.principal);
      const { rows, total } = await staffRepository.list(db, { ...filter, scope }, page);
      return { items: rows.map(toView), total, ...page };
    },

    async update(actor: Actor, id: string, patch: UpdateUserInput): Promise<UserView> {
      requirePermission(actor.principal, 'user.manage');
      const row = await loadInScope(actor, id);
      if (
        id === actor.principal.staffId &&
        (patch.disabled === true || (patch.role && patch.role !== row.role))
      ) {
        throw new DomainError('resource.conflict', 'you cannot disable yourself or change your own role');
      }
      // As on creation: only an administrator may be left without a region or department scope.
      const scopeAfter = patch.scope
        ? { regionCode: patch.scope.regionCode ?? null, departmentId: patch.scope.departmentId ?? null }
        : { regionCode: row.scope_region_code, departmentId: row.scope_department_id };
      assertScopeGiven(patch.role ?? row.role, scopeAfter.regionCode, scopeAfter.departmentId);
      await db.transaction().execute(async (trx) => {
        if (patch.scope) await checkScopeTargets(trx, patch.scope, actor);
        await staffRepository.update(trx, id, {
          ...(patch.displayName !== undefined ? { display_name: patch.displayName } : {}),
          ...(patch.role !== undefined ? { role: patch.role } : {}),
          ...(patch.disabled !== undefined ? { disabled: patch.disabled } : {}),
          ...(patch.phone !== undefined ? { phone: patch.phone } : {}),
          ...(patch.scope
            ? {
                scope_region_code: patch.scope.regionCode ?? null,
                scope_department_id: patch.scope.departmentId ?? null,
              }
            : {}),
          updated_at: clock.now(),
        });
        // A disabled account, or one whose rights changed, must sign in again.
        if (patch.disabled || patch.role || patch.scope) await sessionRepository.deleteForStaff(trx, id);
        await audit.record(trx, actor, {
          action:
            patch.disabled === true
              ? 'user.disable'
              : patch.disabled === false
                ? 'user.enable'
                : 'user.update',
          targetType: 'staff',
          targetId: id,
          details: { username: row.username, changes: patch },
        });
      });
      return this.get(actor, id);
    },

    async resetPassword(actor: Actor, id: string): Promise<{ temporaryPassword: string }> {
      requirePermission(actor.principal, 'user.manage');
      const row = await loadInScope(actor, id);
      const temporaryPassword = `Zz${ids.secret(6)}9`;
      const hash = await hashPassword(temporaryPassword);
      await db.transaction().execute(async (trx) => {
        await staffRepository.update(trx, id, {
          password_hash: hash,
          must_change_password: true,
          updated_at: clock.now(),
        });
        // Every session ends (API tokens are left alone: they are revoked on their own page).
        await sessionRepository.deleteForStaff(trx, id);
        await audit.record(trx, actor, {
          action: 'user.reset_password',
          targetType: 'staff',
          targetId: id,
          details: { username: row.username },
        });
      });
      return { temporaryPassword };
    },

    /**
     * Changes the signed-in user's password and ends their other sessions (a thief's session must not outlive the
     * password it was opened with); `sessionHash` is the session that asked, which stays signed in.
     */
    async changeOwnPassword(
      actor: Actor,
      currentPassword: string,
      newPassword: string,
      sessionHash: string | null,
    ): Promise<void> {
      // A machine token acts within narrowed permissions; it must never take over its owner's account.
      if (actor.principal.kind === 'token') {
        throw new DomainError('auth.forbidden', 'API tokens cannot change passwords');
      }
      const row = await staffRepository.findById(db, actor.principal.staffId);
      if (!row || !(await verifyPassword(row.password_hash, currentPassword))) {
        throw new DomainError('auth.invalid_credentials');
      }
      assertPasswordPolicy(newPassword, 'body.newPassword');
      const hash = await hashPassword(newPassword);
      await db.transaction().execute(async (trx) => {
        await staffRepository.update(trx, row.id, {
          password_hash: hash,
          must_change_password: false,
          updated_at: clock.now(),
        });
        await sessionRepository.deleteOthersForStaff(trx, row.id, sessionHash);
        await audit.record(trx, actor, {
          action: 'user.change_password',
          targetType: 'staff',
          targetId: row.id,
        });
      });
    },
  };
}

export type UserService = ReturnType<typeof createUserService>;
