import { MergeCellsOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Flex, Form, List, Popconfirm, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { DuplicateCandidate, DuplicateList } from '../../../src/contracts/case-duplicates.schema.ts';
import { get, post } from '../../app/api.ts';
import { useFormatDateTime } from '../../ui/format.ts';
import { useErrorMessage } from '../../ui/problem.tsx';
import { caseKeys, type CaseDetail } from './case-api.ts';
import { StateTag } from './case-ui.tsx';

const duplicateKeys = {
  around: (id: string) => [...caseKeys.all, 'duplicates', id] as const,
  candidates: (code: string, lng: number, lat: number) =>
    [...caseKeys.all, 'duplicate-candidates', code, lng.toFixed(6), lat.toFixed(6)] as const,
};

function CandidateMeta({ c, newTab }: { c: DuplicateCandidate; newTab?: boolean }) {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
  const href = `/cases/${encodeURIComponent(c.id)}`;
  return (
    <Flex vertical gap={2} style={{ minWidth: 0, flex: 1 }}>
      <Space wrap size={6}>
        {newTab ? (
          <a href={href} target="_blank" rel="noreferrer">
            {c.code}
          </a>
        ) : (
          <Link to={href}>{c.code}</Link>
        )}
        <StateTag state={c.state} />
        <Typography.Text ellipsis style={{ maxWidth: 260 }}>
          {c.title}
        </Typography.Text>
      </Space>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('duplicates.meta', { distance: Math.round(c.distanceM), time: formatDateTime(c.createdAt) })}
        {c.address ? ` · ${c.address}` : ''}
      </Typography.Text>
    </Flex>
  );
}

/**
 * In the new-case form (rendered inside its <Form>): once a category and a point are chosen, the open cases of
 * that category nearby, reported recently — so that the operator can see a duplicate before filing it.
 */
export function DuplicatesPanel() {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  const category = Form.useWatch('category', form) as string[] | undefined;
  const lng = Form.useWatch('lng', form) as number | null | undefined;
  const lat = Form.useWatch('lat', form) as number | null | undefined;
  const code = category?.[category.length - 1];
  const ready = Boolean(code) && Number.isFinite(lng) && Number.isFinite(lat);
  const query = useQuery({
    queryKey: duplicateKeys.candidates(code ?? '', lng ?? 0, lat ?? 0),
    queryFn: () =>
      post<DuplicateList>('/api/v1/cases/duplicate-candidates', {
        categoryCode: code,
        location: { lng, lat, crs: 'wgs84' },
      }),
    enabled: ready,
    staleTime: 30_000,
  });
  const list = query.data;
  if (!ready || !list || list.items.length === 0) return null;
  return (
    <Alert
      type="warning"
      showIcon
      style={{ marginTop: 12 }}
      data-testid="case-duplicates-hint"
      title={t('duplicates.hint', {
        count: list.items.length,
        radius: list.radiusM,
        hours: list.windowHours,
      })}
      description={
        <List
          size="small"
          dataSource={list.items.slice(0, 5)}
          renderItem={(c) => (
            <List.Item key={c.id} style={{ paddingInline: 0 }}>
              <CandidateMeta c={c} newTab />
            </List.Item>
          )}
        />
      }
    />
  );
}

/**
 * On the case page: open cases of the same category nearby reported within T hours of this one, with 合并为重复
 * (this case becomes a duplicate of the candidate, when the caller may merge it now) and the reverse (the candidate
 * becomes a duplicate of this case); and the cases already merged into this one, which receive its reply.
 */
export function CaseDuplicatesPanel({ detail }: { detail: CaseDetail }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const formatDateTime = useFormatDateTime();
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: duplicateKeys.around(detail.id),
    queryFn: () => get<DuplicateList>(`/api/v1/cases/${encodeURIComponent(detail.id)}/duplicates`),
  });
  const merge = useMutation({
    mutationFn: (m: { caseId: string; version: number; into: string }) =>
      post(`/api/v1/cases/${encodeURIComponent(m.caseId)}/events`, {
        event: 'merge',
        expectedVersion: m.version,
        duplicateOf: m.into,
      }),
    onSuccess: async () => {
      void message.success(t('duplicates.merged'));
      await queryClient.invalidateQueries({ queryKey: caseKeys.all });
    },
    onError: (error) => void message.error(errorMessage(error)),
  });
  const list = query.data;
  if (!list || (list.items.length === 0 && list.merged.length === 0)) return null;
  const canMergeSelf = detail.allowedEvents.includes('merge');

  return (
    <Card
      size="small"
      title={t('duplicates.title')}
      style={{ marginBottom: 16 }}
      data-testid="case-duplicates"
    >
      {list.items.length > 0 && (
        <>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('duplicates.candidatesNote', { radius: list.radiusM, hours: list.windowHours })}
          </Typography.Text>
          <List
            size="small"
            dataSource={list.items}
            renderItem={(c) => (
              <List.Item key={c.id} style={{ paddingInline: 0 }}>
                <Flex vertical gap={6} style={{ width: '100%', minWidth: 0 }}>
                  <CandidateMeta c={c} />
                  {(canMergeSelf || c.mergeable) && (
                    <Space wrap size={8}>
                      {canMergeSelf && (
                        <Popconfirm
                          title={t('duplicates.mergeSelfConfirm', { code: detail.code, into: c.code })}
                          onConfirm={() =>
                            merge.mutate({ caseId: detail.id, version: detail.version, into: c.id })
                          }
                          okText={t('common.ok')}
                          cancelText={t('common.cancel')}
                        >
                          <Button
                            size="small"
                            icon={<MergeCellsOutlined />}
                            loading={merge.isPending}
                            data-testid={`merge-into-${c.code}`}
                          >
                            {t('duplicates.mergeSelf')}
                          </Button>
                        </Popconfirm>
                      )}
                      {c.mergeable && (
                        <Popconfirm
                          title={t('duplicates.mergeOtherConfirm', { code: c.code, into: detail.code })}
                          onConfirm={() =>
                            merge.mutate({ caseId: c.id, version: c.version, into: detail.id })
                          }
                          okText={t('common.ok')}
                          cancelText={t('common.cancel')}
                        >
                          <Button size="small" type="link" loading={merge.isPending}>
                            {t('duplicates.mergeOther')}
                          </Button>
                        </Popconfirm>
                      )}
                    </Space>
                  )}
                </Flex>
              </List.Item>
            )}
          />
        </>
      )}
      {list.merged.length > 0 && (
        <>
          <Typography.Text strong>{t('duplicates.mergedTitle')}</Typography.Text>
          <List
            size="small"
            dataSource={list.merged}
            renderItem={(m) => (
              <List.Item key={m.id} style={{ paddingInline: 0 }}>
                <Space wrap size={6}>
                  <Link to={`/cases/${encodeURIComponent(m.id)}`}>{m.code}</Link>
                  <Typography.Text ellipsis style={{ maxWidth: 220 }}>
                    {m.title}
                  </Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {m.repliedAt
                      ? t('duplicates.repliedAt', { time: formatDateTime(m.repliedAt) })
                      : t('duplicates.awaitingReply')}
                  </Typography.Text>
                </Space>
              </List.Item>
            )}
          />
        </>
      )}
    </Card>
  );
}
