import { LockOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Form, Input, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../../app/api.ts';
import { sessionKey, useAuth } from '../../app/auth.tsx';
import { LanguageSwitch } from '../../ui/LanguageSwitch.tsx';
import { applyIssues, ProblemAlert } from '../../ui/problem.tsx';

interface Passwords {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

/**
 * Shown instead of the app to a session with a temporary password (a new account, or one an administrator reset):
 * the server allows nothing else until it is changed.
 */
export function ChangePasswordPage() {
  const { t } = useTranslation();
  const { user, logout } = useAuth();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Passwords>();
  const [error, setError] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);

  const onFinish = async ({ currentPassword, newPassword }: Passwords) => {
    setSubmitting(true);
    setError(null);
    try {
      await post<void>('/api/v1/auth/password', { currentPassword, newPassword });
      // The session stays; reading it again lets the app in.
      await queryClient.invalidateQueries({ queryKey: sessionKey });
    } catch (e) {
      if (!applyIssues(form, e, ['currentPassword', 'newPassword'])) setError(e);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Flex vertical style={{ minHeight: '100vh', background: '#f5f7fa' }}>
      <Flex justify="flex-end" style={{ padding: '12px 16px' }}>
        <LanguageSwitch />
      </Flex>
      <Flex vertical align="center" style={{ padding: '8px 12px 32px', flex: 1 }}>
        <Card
          title={t('password.title')}
          style={{ width: '100%', maxWidth: 440 }}
          data-testid="password-change"
        >
          <Typography.Paragraph type="secondary">
            {t('password.intro', { name: user?.displayName ?? '' })}
          </Typography.Paragraph>
          <ProblemAlert error={error} testId="password-error" />
          <Form form={form} layout="vertical" onFinish={onFinish} requiredMark={false}>
            <Form.Item
              label={t('password.current')}
              name="currentPassword"
              rules={[{ required: true, message: t('login.passwordRequired') }]}
            >
              <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
            </Form.Item>
            <Form.Item
              label={t('password.new')}
              name="newPassword"
              extra={t('password.policy')}
              rules={[{ required: true, message: t('login.passwordRequired') }]}
            >
              <Input.Password prefix={<LockOutlined />} autoComplete="new-password" />
            </Form.Item>
            <Form.Item
              label={t('password.confirm')}
              name="confirm"
              dependencies={['newPassword']}
              rules={[
                { required: true, message: t('login.passwordRequired') },
                ({ getFieldValue }) => ({
                  validator: (_, value) =>
                    !value || value === getFieldValue('newPassword')
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('password.mismatch'))),
                }),
              ]}
            >
              <Input.Password prefix={<LockOutlined />} autoComplete="new-password" />
            </Form.Item>
            <Flex gap={12}>
              <Button type="primary" htmlType="submit" loading={submitting} data-testid="password-submit">
                {t('password.submit')}
              </Button>
              <Button onClick={() => void logout()}>{t('header.logout')}</Button>
            </Flex>
          </Form>
        </Card>
      </Flex>
    </Flex>
  );
}
