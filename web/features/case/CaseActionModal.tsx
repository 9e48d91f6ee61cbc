import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Form, Input, InputNumber, Modal, Radio, Select, Space, type ButtonProps } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ruleOf,
  satisfactions,
  type CaseEvent,
  type CaseState,
  type PayloadRequirement,
  type Satisfaction,
} from '../../../src/domain/case/case-workflow.ts';
import { timeUnits } from '../../../src/domain/sla/time-limit.ts';
import { ApiError, get, post } from '../../app/api.ts';
import type { Department, Paged } from '../../app/api-types.ts';
import { applyIssues, clearChangedErrors, ProblemAlert } from '../../ui/problem.tsx';
import { PhotoUpload } from '../public/PhotoUpload.tsx';
import { caseKeys, type CaseDetail, type CaseSummary, type EventBody } from './case-api.ts';

interface Values {
  reason?: string;
  comment?: string;
  department?: string;
  departments?: string[];
  evidence?: string[];
  satisfaction?: Satisfaction;
  resolved?: boolean;
  duplicateOf?: string;
  extensionAmount?: number;
  extensionUnit?: string;
  instruction?: string;
}

const fieldNames = [
  'reason',
  'comment',
  'department',
  'departments',
  'evidence',
  'satisfaction',
  'resolved',
  'duplicateOf',
  'extensionAmount',
  'instruction',
];

// Server issue names → this form's fields.
function aliasIssues(error: unknown, requires: readonly PayloadRequirement[]): unknown {
  if (!(error instanceof ApiError)) return error;
  error.problem.issues?.forEach((issue) => {
    const last = issue.field.split('.').pop() ?? issue.field;
    if (last === 'departmentIds' || last === 'department' || last === 'departments') {
      issue.field = requires.includes('departments') ? 'departments' : 'department';
    } else if (last === 'extension' || last === 'amount') issue.field = 'extensionAmount';
  });
  return error;
}

export function useDepartmentOptions(enabled: boolean) {
  const { i18n } = useTranslation();
  const list = useQuery({
    queryKey: ['departments', 'all'],
    queryFn: () => get<Paged<Department>>('/api/v1/departments', { page: 1, pageSize: 200 }),
    enabled,
    staleTime: 5 * 60_000,
  });
  const options = (list.data?.items ?? [])
    .filter((d) => !d.disabled)
    .map((d) => ({ value: d.id, label: (i18n.language === 'en' && d.nameEn) || d.name }));
  return { options, loading: list.isPending && enabled };
}

