import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowedEvents, caseEvents, caseStates } from '../../../domain/case/case-workflow.ts';
import { hasPermission, roles, type Role } from '../../../domain/identity/role.ts';
import { createTestApp, type TestApp, type TestClient } from '../../../../test/support/test-app.ts';
import { photoOf } from '../../../../test/support/upload-helpers.ts';
import {
  caseBody,
  departmentId,
  HOME,
  pointIn,
  putInState,
  writes,
} from '../../../../test/support/case-helpers.ts';

/**
 * Acceptance: every (state, event, role) through the HTTP API. Allowed combinations succeed; the others answer
 * 409 `case.invalid_transition` listing the events the role may send, and write nothing. Roles without the
 * `case.act` permission are refused earlier (403 auth.forbidden) and write nothing either.
 */
const usernames: Record<Role, string> = {
  admin: 'admin',
  leader: 'leader',
  shift_lead: 'shiftlead',
  dispatcher: 'dispatcher',
  intake_operator: 'intake',
  grid_worker: 'gridworker',
  handler: 'handler',
  data_steward: 'steward',
  auditor: 'auditor',
};

let t: TestApp;
const clients = {} as Record<Role, TestClient>;
let cgw: string;
let zjw: string;
let location: { lng: number; lat: number };
let duplicateTarget: string;

beforeAll(async () => {
  t = await createTestApp();
  for (const r of roles) clients[r] = await t.login(usernames[r]);
  cgw = await departmentId(t, 'CGW');
  zjw = await departmentId(t, 'ZJW');
  location = await pointIn(t, HOME);
  const res = await clients.intake_operator.request('POST', '/api/v1/cases', caseBody(location));
  expect(res.statusCode).toBe(201);
  duplicateTarget = res.json().id;
}, 60_000);
afterAll(async () => {
  t.services.locate.close();
  await t.close();
});

describe.each(caseStates)('state %s', (state) => {
  it('every role × event: allowed → 200, otherwise 409 listing the allowed events (403 without case.act)', async () => {
    // RX010101 (hotline) needs no verification, so `register` is allowed where the table allows it.
    const created = await clients.intake_operator.request('POST', '/api/v1/cases', caseBody(location));
    const id = created.json().id as string;
    await putInState(t, id, state, cgw);
    const before = await writes(t, id);
    let version = before.version;
    let successes = 0;
    for (const role of roles) {
      const acts = hasPermission(role, 'case.act');
      // Evidence must be a real photo: the role's own upload (then linked to this case on its first success).
      const evidence = acts ? [await photoOf(clients[role])] : [];
      for (const event of acts ? caseEvents : caseEvents.slice(0, 1)) {
        const res = await clients[role].request('POST', `/api/v1/cases/${id}/events`, {
          event,
          expectedVersion: version,
          reason: '理由',
          comment: '备注',
          evidence,
          satisfaction: 'unsatisfied',
          resolved: false,
          duplicateOf: duplicateTarget,
          instruction: '限期办理',
          extension: { amount: 1, unit: 'working_days' },
          departmentIds: event === 'co_dispatch' ? [cgw, zjw] : [cgw],
        });
        const key = `${state} ${role} ${event}`;
        if (!acts) {
          expect(`${key} ${res.statusCode} ${res.json().code}`).toBe(`${key} 403 auth.forbidden`);
          continue;
        }
        const allowed = allowedEvents(state, role);
        if (allowed.includes(event)) {
          expect(`${key} ${res.statusCode}`).toBe(`${key} 200`);
          const body = res.json();
          expect(body.version).toBe(version + 1);
          expect(body.timeline.at(-1).event).toBe(event);
          version = body.version;
          successes++;
          await putInState(t, id, state, cgw);
        } else {
          const problem = res.json();
          expect(`${key} ${res.statusCode} ${problem.code}`).toBe(`${key} 409 case.invalid_transition`);
          expect(problem.details.allowed).toEqual(allowed);
        }
      }
    }
    const after = await writes(t, id);
    expect(after).toEqual({
      version: before.version + successes,
      events: before.events + successes,
      ledger: before.ledger + successes,
    });
  });
});
