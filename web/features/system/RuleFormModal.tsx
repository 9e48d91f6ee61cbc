import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Form, InputNumber, Modal, Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { patch, post } from '../../app/api.ts';
import { applyIssues, clearChangedErrors, ProblemAlert } from '../../ui/problem.tsx';
import { useDepartmentOptions } from '../case/CaseActionModal.tsx';
import { RegionTreeSelect } from './RegionTreeSelect.tsx';
import { useRuleCategoryOptions } from './rule-options.ts';
import { taxonomyKeys, type ResponsibilityRuleView } from './taxonomy-api.ts';

interface Values {
  categoryCode?: string | null;
  regionCode?: string | null;
  departmentId?: string;
  priority: number;
}

/** Creates or edits one responsibility rule (责任清单条目). */
export function RuleFormModal({
  rule,
  onClose,
}: {
  rule: ResponsibilityRuleView | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [formError, setFormError] = useState<unknown>(null);
  const departments = useDepartmentOptions(true);
  const categoryOptions = useRuleCategoryOptions();

  const save = useMutation({
    mutationFn: (v: Values) => {
      const body = {
        categoryCode: v.categoryCode ?? '',
        regionCode: v.regionCode ?? '',
        departmentId: v.departmentId,
        priority: v.priority ?? 0,
      };
      return rule
        ? patch(`/api/v1/responsibility-rules/${encodeURIComponent(rule.id)}`, body)
        : post('/api/v1/responsibility-rules', body);
    },
    onSuccess: async () => {
      void message.success(rule ? t('common.saved') : t('common.created'));
      await queryClient.invalidateQueries({ queryKey: taxonomyKeys.rules });
      onClose();
    },
    onError: (error) =>
      setFormError(
        applyIssues(form, error, ['categoryCode', 'regionCode', 'departmentId', 'priority']) ? null : error,
      ),
  });

  return (
    <Modal
      open
      title={rule ? t('responsibility.edit') : t('responsibility.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
    >
      <ProblemAlert error={formError} />
      <Form<Values>
        form={form}
        layout="vertical"
        name="responsibility-rule"
        initialValues={{
          categoryCode: rule?.categoryCode || undefined,
          regionCode: rule?.regionCode || null,
          departmentId: rule?.departmentId,
          priority: rule?.priority ?? 0,
        }}
        onValuesChange={(changed) => clearChangedErrors(form, changed)}
        onFinish={(v) => {
          setFormError(null);
          save.mutate(v);
        }}
      >
        <Form.Item
          name="categoryCode"
          label={t('responsibility.category')}
          extra={t('responsibility.categoryHint')}
        >
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('responsibility.allCategories')}
            options={categoryOptions}
            popupMatchSelectWidth={false}
          />
        </Form.Item>
        <Form.Item
          name="regionCode"
          label={t('responsibility.region')}
          extra={t('responsibility.regionHint')}
        >
          <RegionTreeSelect />
        </Form.Item>
        <Form.Item name="departmentId" label={t('responsibility.department')} rules={[{ required: true }]}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            options={
              rule && !departments.options.some((o) => o.value === rule.departmentId)
                ? [{ value: rule.departmentId, label: rule.departmentName }, ...departments.options]
                : departments.options
            }
            loading={departments.loading}
          />
        </Form.Item>
        <Form.Item
          name="priority"
          label={t('responsibility.priority')}
          extra={t('responsibility.priorityHint')}
        >
          <InputNumber min={-1000} max={1000} precision={0} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
