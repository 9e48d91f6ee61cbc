import { Card } from 'antd';
import { useTranslation } from 'react-i18next';
import { isWeekend, markOf, monthGrid, type YearMarks } from './calendar-edit.ts';

const colors = {
  holiday: { background: '#fff1f0', color: '#cf1322', border: '#ffa39e' },
  makeup: { background: '#e6f4ff', color: '#0958d9', border: '#91caff' },
  weekend: { background: '#fafafa', color: '#8c8c8c', border: '#f0f0f0' },
  weekday: { background: '#fff', color: 'inherit', border: '#f0f0f0' },
} as const;

/** One month of the work calendar; a click on a day changes its mark (see `toggleDay`). */
export function CalendarMonth({
  year,
  month,
  marks,
  onToggle,
  readOnly,
}: {
  year: number;
  month: number;
  marks: YearMarks;
  onToggle: (iso: string) => void;
  readOnly?: boolean;
}) {
  const { t } = useTranslation();
  const weekdays = t('calendar.weekdays').split(',');
  return (
    <Card size="small" title={t('calendar.month', { month })} styles={{ body: { padding: 8 } }}>
      <table style={{ width: '100%', borderCollapse: 'separate', borderSpacing: 2, tableLayout: 'fixed' }}>
        <thead>
          <tr>
            {weekdays.map((d) => (
              <th key={d} style={{ fontWeight: 'normal', fontSize: 12, color: '#8c8c8c' }}>
                {d}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {monthGrid(year, month).map((week, w) => (
            <tr key={w}>
              {week.map((iso, d) => {
                if (!iso) return <td key={d} />;
                const mark = markOf(marks, iso);
                const look = colors[mark ?? (isWeekend(iso) ? 'weekend' : 'weekday')];
                const label =
                  mark === 'holiday' ? t('calendar.off') : mark === 'makeup' ? t('calendar.work') : '';
                return (
                  <td key={d} style={{ padding: 0 }}>
                    <button
                      type="button"
                      data-testid={`day-${iso}`}
                      data-mark={mark ?? ''}
                      disabled={readOnly}
                      onClick={() => onToggle(iso)}
                      title={mark ? t(`calendar.marks.${mark}`) : undefined}
                      style={{
                        width: '100%',
                        minHeight: 34,
                        border: `1px solid ${look.border}`,
                        borderRadius: 4,
                        background: look.background,
                        color: look.color,
                        cursor: readOnly ? 'default' : 'pointer',
                        padding: '2px 0',
                        lineHeight: 1.1,
                      }}
                    >
                      <div>{Number(iso.slice(8))}</div>
                      <div style={{ fontSize: 10, minHeight: 11 }}>{label}</div>
                    </button>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}
