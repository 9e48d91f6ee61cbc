import { ApartmentOutlined, BankOutlined, BorderOutlined, TeamOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Card, Col, Descriptions, Row, Statistic, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../../app/api.ts';
import type { WorkbenchSummary } from '../../app/api-types.ts';
import { useAuth } from '../../app/auth.tsx';
import { useScopeLabel } from '../../app/HeaderBar.tsx';
import { ProblemAlert } from '../../ui/problem.tsx';

const counters: Array<{ key: keyof WorkbenchSummary; icon: ReactNode; color: string }> = [
  { key: 'regions', icon: <BankOutlined />, color: '#1f5fbf' },
  { key: 'grids', icon: <BorderOutlined />, color: '#0f8a6c' },
  { key: 'departments', icon: <ApartmentOutlined />, color: '#b86e00' },
  { key: 'staff', icon: <TeamOutlined />, color: '#7a3fb8' },
];

export function WorkbenchPage() {
  const { t } = useTranslation();
  const { user } = useAuth();
  const scopeLabel = useScopeLabel();
  const summary = useQuery({
    queryKey: ['workbench', 'summary'],
    queryFn: () => get<WorkbenchSummary>('/api/v1/workbench/summary'),
  });
  if (!user) return null;

  return (
    <div>
      <Typography.Title level={3} data-testid="page-workbench" style={{ marginTop: 0 }}>
        {t('workbench.title')}
      </Typography.Title>
      <Card style={{ marginBottom: 16 }}>
        <Typography.Title level={5} style={{ marginTop: 0 }}>
          {t('workbench.welcome', { name: user.displayName })}
        </Typography.Title>
        <Descriptions column={{ xs: 1, sm: 2, lg: 3 }} size="small">
          <Descriptions.Item label={t('workbench.role')}>
            <Tag color="blue">{t(`role.${user.role}`)}</Tag>
          </Descriptions.Item>
          <Descriptions.Item label={t('workbench.scope')}>
            <span data-testid="workbench-scope">{scopeLabel({ ...user.scope, departmentName: null })}</span>
          </Descriptions.Item>
          {user.scope.departmentName && (
            <Descriptions.Item label={t('workbench.department')}>
              {user.scope.departmentName}
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      <ProblemAlert error={summary.error} />
      <Row gutter={[16, 16]}>
        {counters
          .filter(({ key }) => key !== 'staff' || user.permissions.includes('user.manage'))
          .map(({ key, icon, color }) => (
            <Col xs={12} md={6} key={key}>
              <Card loading={summary.isPending && !summary.isError} data-testid={`count-${key}`}>
                <Statistic
                  title={t(`workbench.${key}`)}
                  value={summary.data?.[key] ?? '—'}
                  prefix={<span style={{ color }}>{icon}</span>}
                />
              </Card>
            </Col>
          ))}
      </Row>
      <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
        {t('workbench.countsHint')}
      </Typography.Paragraph>
    </div>
  );
}
