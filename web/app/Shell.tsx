import {
  AppstoreOutlined,
  BarChartOutlined,
  DashboardOutlined,
  EnvironmentOutlined,
  MenuOutlined,
  ProfileOutlined,
  SettingOutlined,
  ShareAltOutlined,
} from '@ant-design/icons';
import { Button, Drawer, Grid, Layout, Menu, theme, type MenuProps } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router';
import { DemoBanner } from '../ui/DemoBanner.tsx';
import { useAuth } from './auth.tsx';
import { HeaderBar } from './HeaderBar.tsx';
import { navEntries, type NavEntry } from './nav.ts';

const icons: Record<NavEntry['key'], ReactNode> = {
  workbench: <DashboardOutlined />,
  cases: <ProfileOutlined />,
  map: <EnvironmentOutlined />,
  analytics: <BarChartOutlined />,
  exchange: <ShareAltOutlined />,
  system: <SettingOutlined />,
};

function Brand({ compact }: { compact: boolean }) {
  const { t } = useTranslation();
  return (
    <Link
      to="/workbench"
      style={{ display: 'flex', alignItems: 'center', gap: 8, color: '#fff', padding: '0 20px', height: 56 }}
    >
      <AppstoreOutlined style={{ fontSize: 20 }} />
      {!compact && (
        <span style={{ fontSize: 18, fontWeight: 600, whiteSpace: 'nowrap' }}>
          {t('app.brand')} <span style={{ fontWeight: 400, opacity: 0.8 }}>{t('app.brandLatin')}</span>
        </span>
      )}
    </Link>
  );
}

function SideMenu({ onNavigate }: { onNavigate?: () => void }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { pathname } = useLocation();
  const visible = navEntries.filter((entry) => can(entry.permission));
  const selected = visible.find((e) => pathname === e.path || pathname.startsWith(`${e.path}/`));
  const items: MenuProps['items'] = visible.map((entry) => ({
    key: entry.path,
    icon: icons[entry.key],
    label: (
      <Link to={entry.path} onClick={onNavigate}>
        {t(`nav.${entry.key}`)}
      </Link>
    ),
    'data-testid': `nav-${entry.key}`,
  }));
  return (
    <Menu
      theme="dark"
      mode="inline"
      items={items}
      selectedKeys={selected ? [selected.path] : []}
      data-testid="nav"
    />
  );
}

export function Shell() {
  const { t } = useTranslation();
  const screens = Grid.useBreakpoint();
  const phone = screens.sm === false;
  const [collapsed, setCollapsed] = useState(false);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const { token } = theme.useToken();

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <DemoBanner />
      <Layout hasSider={!phone}>
        {!phone && (
          <Layout.Sider
            collapsible
            collapsed={collapsed}
            onCollapse={setCollapsed}
            breakpoint="lg"
            width={208}
          >
            <Brand compact={collapsed} />
            <SideMenu />
          </Layout.Sider>
        )}
        {phone && (
          <Drawer
            placement="left"
            open={drawerOpen}
            onClose={() => setDrawerOpen(false)}
            size={240}
            closable={false}
            styles={{ body: { padding: 0, background: '#001529' } }}
          >
            <Brand compact={false} />
            <SideMenu onNavigate={() => setDrawerOpen(false)} />
          </Drawer>
        )}
        <Layout style={{ minWidth: 0 }}>
          <Layout.Header
            style={{
              background: token.colorBgContainer,
              padding: phone ? '0 8px' : '0 24px',
              height: 56,
              lineHeight: '56px',
              borderBottom: `1px solid ${token.colorBorderSecondary}`,
              display: 'flex',
              alignItems: 'center',
              gap: 8,
            }}
          >
            {phone && (
              <Button
                type="text"
                icon={<MenuOutlined />}
                aria-label={t('nav.openMenu')}
                data-testid="nav-toggle"
                onClick={() => setDrawerOpen(true)}
              />
            )}
            <HeaderBar phone={phone} />
          </Layout.Header>
          <Layout.Content style={{ padding: phone ? 12 : 24, minWidth: 0 }}>
            <Outlet />
          </Layout.Content>
        </Layout>
      </Layout>
    </Layout>
  );
}