/** Asks exactly what the workflow table requires for `event`, then sends it with the expected version. */
export function CaseActionModal({
  detail,
  event,
  onClose,
}: {
  detail: CaseDetail;
  event: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [formError, setFormError] = useState<unknown>(null);
  const requires = ruleOf(detail.state as CaseState, event as CaseEvent)?.requires ?? [];
  const needs = (r: PayloadRequirement) => requires.includes(r);
  const wantsDepartments = needs('department') || needs('departments');
  const departments = useDepartmentOptions(wantsDepartments);
  const eventLabel = t(`case.event.${event}`, { defaultValue: event });

  const send = useMutation({
    mutationFn: (v: Values) => {
      const text = (s?: string) => s?.trim() || undefined;
      const body: EventBody = { event, expectedVersion: detail.version, comment: text(v.comment) };
      if (needs('reason')) body.reason = text(v.reason);
      if (needs('department') && v.department) body.departmentIds = [v.department];
      if (needs('departments')) body.departmentIds = v.departments ?? [];
      if (needs('evidence')) body.evidence = v.evidence ?? [];
      if (needs('satisfaction')) {
        body.satisfaction = v.satisfaction;
        body.resolved = v.resolved;
      }
      if (needs('duplicate_of')) body.duplicateOf = v.duplicateOf;
      if (needs('extension') && v.extensionAmount) {
        body.extension = { amount: v.extensionAmount, unit: v.extensionUnit ?? 'working_days' };
      }
      if (needs('instruction')) body.instruction = text(v.instruction);
      return post<CaseDetail>(`/api/v1/cases/${encodeURIComponent(detail.id)}/events`, body);
    },
    onSuccess: async (updated) => {
      void message.success(t('case.action.done', { event: eventLabel }));
      if (updated?.id) queryClient.setQueryData(caseKeys.detail(detail.id), updated);
      onClose();
      await queryClient.invalidateQueries({ queryKey: caseKeys.all });
    },
    onError: async (error) => {
      const code = error instanceof ApiError ? error.problem.code : undefined;
      if (code === 'case.conflict' || code === 'case.invalid_transition') {
        void message.warning(code === 'case.conflict' ? t('case.action.conflict') : t('case.action.invalid'));
        onClose();
        await queryClient.invalidateQueries({ queryKey: caseKeys.all });
        return;
      }
      setFormError(applyIssues(form, aliasIssues(error, requires), fieldNames) ? null : error);
    },
  });

  const textRequired = [{ required: true, whitespace: true }];
  return (
    <Modal
      open
      title={eventLabel}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('case.action.confirm')}
      cancelText={t('common.cancel')}
      okButtonProps={{ 'data-testid': 'case-action-confirm' } as ButtonProps}
      confirmLoading={send.isPending}
      destroyOnHidden
    >
      <ProblemAlert error={formError} />
      <Form<Values>
        form={form}
        name="case-action"
        layout="vertical"
        initialValues={{
          department: detail.suggestedDepartment?.id,
          departments: detail.suggestedDepartment ? [detail.suggestedDepartment.id] : [],
          extensionUnit: 'working_days',
        }}
        onValuesChange={(changed) => clearChangedErrors(form, changed)}
        onFinish={(v) => {
          setFormError(null);
          send.mutate(v);
        }}
      >
        {needs('department') && (
          <Form.Item name="department" label={t('case.action.department')} rules={[{ required: true }]}>
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              options={withSuggested(departments.options, detail)}
              loading={departments.loading}
            />
          </Form.Item>
        )}
        {needs('departments') && (
          <Form.Item
            name="departments"
            label={t('case.action.departments')}
            rules={[{ required: true, type: 'array', min: 2 }]}
          >
            <Select
              mode="multiple"
              showSearch={{ optionFilterProp: 'label' }}
              options={withSuggested(departments.options, detail)}
              loading={departments.loading}
            />
          </Form.Item>
        )}
        {needs('duplicate_of') && (
          <Form.Item name="duplicateOf" label={t('case.action.duplicateOf')} rules={[{ required: true }]}>
            <CasePicker excludeId={detail.id} />
          </Form.Item>
        )}
        {needs('extension') && (
          <Form.Item label={t('case.action.extensionAmount')} required>
            <Space.Compact style={{ width: '100%' }}>
              <Form.Item name="extensionAmount" noStyle rules={[{ required: true }]}>
                <InputNumber min={0.5} max={1000} step={1} style={{ width: '50%' }} />
              </Form.Item>
              <Form.Item name="extensionUnit" noStyle>
                <Select
                  style={{ width: '50%' }}
                  options={timeUnits.map((u) => ({ value: u, label: t(`case.timeUnit.${u}`) }))}
                />
              </Form.Item>
            </Space.Compact>
          </Form.Item>
        )}
        {needs('reason') && (
          <Form.Item name="reason" label={t('case.action.reason')} rules={textRequired}>
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={500} showCount />
          </Form.Item>
        )}
        {needs('evidence') && (
          <Form.Item
            name="evidence"
            label={t('case.action.evidence')}
            extra={t('case.action.evidenceHint')}
            rules={[{ required: true, type: 'array', min: 1, message: t('case.action.evidenceRequired') }]}
          >
            <PhotoUpload endpoint="/api/v1/attachments" max={9} testId="case-action-evidence" />
          </Form.Item>
        )}
        {needs('satisfaction') && (
          <>
            <Form.Item name="satisfaction" label={t('case.action.satisfaction')} rules={[{ required: true }]}>
              <Radio.Group
                options={satisfactions.map((s) => ({ value: s, label: t(`case.satisfaction.${s}`) }))}
              />
            </Form.Item>
            <Form.Item name="resolved" label={t('case.action.resolved')} rules={[{ required: true }]}>
              <Radio.Group
                options={[
                  { value: true, label: t('case.action.yes') },
                  { value: false, label: t('case.action.no') },
                ]}
              />
            </Form.Item>
          </>
        )}
        {needs('instruction') && (
          <Form.Item name="instruction" label={t('case.action.instruction')} rules={textRequired}>
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={1000} />
          </Form.Item>
        )}
        <Form.Item name="comment" label={t('case.action.comment')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Searches cases by code or title; the value is the case id. */
function CasePicker({
  value,
  onChange,
  id,
  excludeId,
}: {
  value?: string;
  onChange?: (value: string | undefined) => void;
  id?: string;
  excludeId: string;
}) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const list = useQuery({
    queryKey: ['cases', 'pick', q],
    queryFn: () => get<Paged<CaseSummary>>('/api/v1/cases', { page: 1, pageSize: 20, q: q.trim() }),
    placeholderData: (previous) => previous,
  });
  return (
    <Select
      id={id}
      allowClear
      showSearch={{ filterOption: false, onSearch: setQ }}
      value={value}
      onChange={onChange}
      loading={list.isFetching}
      placeholder={t('case.searchPlaceholder')}
      options={(list.data?.items ?? [])
        .filter((c) => c.id !== excludeId)
        .map((c) => ({ value: c.id, label: `${c.code} · ${c.title}` }))}
    />
  );
}

function withSuggested(options: { value: string; label: string }[], detail: CaseDetail) {
  const s = detail.suggestedDepartment;
  if (!s || options.some((o) => o.value === s.id)) return options;
  return [{ value: s.id, label: s.name }, ...options];
}
