import type { TestApp, TestClient } from './test-app.ts';

export interface CreatedDevice {
  id: string;
  code: string;
  token: string;
  tokenPrefix: string;
  lng: number;
  lat: number;
  gridCode: string | null;
  regionCode: string;
  disabled: boolean;
}

let serial = 0;

/** A device body with a fresh code (the tests of one file share a database). */
export function deviceBody(location: { lng: number; lat: number }, over: Record<string, unknown> = {}) {
  serial += 1;
  return {
    code: `T-${String(serial).padStart(4, '0')}`,
    name: `测试积水传感器 ${serial}`,
    kind: 'waterlogging',
    location,
    categoryCode: 'SJ0406',
    urgency: 'urgent',
    ...over,
  };
}

export async function createDevice(
  admin: TestClient,
  location: { lng: number; lat: number },
  over: Record<string, unknown> = {},
): Promise<CreatedDevice> {
  const res = await admin.request('POST', '/api/v1/devices', deviceBody(location, over));
  if (res.statusCode !== 201) throw new Error(`create device: ${res.statusCode} ${res.body}`);
  return res.json() as CreatedDevice;
}

/** Sends an alarm as the device does: `Authorization: Device <token>`, no cookie. */
export function sendAlarm(
  t: TestApp,
  token: string | null,
  body: object,
  headers: Record<string, string> = {},
) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/sensor/alarms',
    headers: { ...(token !== null ? { authorization: `Device ${token}` } : {}), ...headers },
    payload: body,
  });
}

export function alarmBody(t: TestApp, alarmId: string, over: Record<string, unknown> = {}) {
  return {
    alarmId,
    observedAt: new Date(t.clock.now().getTime() - 60_000).toISOString(),
    description: '积水深度超过阈值',
    readings: { depth_cm: 32, battery: 0.81 },
    ...over,
  };
}
