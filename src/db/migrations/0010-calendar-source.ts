import { sql, type Kysely } from 'kysely';

/**
 * Work-calendar years remember where their dates come from (the State Council notice an administrator loaded)
 * and who loaded them; the seeded years name their notices. The seeded catalogue's note becomes the Chinese name
 * shown in the version picker.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE calendar_year ADD COLUMN source text NOT NULL DEFAULT '';
    ALTER TABLE calendar_year ADD COLUMN updated_by uuid REFERENCES staff(id);
    UPDATE calendar_year
      SET source = '国务院办公厅关于' || year || '年部分节假日安排的通知'
      WHERE source = '' AND year BETWEEN 2024 AND 2026;
    UPDATE category_version
      SET note = '默认目录（数字城管部件、事件与 12345 热线）'
      WHERE version = 1 AND note = 'default catalogue';
  `.execute(db);
}
