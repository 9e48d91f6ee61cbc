import { Badge, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseState } from '../../../src/domain/case/case-workflow.ts';
import type { Light, Urgency } from '../../../src/domain/sla/time-limit.ts';

const stateColor: Partial<Record<CaseState, string>> = {
  reported: 'blue',
  verifying: 'cyan',
  pending_filing: 'geekblue',
  filed: 'purple',
  dispatched: 'purple',
  returned: 'orange',
  in_progress: 'processing',
  extension_pending: 'gold',
  suspension_pending: 'gold',
  suspended: 'default',
  pending_check: 'cyan',
  rework: 'volcano',
  pending_close: 'geekblue',
  closed: 'green',
  replied: 'green',
  reopened: 'magenta',
  voided: 'default',
  merged: 'default',
};

export function StateTag({ state }: { state: CaseState | string | null }) {
  const { t } = useTranslation();
  if (!state) return <>{t('common.none')}</>;
  return (
    <Tag color={stateColor[state as CaseState] ?? 'default'} style={{ marginInlineEnd: 0 }}>
      {t(`case.state.${state}`, { defaultValue: state })}
    </Tag>
  );
}

const urgencyColor: Record<Urgency, string> = {
  emergency: 'red',
  urgent: 'orange',
  normal: 'default',
  complex: 'purple',
};

export function UrgencyTag({ urgency }: { urgency: Urgency | string }) {
  const { t } = useTranslation();
  return (
    <Tag color={urgencyColor[urgency as Urgency] ?? 'default'} style={{ marginInlineEnd: 0 }}>
      {t(`case.urgency.${urgency}`, { defaultValue: urgency })}
    </Tag>
  );
}

const lightStatus = { green: 'success', yellow: 'warning', red: 'error' } as const;

/** The current time, refreshed every `everyMs` so countdowns move. */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** "2天3小时" / "2d 3h": the larger two units of a duration. */
export function useFormatDuration(): (ms: number) => string {
  const { t } = useTranslation();
  return (ms) => {
    const minutes = Math.max(0, Math.floor(Math.abs(ms) / 60_000));
    const days = Math.floor(minutes / 1440);
    const hours = Math.floor((minutes % 1440) / 60);
    const mins = minutes % 60;
    if (days > 0) return t('case.duration.dh', { d: days, h: hours });
    if (hours > 0) return t('case.duration.hm', { h: hours, m: mins });
    return t('case.duration.m', { m: mins });
  };
}

/** The traffic light of the running stage with the time left (or overdue) until its deadline. */
export function LightBadge({
  light,
  deadline,
  countdown = true,
}: {
  light: Light | null;
  deadline: string | null;
  countdown?: boolean;
}) {
  const { t } = useTranslation();
  const now = useNow();
  const format = useFormatDuration();
  if (!light && !deadline) return <>{t('common.none')}</>;
  const at = deadline ? new Date(deadline).getTime() : NaN;
  const left = Number.isNaN(at) ? null : at - now;
  const text =
    left === null || !countdown
      ? light
        ? t(`case.light.${light}`)
        : ''
      : left >= 0
        ? t('case.timeLeft', { time: format(left) })
        : t('case.overdueBy', { time: format(left) });
  return (
    <Space size={4} wrap={false}>
      <Badge status={light ? lightStatus[light] : 'default'} />
      <Typography.Text type={light === 'red' ? 'danger' : undefined} style={{ whiteSpace: 'nowrap' }}>
        {text}
      </Typography.Text>
    </Space>
  );
}
