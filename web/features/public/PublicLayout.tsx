import { Flex, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink } from 'react-router';
import { LanguageSwitch } from '../../ui/LanguageSwitch.tsx';

/** The frame of the citizen pages: no sign-in, one narrow column that fits a phone. */
export function PublicLayout({ children, testId }: { children: ReactNode; testId: string }) {
  const { t } = useTranslation();
  const link = ({ isActive }: { isActive: boolean }) => ({
    fontWeight: isActive ? 600 : 400,
    color: isActive ? '#1f5fbf' : '#334155',
  });
  return (
    <Flex vertical style={{ minHeight: '100vh', background: '#f5f7fa' }} data-testid={testId}>
      <Flex
        align="center"
        wrap
        gap={12}
        style={{ padding: '10px 16px', background: '#fff', borderBottom: '1px solid #e5e8ef' }}
      >
        <Typography.Text strong style={{ fontSize: 16 }}>
          {t('app.brand')} · {t('citizen.brand')}
        </Typography.Text>
        <Flex gap={16} style={{ marginInlineStart: 'auto' }} align="center" wrap>
          <NavLink to="/report" style={link} data-testid="public-nav-report">
            {t('citizen.nav.report')}
          </NavLink>
          <NavLink to="/track" style={link} data-testid="public-nav-track">
            {t('citizen.nav.track')}
          </NavLink>
          <LanguageSwitch size="small" />
        </Flex>
      </Flex>
      <div
        style={{
          width: '100%',
          maxWidth: 720,
          margin: '0 auto',
          padding: '16px 12px 40px',
          flex: 1,
          boxSizing: 'border-box',
        }}
      >
        {children}
      </div>
      <Flex justify="center" style={{ padding: '12px 16px 20px' }}>
        <Link to="/login" style={{ color: '#64748b', fontSize: 12 }}>
          {t('citizen.nav.staff')}
        </Link>
      </Flex>
    </Flex>
  );
}
