import type { Kysely } from 'kysely';
import type { CreateCaseInput } from '../../contracts/case.schema.ts';
import {
  deviceKindInfo,
  type DeviceKind,
  type SensorAlarmInput,
  type SensorAlarmResponse,
} from '../../contracts/device.schema.ts';
import { assertPlausibleAlarm, type AlarmLimits } from '../../domain/device/alarm-checks.ts';
import type { Clock } from '../../domain/shared/clock.ts';
import { DomainError } from '../../domain/shared/domain-error.ts';
import type { Urgency } from '../../domain/sla/time-limit.ts';
import { caseRepository } from '../../db/repositories/case.repository.ts';
import { deviceRepository } from '../../db/repositories/device.repository.ts';
import type { DB, DeviceRow } from '../../db/schema.ts';
import type { CaseService } from '../case/case.service.ts';
import type { RateLimiter } from '../shared/rate-limiter.ts';
import { tokenMatches, tokenPrefixOf } from './device-token.ts';

/** 2026-11-22T02:00:00Z → "2026-11-22 10:00:00" (China time, as staff read it). */
function chinaTimeText(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

function readingsText(readings: Record<string, unknown>): string {
  return Object.entries(readings)
    .map(([k, v]) => `${k}=${v === null ? '—' : String(v)}`)
    .join('；')
    .slice(0, 600);
}

/**
 * The case an alarm becomes: the device's defaults fill what the alarm leaves out. The text is a function of the
 * alarm and the device only, so that a retried alarm hashes the same and gets the first answer back.
 */
export function alarmToCase(device: DeviceRow, alarm: SensorAlarmInput): CreateCaseInput {
  const info = deviceKindInfo[device.kind as DeviceKind];
  const lines = [
    alarm.description,
    `设备：${device.name}（${device.code}）`,
    `监测时间：${chinaTimeText(new Date(alarm.observedAt))}`,
    alarm.readings && Object.keys(alarm.readings).length ? `读数：${readingsText(alarm.readings)}` : '',
  ].filter(Boolean);
  return {
    categoryCode: alarm.categoryCode ?? device.category_code,
    urgency: alarm.urgency ?? (device.urgency as Urgency),
    title: (alarm.title ?? `${info?.alarmTitle ?? '设备告警'}（${device.name}）`).slice(0, 100),
    description: lines.join('\n').slice(0, 2000),
    channel: 'sensor',
    location: alarm.location ?? { lng: device.lng, lat: device.lat },
  };
}

/**
 * Alarms from registered sensors (感知设备告警): a device proves itself with its token, is held to a request rate,
 * and each alarm becomes a case through the common intake, once per alarm id.
 */
export function createSensorAlarmService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  cases: CaseService;
  limiter: RateLimiter;
  /** Requests per device per minute (default 60). */
  ratePerMinute?: number | undefined;
  /** How far an alarm's location and time may stray from the device's (defaults: 50 m, 300 s). */
  limits?: AlarmLimits;
}) {
  const { db, clock, cases, limiter } = deps;
  const perDevice = { bucket: 'sensor.device', max: deps.ratePerMinute ?? 60, windowMs: 60_000 };

  return {
    /**
     * The device a token belongs to, or an error: 401 for a token that is unknown, rotated away or of a disabled
     * device; 429 (with `retryAfterSeconds`) when the device sent too many requests this minute (counted in the
     * database by the shared rate limiter, so across server processes).
     */
    async authenticate(token: string | null): Promise<DeviceRow> {
      const prefix = token ? tokenPrefixOf(token) : null;
      const candidates = prefix ? await deviceRepository.findByTokenPrefix(db, prefix) : [];
      const device = candidates.find((d) => tokenMatches(token!, d.token_hash));
      if (!device || device.disabled) throw new DomainError('auth.token_invalid', 'invalid device token');
      await deviceRepository.touch(db, device.id, clock.now());
      await limiter.take(perDevice, device.id);
      return device;
    },

    /** Files the alarm as a case; `created` is false when this alarm id was seen before (same answer again). */
    async receive(
      device: DeviceRow,
      alarm: SensorAlarmInput,
    ): Promise<{ created: boolean; response: SensorAlarmResponse }> {
      const observed = new Date(alarm.observedAt);
      const registered = { lng: device.lng, lat: device.lat, createdAt: device.created_at };
      assertPlausibleAlarm(registered, { ...alarm, observedAt: observed }, clock.now(), deps.limits);
      let created = false;
      const response = await cases.intake(
        {
          staffId: null,
          actorName: `${device.name}（${device.code}）`,
          role: null,
          reporterRole: null,
          idempotencyScope: `device:${device.id}`,
        },
        alarmToCase(device, alarm),
        alarm.alarmId,
        async (trx, caseId): Promise<SensorAlarmResponse> => {
          created = true;
          const row = await caseRepository.findById(trx, caseId);
          if (!row) throw new Error('case vanished after insert');
          await deviceRepository.insertAlarm(trx, {
            deviceId: device.id,
            alarmId: alarm.alarmId,
            caseId,
            observedAt: observed,
            readings: alarm.readings ?? {},
            receivedAt: clock.now(),
          });
          return { caseId, code: row.code, state: row.state };
        },
      );
      return { created, response };
    },
  };
}

export type SensorAlarmService = ReturnType<typeof createSensorAlarmService>;
