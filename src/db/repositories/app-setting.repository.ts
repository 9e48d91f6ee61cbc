import type { Executor } from '../executor.ts';

export const appSettingRepository = {
  async get<T>(ex: Executor, key: string): Promise<T | undefined> {
    const r = await ex.selectFrom('app_setting').select('value').where('key', '=', key).executeTakeFirst();
    return r?.value as T | undefined;
  },

  async set(ex: Executor, key: string, value: unknown, at: Date): Promise<void> {
    const json = JSON.stringify(value);
    await ex
      .insertInto('app_setting')
      .values({ key, value: json, updated_at: at })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: json, updated_at: at }))
      .execute();
  },
};
