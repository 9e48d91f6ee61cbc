import { toWgs84, type Crs } from '../geo/crs.ts';
import { haversineM } from '../geo/distance.ts';
import { DomainError, type FieldIssue } from '../shared/domain-error.ts';

export interface AlarmLimits {
  /** How far (metres) an alarm's own location may lie from the device's registered point. */
  locationRadiusM: number;
  /** How far (seconds) a device's clock may run ahead of the server's, or behind it at registration. */
  clockSkewS: number;
}

export const defaultAlarmLimits: AlarmLimits = { locationRadiusM: 50, clockSkewS: 300 };

/**
 * What a device may claim about an alarm. A device is fixed at its registered (WGS-84) point: an alarm without a
 * location is filed there, one with a location is filed at that point only when it lies within the radius (a
 * sensor reporting the exact spot beside its mast), else refused — a leaked token must not place cases anywhere.
 * The observation time may not lie in the future, nor before the device was registered, beyond the clock skew.
 */
export function alarmIssues(
  device: { lng: number; lat: number; createdAt: Date },
  alarm: { observedAt: Date; location?: { lng: number; lat: number; crs?: Crs | undefined } | undefined },
  now: Date,
  limits: AlarmLimits,
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const skewMs = limits.clockSkewS * 1000;
  const observed = alarm.observedAt.getTime();
  if (observed > now.getTime() + skewMs) {
    issues.push({ field: 'body.observedAt', reason: 'in_future', message: 'device.observed_in_future' });
  } else if (observed < device.createdAt.getTime() - skewMs) {
    issues.push({
      field: 'body.observedAt',
      reason: 'before_registration',
      message: 'device.observed_before_registration',
    });
  }
  if (alarm.location) {
    const { lng, lat, crs } = alarm.location;
    const [wLng, wLat] = toWgs84([lng, lat], crs ?? 'wgs84');
    if (haversineM(wLng, wLat, device.lng, device.lat) > limits.locationRadiusM) {
      issues.push({ field: 'body.location', reason: 'too_far', message: 'device.location_too_far' });
    }
  }
  return issues;
}

/** Refuses an implausible alarm: 400 naming each field (`body.observedAt`, `body.location`). */
export function assertPlausibleAlarm(
  device: Parameters<typeof alarmIssues>[0],
  alarm: Parameters<typeof alarmIssues>[1],
  now: Date,
  limits: AlarmLimits = defaultAlarmLimits,
): void {
  const issues = alarmIssues(device, alarm, now, limits);
  if (issues.length) {
    const details = { radiusM: limits.locationRadiusM, clockSkewS: limits.clockSkewS };
    throw new DomainError('validation.failed', 'implausible alarm', details, issues);
  }
}
