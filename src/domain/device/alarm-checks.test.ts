import { describe, expect, it } from 'vitest';
import { alarmIssues, defaultAlarmLimits } from './alarm-checks.ts';

const device = { lng: 116.4, lat: 39.9, createdAt: new Date('2026-11-01T00:00:00Z') };
const now = new Date('2026-11-22T02:00:00Z');
const reasons = (alarm: Parameters<typeof alarmIssues>[1]) =>
  alarmIssues(device, alarm, now, defaultAlarmLimits).map((i) => `${i.field}:${i.reason}`);

describe('alarm checks', () => {
  it('accepts an alarm at the device point, or within 50 m, observed between registration and now + 300 s', () => {
    expect(reasons({ observedAt: now })).toEqual([]);
    expect(reasons({ observedAt: now, location: { lng: 116.4, lat: 39.9004 } })).toEqual([]); // ≈ 44 m
    expect(reasons({ observedAt: new Date(now.getTime() + 299_000) })).toEqual([]);
    expect(reasons({ observedAt: new Date(device.createdAt.getTime() - 299_000) })).toEqual([]);
  });

  it('refuses a location beyond the radius, and times in the future or before registration', () => {
    expect(reasons({ observedAt: now, location: { lng: 116.4, lat: 39.9005 } })).toEqual([
      'body.location:too_far',
    ]); // ≈ 56 m
    expect(reasons({ observedAt: new Date(now.getTime() + 86_400_000) })).toEqual([
      'body.observedAt:in_future',
    ]);
    expect(reasons({ observedAt: new Date(device.createdAt.getTime() - 301_000) })).toEqual([
      'body.observedAt:before_registration',
    ]);
  });

  it('compares a GCJ-02 location after converting it to WGS-84', () => {
    // The same spot in GCJ-02 lies a few hundred metres off in raw coordinates.
    expect(reasons({ observedAt: now, location: { lng: 116.406243, lat: 39.901404, crs: 'gcj02' } })).toEqual(
      [],
    );
    expect(reasons({ observedAt: now, location: { lng: 116.40624, lat: 39.9014 } })).toEqual([
      'body.location:too_far',
    ]);
  });
});
