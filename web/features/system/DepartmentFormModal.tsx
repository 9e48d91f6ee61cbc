import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Form, Input, Modal, Switch } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { patch, post } from '../../app/api.ts';
import type { Department } from '../../app/api-types.ts';
import { useAuth } from '../../app/auth.tsx';
import { applyIssues, clearChangedErrors, ProblemAlert } from '../../ui/problem.tsx';
import { RegionTreeSelect } from './RegionTreeSelect.tsx';

interface Values {
  code: string;
  name: string;
  nameEn?: string;
  regionCode: string | null;
  disabled: boolean;
}

export function DepartmentFormModal({
  department,
  onClose,
}: {
  department: Department | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { user } = useAuth();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [formError, setFormError] = useState<unknown>(null);

  const save = useMutation({
    mutationFn: (v: Values) =>
      department
        ? patch(`/api/v1/departments/${encodeURIComponent(department.id)}`, {
            name: v.name.trim(),
            nameEn: v.nameEn?.trim() || null,
            disabled: v.disabled,
          })
        : post('/api/v1/departments', {
            code: v.code.trim(),
            name: v.name.trim(),
            nameEn: v.nameEn?.trim() || undefined,
            regionCode: v.regionCode,
          }),
    onSuccess: async () => {
      void message.success(department ? t('common.saved') : t('common.created'));
      await queryClient.invalidateQueries({ queryKey: ['departments'] });
      onClose();
    },
    onError: (error) =>
      setFormError(
        applyIssues(form, error, ['code', 'name', 'nameEn', 'regionCode', 'disabled']) ? null : error,
      ),
  });

  return (
    <Modal
      open
      title={department ? t('departments.edit') : t('departments.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
    >
      <ProblemAlert error={formError} />
      <Form<Values>
        form={form}
        name="department"
        layout="vertical"
        onValuesChange={(changed) => clearChangedErrors(form, changed)}
        initialValues={{
          code: department?.code,
          name: department?.name,
          nameEn: department?.nameEn ?? undefined,
          regionCode: department?.regionCode ?? user?.scope.regionCode ?? null,
          disabled: department?.disabled ?? false,
        }}
        onFinish={(v) => {
          setFormError(null);
          save.mutate(v);
        }}
      >
        <Form.Item name="code" label={t('departments.code')} rules={[{ required: true, whitespace: true }]}>
          <Input disabled={Boolean(department)} />
        </Form.Item>
        <Form.Item name="name" label={t('departments.name')} rules={[{ required: true, whitespace: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="nameEn" label={t('departments.nameEn')}>
          <Input />
        </Form.Item>
        {department ? (
          <Form.Item label={t('departments.region')}>
            <Input value={department.regionName ?? department.regionCode} disabled />
          </Form.Item>
        ) : (
          <Form.Item name="regionCode" label={t('departments.regionCode')} rules={[{ required: true }]}>
            <RegionTreeSelect />
          </Form.Item>
        )}
        {department && (
          <Form.Item name="disabled" label={t('common.disabled')} valuePropName="checked">
            <Switch />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
