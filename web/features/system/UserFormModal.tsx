import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Form, Input, Modal, Select, Switch } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { roles, type Role } from '../../../src/domain/identity/role.ts';
import { patch, post } from '../../app/api.ts';
import type { UserItem } from '../../app/api-types.ts';
import { applyIssues, clearChangedErrors, ProblemAlert } from '../../ui/problem.tsx';
import { DepartmentSelect } from './DepartmentSelect.tsx';
import { RegionTreeSelect } from './RegionTreeSelect.tsx';

interface Values {
  username: string;
  displayName: string;
  role: Role;
  password: string;
  regionCode: string | null;
  departmentId: string | null;
  phone?: string;
  disabled: boolean;
}

const fieldNames = [
  'username',
  'displayName',
  'role',
  'password',
  'regionCode',
  'departmentId',
  'phone',
  'disabled',
];

/** Create (user = null) or edit one staff account. */
export function UserFormModal({ user, onClose }: { user: UserItem | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [formError, setFormError] = useState<unknown>(null);

  const save = useMutation({
    mutationFn: (v: Values) => {
      const scope = { regionCode: v.regionCode ?? undefined, departmentId: v.departmentId ?? undefined };
      if (!user) {
        return post('/api/v1/users', {
          username: v.username.trim(),
          displayName: v.displayName.trim(),
          role: v.role,
          password: v.password,
          scope,
          phone: v.phone?.trim() || undefined,
        });
      }
      return patch(`/api/v1/users/${encodeURIComponent(user.id)}`, {
        displayName: v.displayName.trim(),
        role: v.role,
        scope,
        disabled: v.disabled,
        phone: v.phone?.trim() || null,
      });
    },
    onSuccess: async () => {
      void message.success(user ? t('common.saved') : t('common.created'));
      await queryClient.invalidateQueries({ queryKey: ['users'] });
      onClose();
    },
    onError: (error) => setFormError(applyIssues(form, error, fieldNames) ? null : error),
  });

  return (
    <Modal
      open
      title={user ? t('users.edit') : t('users.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      <ProblemAlert error={formError} />
      <Form<Values>
        form={form}
        name="user"
        layout="vertical"
        onValuesChange={(changed) => clearChangedErrors(form, changed)}
        initialValues={{
          username: user?.username,
          displayName: user?.displayName,
          role: user?.role,
          regionCode: user?.scope.regionCode ?? null,
          departmentId: user?.scope.departmentId ?? null,
          phone: user?.phone ?? undefined,
          disabled: user?.disabled ?? false,
        }}
        onFinish={(v) => {
          setFormError(null);
          save.mutate(v);
        }}
      >
        <Form.Item name="username" label={t('users.username')} rules={[{ required: true, whitespace: true }]}>
          <Input disabled={Boolean(user)} autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="displayName"
          label={t('users.displayName')}
          rules={[{ required: true, whitespace: true }]}
        >
          <Input />
        </Form.Item>
        <Form.Item name="role" label={t('users.role')} rules={[{ required: true }]}>
          <Select options={roles.map((r) => ({ value: r, label: t(`role.${r}`) }))} />
        </Form.Item>
        {!user && (
          <Form.Item name="password" label={t('users.password')} rules={[{ required: true }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        )}
        <Form.Item name="regionCode" label={t('users.region')}>
          <RegionTreeSelect />
        </Form.Item>
        <Form.Item name="departmentId" label={t('users.department')}>
          <DepartmentSelect initialLabel={user?.scope.departmentName} />
        </Form.Item>
        <Form.Item name="phone" label={t('users.phone')}>
          <Input inputMode="tel" />
        </Form.Item>
        {user && (
          <Form.Item name="disabled" label={t('common.disabled')} valuePropName="checked">
            <Switch />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
