import { Alert, Descriptions, Drawer, Empty, Skeleton, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatArea } from '../../map/format.ts';
import { useErrorMessage } from '../../ui/problem.tsx';
import { useGridDetail } from './spatial-api.ts';

interface Props {
  code: string | null;
  /** What the map already knows about the grid, shown while the details load. */
  fallback: { name?: string; areaM2?: number } | null;
  phone: boolean;
  onClose(): void;
}

/** Details of the clicked grid: a side drawer on desktop, a bottom sheet on a phone. */
export function GridInfoPanel({ code, fallback, phone, onClose }: Props) {
  const { t, i18n } = useTranslation();
  const errorMessage = useErrorMessage();
  const detail = useGridDetail(code);
  const d = detail.data;
  const unassigned = <Typography.Text type="secondary">{t('map.grid.unassigned')}</Typography.Text>;

  return (
    <Drawer
      open={Boolean(code)}
      onClose={onClose}
      placement={phone ? 'bottom' : 'right'}
      size={phone ? Math.min(360, Math.round(window.innerHeight * 0.5)) : 360}
      mask={false}
      getContainer={false}
      title={t('map.grid.title')}
      styles={{ body: { padding: phone ? 12 : 16 } }}
      destroyOnHidden
    >
      {code && (
        <div data-testid="grid-info" data-code={code}>
          {detail.error ? (
            <Alert type="error" showIcon title={errorMessage(detail.error)} style={{ marginBottom: 12 }} />
          ) : null}
          <Descriptions column={1} size="small" styles={{ label: { width: 96 } }}>
            <Descriptions.Item label={t('map.grid.code')}>
              <Typography.Text copyable code data-testid="grid-info-code">
                {code}
              </Typography.Text>
            </Descriptions.Item>
            {d?.legacyCode ? (
              <Descriptions.Item label={t('map.grid.legacyCode')}>
                <code>{d.legacyCode}</code>
              </Descriptions.Item>
            ) : null}
            <Descriptions.Item label={t('map.grid.name')}>
              <span data-testid="grid-info-name">{d?.name ?? fallback?.name ?? t('common.none')}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('map.grid.area')}>
              <span data-testid="grid-info-area">
                {formatArea(d?.areaM2 ?? fallback?.areaM2, i18n.language)}
              </span>
            </Descriptions.Item>
            {detail.isPending ? null : (
              <>
                <Descriptions.Item label={t('map.grid.community')}>
                  {d?.community ? `${d.community.name}（${d.community.code}）` : t('common.none')}
                </Descriptions.Item>
                <Descriptions.Item label={t('map.grid.street')}>
                  {d?.street ? `${d.street.name}（${d.street.code}）` : t('common.none')}
                </Descriptions.Item>
                <Descriptions.Item label={t('map.grid.workers')}>
                  <span data-testid="grid-info-workers">
                    {d?.workers.length ? (
                      <Space size={[4, 4]} wrap>
                        {d.workers.map((w) => (
                          <Tag key={w.id} color="blue">
                            {w.displayName}
                          </Tag>
                        ))}
                      </Space>
                    ) : (
                      unassigned
                    )}
                  </span>
                </Descriptions.Item>
                <Descriptions.Item label={t('map.grid.departments')}>
                  <span data-testid="grid-info-departments">
                    {d?.departments.length ? (
                      <Space size={[4, 4]} wrap>
                        {d.departments.map((dep, i) => (
                          <Tag key={`${dep.id ?? ''}:${i}`} color="gold" title={dep.featureName}>
                            {dep.name}
                          </Tag>
                        ))}
                      </Space>
                    ) : (
                      unassigned
                    )}
                  </span>
                </Descriptions.Item>
              </>
            )}
          </Descriptions>
          {detail.isPending && <Skeleton active paragraph={{ rows: 3 }} title={false} />}
          {!d && !detail.isPending && !detail.error && <Empty />}
        </div>
      )}
    </Drawer>
  );
}
