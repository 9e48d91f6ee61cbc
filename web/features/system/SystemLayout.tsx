import { Card, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { useAuth } from '../../app/auth.tsx';
import { systemSections } from '../../app/nav.ts';

export default function SystemLayout() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const sections = systemSections.filter((s) => can(s.permission));
  const active = sections.find((s) => pathname.startsWith(`/system/${s.key}`))?.key;
  return (
    <div data-testid="page-system">
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('system.title')}
      </Typography.Title>
      <Card styles={{ body: { paddingTop: 4 } }}>
        <Tabs
          activeKey={active}
          onChange={(key) => navigate(`/system/${key}`)}
          items={sections.map((s) => ({ key: s.key, label: t(`system.${s.key}`) }))}
        />
        <Outlet />
      </Card>
    </div>
  );
}
