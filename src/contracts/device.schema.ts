import { z } from 'zod';
import { crsNames } from '../domain/geo/crs.ts';
import { urgencies } from '../domain/sla/time-limit.ts';
import { pageQuerySchema, queryBoolean } from './common.schema.ts';

/** Sensor kinds (感知设备类型). */
export const deviceKinds = [
  'manhole_cover',
  'water_level',
  'smoke',
  'waterlogging',
  'garbage_overflow',
] as const;
export type DeviceKind = (typeof deviceKinds)[number];

/**
 * Per kind: the title a case gets when the alarm names none (case data is Chinese, like the catalogue), and the
 * category the device form suggests (from the default catalogue).
 */
export const deviceKindInfo: Record<DeviceKind, { alarmTitle: string; suggestedCategory: string }> = {
  manhole_cover: { alarmTitle: '井盖异常告警', suggestedCategory: 'BJ0101' },
  water_level: { alarmTitle: '水位超限告警', suggestedCategory: 'SJ0406' },
  smoke: { alarmTitle: '烟感火警', suggestedCategory: 'SJ0453' },
  waterlogging: { alarmTitle: '道路积水告警', suggestedCategory: 'SJ0406' },
  garbage_overflow: { alarmTitle: '垃圾满溢告警', suggestedCategory: 'SJ0156' },
};

const locationSchema = z.strictObject({
  lng: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
  crs: z.enum(crsNames).optional(),
});

const categoryCode = z.string().trim().min(1).max(16);

export const deviceSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  kind: z.enum(deviceKinds),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  gridCode: z.string().nullable(),
  lng: z.number(),
  lat: z.number(),
  categoryCode: z.string(),
  categoryName: z.string().nullable(),
  urgency: z.enum(urgencies),
  /** The first characters of the token, to tell tokens apart; the token itself is never shown again. */
  tokenPrefix: z.string(),
  disabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  tokenRotatedAt: z.string().nullable(),
  lastSeenAt: z.string().nullable(),
});
export type DeviceView = z.infer<typeof deviceSchema>;

/** A device with its token: the answer to create and rotate, the only time the token is shown. */
export const deviceWithTokenSchema = deviceSchema.extend({ token: z.string() });
export type DeviceWithToken = z.infer<typeof deviceWithTokenSchema>;

export const deviceQuerySchema = pageQuerySchema.extend({
  q: z.string().trim().max(64).optional(),
  kind: z.enum(deviceKinds).optional(),
  /** A region code or a prefix of one: devices in that subtree. */
  regionCode: z
    .string()
    .regex(/^\d{1,12}$/)
    .optional(),
  disabled: queryBoolean.optional(),
});
export type DeviceQuery = z.infer<typeof deviceQuerySchema>;

export const createDeviceBodySchema = z.strictObject({
  code: z
    .string()
    .trim()
    .regex(/^[A-Z0-9][A-Z0-9_-]{1,31}$/, 'device.code_format'),
  name: z.string().trim().min(1).max(64),
  kind: z.enum(deviceKinds),
  /** The install point; the case of an alarm without a location lies here. */
  location: locationSchema,
  categoryCode,
  urgency: z.enum(urgencies).default('normal'),
});
export type CreateDeviceInput = z.infer<typeof createDeviceBodySchema>;

export const updateDeviceBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(64).optional(),
  location: locationSchema.optional(),
  categoryCode: categoryCode.optional(),
  urgency: z.enum(urgencies).optional(),
  disabled: z.boolean().optional(),
});
export type UpdateDeviceInput = z.infer<typeof updateDeviceBodySchema>;

/** Readings: a small flat object of named values (e.g. {"level_cm": 32, "battery": 0.8}). */
const readingsSchema = z
  .record(
    z.string().regex(/^[\w.-]{1,40}$/, 'device.reading_name'),
    z.union([z.number(), z.string().max(100), z.boolean(), z.null()]),
  )
  .refine((r) => Object.keys(r).length <= 20, 'device.readings_too_many');

export const sensorAlarmBodySchema = z.strictObject({
  /** The device's own id for this event: sending the same alarm again returns the same case. */
  alarmId: z.string().trim().min(1).max(100),
  categoryCode: categoryCode.optional(),
  urgency: z.enum(urgencies).optional(),
  title: z.string().trim().min(1).max(100).optional(),
  description: z.string().trim().max(2000).default(''),
  observedAt: z.iso.datetime({ offset: true }),
  /** Where the alarm happened; the device's install point when absent. */
  location: locationSchema.optional(),
  readings: readingsSchema.optional(),
});
export type SensorAlarmInput = z.infer<typeof sensorAlarmBodySchema>;

export const sensorAlarmResponseSchema = z.object({
  caseId: z.string(),
  code: z.string(),
  state: z.string(),
});
export type SensorAlarmResponse = z.infer<typeof sensorAlarmResponseSchema>;
