import { InputNumber, Select, Space, Table, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CatalogueItem } from '../../../src/contracts/taxonomy.schema.ts';
import {
  slaStages,
  timeUnits,
  urgencies,
  type SlaStage,
  type TimeLimit,
  type TimeUnit,
  type Urgency,
} from '../../../src/domain/sla/time-limit.ts';
import { inheritedLimit } from './catalogue-edit.ts';

/**
 * The time limits of one category, stage × urgency. A cell with an amount is the category's own limit; an empty
 * cell shows, greyed, what it inherits from its parent or the version default.
 */
export function TimeLimitTable({
  item,
  items,
  defaults,
  value,
  onChange,
  readOnly,
  errors,
}: {
  item: CatalogueItem;
  items: readonly CatalogueItem[];
  defaults: Readonly<Record<string, readonly TimeLimit[]>>;
  value: readonly TimeLimit[];
  onChange: (next: TimeLimit[]) => void;
  readOnly?: boolean;
  /** Indexes of `value` the server refused. */
  errors?: ReadonlySet<number>;
}) {
  const { t } = useTranslation();
  const own = (stage: SlaStage, urgency: Urgency) =>
    value.findIndex((l) => l.stage === stage && l.urgency === urgency);
  const set = (stage: SlaStage, urgency: Urgency, amount: number | null, unit?: TimeUnit) => {
    const i = own(stage, urgency);
    const rest = value.filter((_, j) => j !== i);
    if (amount === null || amount <= 0) return onChange(rest);
    const prev = value[i];
    const inherited = inheritedLimit(items, defaults, item, stage, urgency);
    const next: TimeLimit = {
      stage,
      urgency,
      amount,
      unit: unit ?? prev?.unit ?? inherited?.limit.unit ?? 'working_hours',
    };
    onChange(i >= 0 ? value.map((l, j) => (j === i ? next : l)) : [...value, next]);
  };
  const describe = (l: Pick<TimeLimit, 'amount' | 'unit'>) => `${l.amount} ${t(`case.timeUnit.${l.unit}`)}`;

  return (
    <Table<{ stage: SlaStage }>
      size="small"
      pagination={false}
      rowKey="stage"
      dataSource={slaStages.map((stage) => ({ stage }))}
      scroll={{ x: 'max-content' }}
      data-testid="time-limit-table"
      columns={[
        { title: t('catalogue.stage'), dataIndex: 'stage', render: (s: SlaStage) => t(`case.stage.${s}`) },
        ...urgencies.map((urgency) => ({
          title: t(`case.urgency.${urgency}`),
          key: urgency,
          render: (_: unknown, { stage }: { stage: SlaStage }) => {
            const i = own(stage, urgency);
            const mine = value[i];
            const inherited = inheritedLimit(items, defaults, item, stage, urgency);
            if (readOnly) {
              return mine ? (
                <Typography.Text strong>{describe(mine)}</Typography.Text>
              ) : inherited ? (
                <Typography.Text type="secondary">{describe(inherited.limit)}</Typography.Text>
              ) : null;
            }
            return (
              <Space.Compact size="small">
                <Tooltip
                  title={
                    !mine && inherited
                      ? t('catalogue.inherited', {
                          limit: describe(inherited.limit),
                          from: inherited.from === 'default' ? t('catalogue.versionDefault') : inherited.from,
                        })
                      : undefined
                  }
                >
                  <InputNumber
                    data-testid={`limit-${stage}-${urgency}`}
                    min={0}
                    max={10000}
                    step={0.5}
                    style={{ width: 72 }}
                    status={errors?.has(i) ? 'error' : undefined}
                    value={mine?.amount ?? null}
                    placeholder={inherited ? String(inherited.limit.amount) : ''}
                    onChange={(v) => set(stage, urgency, typeof v === 'number' ? v : null)}
                  />
                </Tooltip>
                <Select<TimeUnit>
                  style={{ width: 104 }}
                  value={mine?.unit ?? inherited?.limit.unit ?? 'working_hours'}
                  disabled={!mine}
                  onChange={(u) => set(stage, urgency, mine?.amount ?? null, u)}
                  options={timeUnits.map((u) => ({ value: u, label: t(`case.timeUnit.${u}`) }))}
                />
              </Space.Compact>
            );
          },
        })),
      ]}
    />
  );
}
