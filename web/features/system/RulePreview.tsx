import { useMutation } from '@tanstack/react-query';
import { Button, Card, Descriptions, Flex, Form, InputNumber, Select, Spin, Tag } from 'antd';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../../app/api.ts';
import { ProblemAlert } from '../../ui/problem.tsx';
import type { LngLat } from '../case/CasePointMap.tsx';
import { useRuleCategoryOptions } from './rule-options.ts';
import type { PreviewResult } from './taxonomy-api.ts';

const CasePointMap = lazy(() => import('../case/CasePointMap.tsx'));

/** 预览: which department a new case of this category at this place would be suggested, and on what basis. */
export function RulePreview() {
  const { t } = useTranslation();
  const options = useRuleCategoryOptions().filter((o) => o.value.length > 2);
  const [categoryCode, setCategoryCode] = useState<string | null>(null);
  const [point, setPoint] = useState<LngLat | null>(null);
  const run = useMutation({
    mutationFn: () =>
      post<PreviewResult>('/api/v1/responsibility-rules/preview', {
        categoryCode,
        location: { lng: point?.[0], lat: point?.[1] },
      }),
  });
  const r = run.data;
  const place = r
    ? [r.location.street?.name, r.location.community?.name, r.location.grid?.code].filter(Boolean).join(' / ')
    : '';

  return (
    <Card size="small" title={t('responsibility.preview')} data-testid="rule-preview">
      <Flex gap={16} wrap>
        <div style={{ flex: '1 1 320px', minWidth: 280 }}>
          <Form layout="vertical">
            <Form.Item label={t('responsibility.category')} required>
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                value={categoryCode ?? undefined}
                onChange={setCategoryCode}
                options={options}
                popupMatchSelectWidth={false}
                data-testid="preview-category"
              />
            </Form.Item>
            <Form.Item label={t('responsibility.location')} required extra={t('responsibility.locationHint')}>
              <Flex gap={8}>
                <InputNumber
                  placeholder={t('case.field.lng')}
                  value={point?.[0] ?? null}
                  step={0.0001}
                  style={{ width: 140 }}
                  onChange={(v) => setPoint(typeof v === 'number' ? [v, point?.[1] ?? 0] : null)}
                />
                <InputNumber
                  placeholder={t('case.field.lat')}
                  value={point?.[1] ?? null}
                  step={0.0001}
                  style={{ width: 140 }}
                  onChange={(v) => setPoint(typeof v === 'number' ? [point?.[0] ?? 0, v] : null)}
                />
              </Flex>
            </Form.Item>
            <Button
              type="primary"
              disabled={!categoryCode || !point}
              loading={run.isPending}
              onClick={() => run.mutate()}
            >
              {t('responsibility.runPreview')}
            </Button>
          </Form>
          <div style={{ marginTop: 16 }}>
            <ProblemAlert error={run.error} />
            {r && (
              <Descriptions size="small" column={1} bordered data-testid="preview-result">
                <Descriptions.Item label={t('responsibility.suggested')}>
                  {r.department?.name ?? t('responsibility.noSuggestion')}
                </Descriptions.Item>
                <Descriptions.Item label={t('responsibility.basis')}>
                  {r.basis ? (
                    <Tag color="blue">{t(`responsibility.bases.${r.basis}`)}</Tag>
                  ) : (
                    t('common.none')
                  )}
                </Descriptions.Item>
                <Descriptions.Item label={t('catalogue.dispatchRule')}>
                  {t(`catalogue.dispatchRules.${r.dispatchRule}`)}
                </Descriptions.Item>
                <Descriptions.Item label={t('responsibility.place')}>
                  {place || t('common.none')}
                </Descriptions.Item>
              </Descriptions>
            )}
          </div>
        </div>
        <div style={{ flex: '1 1 360px', minWidth: 280 }}>
          <Suspense fallback={<Spin />}>
            <CasePointMap
              value={point}
              height={300}
              onPick={([x, y]) => setPoint([Math.round(x * 1e6) / 1e6, Math.round(y * 1e6) / 1e6])}
            />
          </Suspense>
        </div>
      </Flex>
    </Card>
  );
}
