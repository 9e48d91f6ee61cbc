import { EditOutlined, KeyOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { App, Button, Form, Input, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { roles } from '../../../src/domain/identity/role.ts';
import { post } from '../../app/api.ts';
import type { UserItem } from '../../app/api-types.ts';
import { useScopeLabel } from '../../app/HeaderBar.tsx';
import { FilterBar } from '../../ui/FilterBar.tsx';
import { useFormatDateTime } from '../../ui/format.ts';
import { ProblemAlert, secretStyle, useErrorMessage } from '../../ui/problem.tsx';
import { EnabledTag } from '../../ui/StatusTag.tsx';
import { usePagedList } from '../../ui/use-paged-list.ts';
import { UserFormModal } from './UserFormModal.tsx';

export default function UsersPage() {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const errorMessage = useErrorMessage();
  const formatDate = useFormatDateTime();
  const scopeLabel = useScopeLabel();
  const list = usePagedList<UserItem>('users', '/api/v1/users');
  const [editing, setEditing] = useState<UserItem | 'new' | null>(null);

  const reset = useMutation({
    mutationFn: (user: UserItem) =>
      post<{ temporaryPassword: string }>(`/api/v1/users/${encodeURIComponent(user.id)}/reset-password`),
    onSuccess: ({ temporaryPassword }) => {
      modal.success({
        title: t('users.temporaryPassword'),
        content: (
          <>
            <Typography.Paragraph>{t('users.temporaryPasswordNote')}</Typography.Paragraph>
            <Typography.Paragraph
              copyable={{ text: temporaryPassword, tooltips: [t('common.copy'), t('common.copied')] }}
              data-testid="temporary-password"
              style={secretStyle}
            >
              {temporaryPassword}
            </Typography.Paragraph>
          </>
        ),
        okText: t('common.close'),
      });
    },
    onError: (error) => void message.error(errorMessage(error)),
  });

  return (
    <div data-testid="page-system-users">
      <FilterBar
        onApply={list.applyFilters}
        actions={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            {t('users.create')}
          </Button>
        }
      >
        <Form.Item name="q">
          <Input allowClear placeholder={t('users.searchPlaceholder')} style={{ width: 180 }} />
        </Form.Item>
        <Form.Item name="role">
          <Select
            allowClear
            placeholder={t('users.role')}
            style={{ width: 150 }}
            options={roles.map((r) => ({ value: r, label: t(`role.${r}`) }))}
          />
        </Form.Item>
        <Form.Item name="disabled">
          <Select
            allowClear
            placeholder={t('users.status')}
            style={{ width: 110 }}
            options={[
              { value: 'false', label: t('common.enabled') },
              { value: 'true', label: t('common.disabled') },
            ]}
          />
        </Form.Item>
      </FilterBar>
      <ProblemAlert error={list.query.error} />
      <Table<UserItem>
        rowKey="id"
        size="middle"
        loading={list.query.isFetching}
        dataSource={list.items}
        pagination={list.pagination}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('users.username'), dataIndex: 'username', render: (v: string) => <code>{v}</code> },
          { title: t('users.displayName'), dataIndex: 'displayName' },
          { title: t('users.role'), dataIndex: 'role', render: (r: string) => <Tag>{t(`role.${r}`)}</Tag> },
          { title: t('users.scope'), key: 'scope', render: (_, u) => scopeLabel(u.scope) },
          {
            title: t('users.phone'),
            dataIndex: 'phone',
            render: (v: string | null) => v || t('common.none'),
          },
          {
            title: t('users.status'),
            key: 'status',
            render: (_, u) => (
              <Space size={4}>
                <EnabledTag disabled={u.disabled} />
                {u.lockedUntil && new Date(u.lockedUntil) > new Date() && (
                  <Tag color="red">{t('users.locked')}</Tag>
                )}
              </Space>
            ),
          },
          { title: t('users.createdAt'), dataIndex: 'createdAt', render: (v: string) => formatDate(v) },
          {
            title: t('common.actions'),
            key: 'actions',
            fixed: 'right',
            render: (_, u) => (
              <Space size={0}>
                <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(u)}>
                  {t('common.edit')}
                </Button>
                <Popconfirm
                  title={t('users.resetConfirm', { name: u.displayName })}
                  onConfirm={() => reset.mutate(u)}
                  okText={t('common.ok')}
                  cancelText={t('common.cancel')}
                >
                  <Button type="link" size="small" icon={<KeyOutlined />}>
                    {t('users.resetPassword')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      {editing && (
        <UserFormModal user={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />
      )}
    </div>
  );
}
