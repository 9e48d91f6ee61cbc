import { SaveOutlined, UndoOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Col, Flex, Input, Row, Select, Space, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../app/api.ts';
import { useAuth } from '../../app/auth.tsx';
import { useFormatDateTime } from '../../ui/format.ts';
import { ProblemAlert } from '../../ui/problem.tsx';
import { toggleDay, type YearMarks } from './calendar-edit.ts';
import { CalendarMonth } from './CalendarMonth.tsx';
import { taxonomyKeys, useCalendarYear, useCalendarYears, type CalendarYearView } from './taxonomy-api.ts';

const months = Array.from({ length: 12 }, (_, i) => i + 1);

/**
 * 工作日历: one year's statutory days off (法定节假日) and make-up workdays (调休上班) on a month grid. A click marks
 * a day; saving replaces the year, and deadlines computed afterwards follow it.
 */
export default function CalendarPage() {
  const { t } = useTranslation();
  const { can, systemWide } = useAuth();
  const { message } = App.useApp();
  const formatDateTime = useFormatDateTime();
  const queryClient = useQueryClient();
  const years = useCalendarYears();
  const thisYear = new Date().getFullYear();
  const [year, setYear] = useState(thisYear);
  const data = useCalendarYear(year);
  const editable = can('catalogue.manage') && systemWide;

  const [marks, setMarks] = useState<YearMarks | null>(null);
  const [source, setSource] = useState('');
  const [saveError, setSaveError] = useState<unknown>(null);
  useEffect(() => {
    if (!data.data) return;
    setMarks({ holidays: new Set(data.data.holidays), makeupWorkdays: new Set(data.data.makeupWorkdays) });
    setSource(data.data.source);
    setSaveError(null);
  }, [data.data]);

  const dirty = useMemo(() => {
    if (!marks || !data.data) return false;
    const same = (a: ReadonlySet<string>, b: readonly string[]) =>
      a.size === b.length && b.every((d) => a.has(d));
    return (
      !same(marks.holidays, data.data.holidays) ||
      !same(marks.makeupWorkdays, data.data.makeupWorkdays) ||
      source !== data.data.source
    );
  }, [marks, source, data.data]);

  const save = useMutation({
    mutationFn: () =>
      api<CalendarYearView>('PUT', `/api/v1/calendar/years/${year}`, {
        holidays: [...(marks?.holidays ?? [])].sort(),
        makeupWorkdays: [...(marks?.makeupWorkdays ?? [])].sort(),
        source: source.trim(),
      }),
    onSuccess: async (saved) => {
      void message.success(t('calendar.saved', { year }));
      queryClient.setQueryData(taxonomyKeys.calendarYear(year), saved);
      await queryClient.invalidateQueries({ queryKey: taxonomyKeys.calendarYears });
    },
    onError: setSaveError,
  });

  const yearOptions = useMemo(() => {
    const set = new Set([...(years.data?.items ?? []).map((y) => y.year), thisYear, thisYear + 1]);
    return [...set].sort((a, b) => a - b);
  }, [years.data, thisYear]);
  const loaded = new Set((years.data?.items ?? []).map((y) => y.year));
  const issues = saveError instanceof ApiError ? (saveError.problem.issues ?? []) : [];

  return (
    <div data-testid="page-system-calendar">
      {can('catalogue.manage') && !systemWide && (
        <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('system.systemWideOnly')} />
      )}
      <Flex wrap gap={12} justify="space-between" align="center" style={{ marginBottom: 16 }}>
        <Space wrap>
          <Select<number>
            value={year}
            style={{ width: 160 }}
            onChange={(y) => {
              if (!dirty || window.confirm(t('calendar.discardConfirm'))) setYear(y);
            }}
            options={yearOptions.map((y) => ({
              value: y,
              label: loaded.has(y) ? `${y}` : `${y} · ${t('calendar.notLoaded')}`,
            }))}
            data-testid="calendar-year"
          />
          <Tag color="red">{t('calendar.marks.holiday')}</Tag>
          <Tag color="blue">{t('calendar.marks.makeup')}</Tag>
          {marks && (
            <Typography.Text type="secondary">
              {t('calendar.summary', { holidays: marks.holidays.size, makeup: marks.makeupWorkdays.size })}
            </Typography.Text>
          )}
        </Space>
        {editable && (
          <Space wrap>
            <Input
              style={{ width: 320 }}
              value={source}
              maxLength={500}
              onChange={(e) => setSource(e.target.value)}
              placeholder={t('calendar.sourcePlaceholder')}
              data-testid="calendar-source"
            />
            <Button
              icon={<UndoOutlined />}
              disabled={!dirty}
              onClick={() => {
                if (!data.data) return;
                setMarks({
                  holidays: new Set(data.data.holidays),
                  makeupWorkdays: new Set(data.data.makeupWorkdays),
                });
                setSource(data.data.source);
              }}
            >
              {t('calendar.reset')}
            </Button>
            <Button
              type="primary"
              icon={<SaveOutlined />}
              disabled={!dirty}
              loading={save.isPending}
              onClick={() => {
                setSaveError(null);
                save.mutate();
              }}
              data-testid="calendar-save"
            >
              {t('common.save')}
            </Button>
          </Space>
        )}
      </Flex>
      <Typography.Paragraph type="secondary">
        {data.data?.loaded
          ? t('calendar.loadedAt', { at: formatDateTime(data.data.updatedAt) })
          : t('calendar.notLoadedHint', { year })}{' '}
        {editable && t('calendar.clickHint')}
      </Typography.Paragraph>
      <ProblemAlert error={years.error ?? data.error} />
      {saveError != null && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={
            issues.length
              ? issues.map((i) => `${dateOfIssue(i.field, marks) ?? i.field}: ${i.message}`).join('；')
              : saveError instanceof ApiError
                ? (saveError.problem.detail ?? t('error.generic'))
                : t('error.generic')
          }
          data-testid="calendar-error"
        />
      )}
      {marks && (
        <Row gutter={[12, 12]}>
          {months.map((m) => (
            <Col key={m} xs={24} sm={12} lg={8} xl={6}>
              <CalendarMonth
                year={year}
                month={m}
                marks={marks}
                readOnly={!editable}
                onToggle={(iso) => setMarks(toggleDay(marks, iso))}
              />
            </Col>
          ))}
        </Row>
      )}
    </div>
  );
}

/** `body.holidays.3` → the date that was sent at that index. */
function dateOfIssue(field: string, marks: YearMarks | null): string | null {
  const m = /^body\.(holidays|makeupWorkdays)\.(\d+)$/.exec(field);
  if (!m || !marks) return null;
  const list = [...(m[1] === 'holidays' ? marks.holidays : marks.makeupWorkdays)].sort();
  return list[Number(m[2])] ?? null;
}
