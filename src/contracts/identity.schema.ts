import { z } from 'zod';
import { permissions, roles } from '../domain/identity/role.ts';
import { pageQuerySchema, queryBoolean, regionCodeSchema } from './common.schema.ts';

export const roleSchema = z.enum(roles);
export const permissionSchema = z.enum(permissions);

export const scopeViewSchema = z.object({
  regionCode: z.string().nullable(),
  regionName: z.string().nullable(),
  departmentId: z.string().nullable(),
  departmentName: z.string().nullable(),
});

export const meSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
  permissions: z.array(permissionSchema),
  scope: scopeViewSchema,
  /** The scope covers the whole deployment: settings that apply to everybody may be changed. */
  systemWide: z.boolean(),
  mustChangePassword: z.boolean(),
});
export type Me = z.infer<typeof meSchema>;

export const loginBodySchema = z.strictObject({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
});

export const sessionResponseSchema = z.object({ user: meSchema, csrfToken: z.string() });

export const changePasswordBodySchema = z.strictObject({
  currentPassword: z.string().min(1).max(256),
  newPassword: z.string().min(1).max(128),
});

/** A region subtree and/or a department; both absent means system-wide (administrators only). */
export const scopeInputSchema = z.strictObject({
  regionCode: regionCodeSchema.optional(),
  departmentId: z.uuid().optional(),
});
export type ScopeInput = z.infer<typeof scopeInputSchema>;

export const usernameSchema = z
  .string()
  .trim()
  .regex(/^[a-zA-Z0-9_.-]{3,64}$/, 'username.format');

export const createUserBodySchema = z.strictObject({
  username: usernameSchema,
  displayName: z.string().trim().min(1).max(64),
  role: roleSchema,
  password: z.string().min(1).max(128),
  scope: scopeInputSchema,
  phone: z
    .string()
    .regex(/^[0-9+\-\s]{5,20}$/, 'phone.format')
    .optional(),
});
export type CreateUserInput = z.infer<typeof createUserBodySchema>;

export const updateUserBodySchema = z.strictObject({
  displayName: z.string().trim().min(1).max(64).optional(),
  role: roleSchema.optional(),
  scope: scopeInputSchema.optional(),
  disabled: z.boolean().optional(),
  phone: z
    .string()
    .regex(/^[0-9+\-\s]{5,20}$/, 'phone.format')
    .nullable()
    .optional(),
});
export type UpdateUserInput = z.infer<typeof updateUserBodySchema>;

export const userQuerySchema = pageQuerySchema.extend({
  q: z.string().max(64).optional(),
  role: roleSchema.optional(),
  disabled: queryBoolean.optional(),
});

export const userSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
  scope: scopeViewSchema,
  phone: z.string().nullable(),
  disabled: z.boolean(),
  lockedUntil: z.string().nullable(),
  createdAt: z.string(),
});
export type UserView = z.infer<typeof userSchema>;

export const resetPasswordResponseSchema = z.object({ temporaryPassword: z.string() });

export const createTokenBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(64),
  permissions: z.array(permissionSchema).min(1).max(permissions.length),
  expiresInDays: z.number().int().min(1).max(365),
  staffId: z.uuid().optional(),
});
export type CreateTokenInput = z.infer<typeof createTokenBodySchema>;

export const tokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  staffId: z.string(),
  staffName: z.string(),
  permissions: z.array(z.string()),
  expiresAt: z.string(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  createdAt: z.string(),
});
export const createdTokenSchema = tokenSchema.extend({ token: z.string() });

export const auditQuerySchema = pageQuerySchema.extend({
  action: z.string().max(64).optional(),
  actor: z.string().max(64).optional(),
});
export const auditEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  actorName: z.string().nullable(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  ip: z.string().nullable(),
});
