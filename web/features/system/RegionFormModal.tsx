import { useMutation } from '@tanstack/react-query';
import { App, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../../app/api.ts';
import type { Region } from '../../app/api-types.ts';
import { applyIssues, clearChangedErrors, ProblemAlert } from '../../ui/problem.tsx';

interface Values {
  code: string;
  name: string;
  nameEn?: string;
}

export function RegionFormModal({
  parent,
  onClose,
  onCreated,
}: {
  parent: Region;
  onClose: () => void;
  onCreated: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [formError, setFormError] = useState<unknown>(null);
  const create = useMutation({
    mutationFn: (v: Values) =>
      post('/api/v1/regions', {
        code: v.code.trim(),
        name: v.name.trim(),
        nameEn: v.nameEn?.trim() || undefined,
        parentCode: parent.code,
      }),
    onSuccess: async () => {
      void message.success(t('common.created'));
      await onCreated();
      onClose();
    },
    onError: (error) => setFormError(applyIssues(form, error, ['code', 'name', 'nameEn']) ? null : error),
  });
  return (
    <Modal
      open
      title={t('regions.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending}
    >
      <ProblemAlert error={formError} />
      <Form<Values>
        form={form}
        name="region"
        layout="vertical"
        onValuesChange={(changed) => clearChangedErrors(form, changed)}
        onFinish={(v) => {
          setFormError(null);
          create.mutate(v);
        }}
      >
        <Form.Item label={t('regions.parent')}>
          <Input value={`${parent.name} (${parent.code})`} disabled />
        </Form.Item>
        <Form.Item
          name="code"
          label={t('regions.code')}
          extra={t('regions.codeHint')}
          rules={[{ required: true }, { pattern: /^\d{12}$/, message: t('regions.codeInvalid') }]}
        >
          <Input inputMode="numeric" maxLength={12} placeholder={parent.code.slice(0, 6)} />
        </Form.Item>
        <Form.Item name="name" label={t('regions.name')} rules={[{ required: true, whitespace: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="nameEn" label={t('regions.nameEn')}>
          <Input />
        </Form.Item>
      </Form>
    </Modal>
  );
}
