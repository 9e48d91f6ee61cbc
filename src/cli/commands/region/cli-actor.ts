import { rolePermissions } from '../../../domain/identity/role.ts';
import type { Actor } from '../../../services/identity/principal.ts';

/**
 * Whoever can run the CLI on the server already holds the database: commands act as a system-wide
 * administrator named `cli`, and the audit trail records them under that name.
 */
export function cliActor(): Actor {
  return {
    principal: {
      kind: 'token',
      staffId: '00000000-0000-4000-8000-000000000000',
      username: 'cli',
      displayName: 'zhizhi CLI',
      role: 'admin',
      permissions: rolePermissions.admin,
      scope: { regionCode: null, departmentId: null },
    },
    ip: null,
  };
}
