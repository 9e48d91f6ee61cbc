import { ClockCircleOutlined } from '@ant-design/icons';
import { Card, Result } from 'antd';
import { useTranslation } from 'react-i18next';

type Module = 'cases' | 'map' | 'analytics' | 'exchange';

/** Placeholder for modules that later releases deliver. */
export function ComingSoonPage({ module }: { module: Module }) {
  const { t } = useTranslation();
  return (
    <Card data-testid={`page-${module}`}>
      <Result
        icon={<ClockCircleOutlined />}
        title={t('comingSoon.title', { module: t(`nav.${module}`) })}
        subTitle={t('comingSoon.description')}
      />
    </Card>
  );
}
