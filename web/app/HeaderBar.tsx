import { LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Avatar, Button, Dropdown, Flex, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../ui/LanguageSwitch.tsx';
import { NotificationBell } from '../features/notification/NotificationBell.tsx';
import { useAuth } from './auth.tsx';
import type { Scope } from './api-types.ts';

export function useScopeLabel(): (scope: Scope) => string {
  const { t } = useTranslation();
  return (scope) => {
    const parts = [scope.regionName, scope.departmentName].filter((p): p is string => Boolean(p));
    return parts.length ? parts.join(' · ') : t('header.scopeAll');
  };
}

/** Right-hand side of the top bar: who is signed in, where, the language and logout. */
export function HeaderBar({ phone }: { phone: boolean }) {
  const { t } = useTranslation();
  const { user, logout } = useAuth();
  const scopeLabel = useScopeLabel();
  if (!user) return null;
  const role = t(`role.${user.role}`);

  if (phone) {
    return (
      <Flex align="center" gap={8} style={{ flex: 1, minWidth: 0 }} justify="space-between">
        <Typography.Text strong ellipsis style={{ minWidth: 0 }}>
          {t('app.brand')}
        </Typography.Text>
        <Flex align="center" gap={8}>
          <NotificationBell size="small" />
          <LanguageSwitch size="small" />
          <Dropdown
            trigger={['click']}
            menu={{
              items: [
                { key: 'who', label: `${user.displayName} · ${role}`, disabled: true },
                { key: 'scope', label: scopeLabel(user.scope), disabled: true },
                { type: 'divider' },
                { key: 'logout', icon: <LogoutOutlined />, label: t('header.logout'), danger: true },
              ],
              onClick: ({ key }) => {
                if (key === 'logout') void logout();
              },
            }}
          >
            <Button type="text" shape="circle" aria-label={t('header.account')} data-testid="account-menu">
              <Avatar size="small" icon={<UserOutlined />} />
            </Button>
          </Dropdown>
        </Flex>
      </Flex>
    );
  }

  return (
    <Flex align="center" gap={16} justify="flex-end" style={{ flex: 1, minWidth: 0 }}>
      <Flex align="center" gap={8} style={{ minWidth: 0 }}>
        <Avatar size="small" icon={<UserOutlined />} />
        <Typography.Text strong data-testid="user-name">
          {user.displayName}
        </Typography.Text>
        <Tag color="blue" data-testid="user-role" style={{ marginInlineEnd: 0 }}>
          {role}
        </Tag>
        <Typography.Text type="secondary" ellipsis style={{ maxWidth: 240 }} title={scopeLabel(user.scope)}>
          {scopeLabel(user.scope)}
        </Typography.Text>
      </Flex>
      <NotificationBell />
      <LanguageSwitch />
      <Button icon={<LogoutOutlined />} onClick={() => void logout()} data-testid="logout">
        {t('header.logout')}
      </Button>
    </Flex>
  );
}
