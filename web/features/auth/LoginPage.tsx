import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import { useAuth, useSystemInfo } from '../../app/auth.tsx';
import { LanguageSwitch } from '../../ui/LanguageSwitch.tsx';
import { useErrorMessage } from '../../ui/problem.tsx';
import { DemoAccountsTable } from './DemoAccountsTable.tsx';

interface Credentials {
  username: string;
  password: string;
}

export function LoginPage() {
  const { t } = useTranslation();
  const { login } = useAuth();
  const info = useSystemInfo();
  const navigate = useNavigate();
  const location = useLocation();
  const errorMessage = useErrorMessage();
  const [form] = Form.useForm<Credentials>();
  const [error, setError] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);
  const demo = info.data?.mode === 'demo';

  const onFinish = async ({ username, password }: Credentials) => {
    setSubmitting(true);
    setError(null);
    try {
      await login(username.trim(), password);
      const from = (location.state as { from?: string } | null)?.from;
      navigate(from && from !== '/login' ? from : '/workbench', { replace: true });
    } catch (e) {
      setError(e);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Flex
      vertical
      style={{ minHeight: '100vh', background: 'linear-gradient(160deg, #e8f0fb 0%, #f5f7fa 60%)' }}
    >
      {demo && <Alert banner type="warning" title={t('app.demoBanner')} data-testid="demo-banner" />}
      <Flex justify="flex-end" style={{ padding: '12px 16px' }}>
        <LanguageSwitch />
      </Flex>
      <Flex vertical align="center" gap={16} style={{ padding: '8px 12px 32px', flex: 1 }}>
        <div style={{ textAlign: 'center' }}>
          <Typography.Title level={2} style={{ marginBottom: 4 }}>
            {t('app.brand')} <span style={{ fontWeight: 400, color: '#5a6b85' }}>{t('app.brandLatin')}</span>
          </Typography.Title>
          <Typography.Text type="secondary">{t('app.subtitle')}</Typography.Text>
        </div>
        <Card title={t('login.title')} style={{ width: '100%', maxWidth: 440 }}>
          {error !== null && (
            <Alert
              type="error"
              showIcon
              title={errorMessage(error)}
              data-testid="login-error"
              style={{ marginBottom: 16 }}
            />
          )}
          <Form form={form} layout="vertical" onFinish={onFinish} requiredMark={false} autoComplete="on">
            <Form.Item
              label={t('login.username')}
              name="username"
              rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}
            >
              <Input id="username" prefix={<UserOutlined />} autoComplete="username" size="large" />
            </Form.Item>
            <Form.Item
              label={t('login.password')}
              name="password"
              rules={[{ required: true, message: t('login.passwordRequired') }]}
            >
              <Input.Password
                id="password"
                prefix={<LockOutlined />}
                autoComplete="current-password"
                size="large"
              />
            </Form.Item>
            <Button
              type="primary"
              htmlType="submit"
              block
              size="large"
              loading={submitting}
              data-testid="login-submit"
            >
              {t('login.submit')}
            </Button>
          </Form>
        </Card>
        <Flex gap={24} justify="center" data-testid="citizen-links">
          <Link to="/report" data-testid="login-report-link">
            {t('login.report')}
          </Link>
          <Link to="/track" data-testid="login-track-link">
            {t('login.track')}
          </Link>
        </Flex>
        {demo && info.data && (
          <Card style={{ width: '100%', maxWidth: 440 }} data-testid="demo-notice">
            <Alert
              type="info"
              showIcon
              title={t('login.demoTitle')}
              description={t('login.demoDescription')}
              style={{ marginBottom: 12 }}
            />
            <DemoAccountsTable
              accounts={info.data.demoAccounts}
              onPick={(account) => {
                form.setFieldsValue({ username: account.username, password: account.password });
                setError(null);
              }}
            />
          </Card>
        )}
      </Flex>
    </Flex>
  );
}
