import { sql, type Kysely } from 'kysely';

/**
 * Webhook endpoints get a scope and a personal-data flag (docs/webhooks.md: "Scope", "Personal data").
 * - `scope_region_code` / `scope_department_id`, like a staff member's scope: the endpoint receives only events of
 *   cases inside it, and only administrators whose own scope contains it see and manage it. Both null = the whole
 *   deployment (global), which only an administrator of the whole deployment manages (system-wide, or a region
 *   holding every district, street and community).
 * - `personal_data`: whether deliveries carry names and phone numbers in clear; otherwise they are masked
 *   (138****5678, 张*). Only an administrator of the whole deployment may turn it on; every change is audited.
 *
 * Existing endpoints: they were registered before scopes existed and keep receiving every event, so they become
 * global (null scope) — from now on only an administrator of the whole deployment lists and manages them. Their
 * personal-data flag starts OFF: nobody ever decided that those receivers may have reporters' phone numbers, so
 * after the upgrade they get masked values (deliveries already queued too) until an administrator of the whole
 * deployment turns it on for the receivers that need it (an SMS gateway). That is the safe default, and
 * docs/webhooks.md ("Upgrading") says so.
 *
 * The delivery log used to keep up to 200 characters of a failing receiver's answer in `last_error`; it now keeps
 * a short fixed reason only, so those texts are replaced by `http_status` (the status code stays in `last_status`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE webhook_endpoint
      ADD COLUMN scope_region_code   char(12) REFERENCES region(code),
      ADD COLUMN scope_department_id uuid REFERENCES department(id),
      ADD COLUMN personal_data       boolean NOT NULL DEFAULT false;
    UPDATE webhook_delivery SET last_error = 'http_status' WHERE last_error LIKE 'HTTP %';
  `.execute(db);
}
