import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Checkbox, Form, Input, InputNumber, Modal, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { permissions, type Permission } from '../../../src/domain/identity/role.ts';
import { post } from '../../app/api.ts';
import type { CreatedToken } from '../../app/api-types.ts';
import { applyIssues, clearChangedErrors, ProblemAlert, secretStyle } from '../../ui/problem.tsx';

interface Values {
  name: string;
  permissions: Permission[];
  expiresInDays: number;
  staffId?: string;
}

/** Creates a token, then shows its secret exactly once. */
export function TokenFormModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [formError, setFormError] = useState<unknown>(null);
  const create = useMutation({
    mutationFn: (v: Values) =>
      post<CreatedToken>('/api/v1/tokens', {
        name: v.name.trim(),
        permissions: v.permissions,
        expiresInDays: v.expiresInDays,
        staffId: v.staffId?.trim() || undefined,
      }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['tokens'] }),
    onError: (error) =>
      setFormError(
        applyIssues(form, error, ['name', 'permissions', 'expiresInDays', 'staffId']) ? null : error,
      ),
  });

  if (create.data) {
    return (
      <Modal
        open
        title={t('tokens.secretTitle')}
        onCancel={onClose}
        onOk={onClose}
        okText={t('common.close')}
        cancelButtonProps={{ style: { display: 'none' } }}
        maskClosable={false}
      >
        <Alert type="warning" showIcon title={t('tokens.secretNote')} style={{ marginBottom: 16 }} />
        <Typography.Paragraph
          copyable={{ text: create.data.token, tooltips: [t('common.copy'), t('common.copied')] }}
          data-testid="token-secret"
          style={secretStyle}
        >
          {create.data.token}
        </Typography.Paragraph>
      </Modal>
    );
  }

  return (
    <Modal
      open
      title={t('tokens.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending}
    >
      <ProblemAlert error={formError} />
      <Form<Values>
        form={form}
        name="token"
        layout="vertical"
        onValuesChange={(changed) => clearChangedErrors(form, changed)}
        initialValues={{ expiresInDays: 90, permissions: [] }}
        onFinish={(v) => {
          setFormError(null);
          create.mutate(v);
        }}
      >
        <Form.Item name="name" label={t('tokens.name')} rules={[{ required: true, whitespace: true }]}>
          <Input />
        </Form.Item>
        <Form.Item
          name="permissions"
          label={t('tokens.permissions')}
          rules={[{ required: true, type: 'array', min: 1, message: t('tokens.permissionsRequired') }]}
        >
          <Checkbox.Group
            style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(150px, 1fr))', gap: 6 }}
            options={permissions.map((p) => ({ value: p, label: t(`perm.${p}`) }))}
          />
        </Form.Item>
        <Form.Item name="expiresInDays" label={t('tokens.expiresInDays')} rules={[{ required: true }]}>
          <InputNumber min={1} max={365} precision={0} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="staffId" label={t('tokens.staffId')}>
          <Input placeholder={t('common.optional')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
