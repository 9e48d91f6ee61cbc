import { ArrowLeftOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Flex,
  List,
  Row,
  Space,
  Spin,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { useFormatDateTime } from '../../ui/format.ts';
import { ProblemAlert } from '../../ui/problem.tsx';
import { NotFoundPage } from '../../ui/ResultPages.tsx';
import { ApiError } from '../../app/api.ts';
import { useCaseDetail, type CaseDetail, type TimelineEntry } from './case-api.ts';
import { CaseActionModal } from './CaseActionModal.tsx';
import { CasePhotos } from './CasePhotos.tsx';
import { CaseDuplicatesPanel } from './DuplicatesPanel.tsx';
import { LightBadge, StateTag, UrgencyTag } from './case-ui.tsx';

const CasePointMap = lazy(() => import('./CasePointMap.tsx'));

const dangerEvents = new Set([
  'void',
  'return',
  'verify_fail',
  'check_fail',
  'reject_close',
  'reject_return',
]);

function timelineColor(entry: TimelineEntry): string {
  if (dangerEvents.has(entry.event)) return 'red';
  if (entry.event === 'supervise') return 'orange';
  if (entry.toState === 'closed' || entry.toState === 'replied') return 'green';
  return 'blue';
}

function Header({
  detail,
  onRefresh,
  refreshing,
}: {
  detail: CaseDetail;
  onRefresh: () => void;
  refreshing: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Flex vertical gap={8}>
      <Flex wrap gap={8} align="center">
        <Typography.Text code copyable style={{ fontSize: 13 }}>
          {detail.code}
        </Typography.Text>
        <StateTag state={detail.state} />
        <UrgencyTag urgency={detail.urgency} />
        <Button
          size="small"
          type="text"
          icon={<ReloadOutlined spin={refreshing} />}
          onClick={onRefresh}
          aria-label="refresh"
          style={{ marginInlineStart: 'auto' }}
        />
      </Flex>
      <Typography.Title level={4} style={{ margin: 0, wordBreak: 'break-word' }}>
        {detail.title}
      </Typography.Title>
      {(detail.light || detail.stageDeadline) && (
        <Space wrap size={8}>
          {detail.stage && (
            <Typography.Text type="secondary">
              {t('case.stageLabel', {
                stage: t(`case.stage.${detail.stage}`, { defaultValue: detail.stage }),
              })}
            </Typography.Text>
          )}
          <LightBadge light={detail.light} deadline={detail.stageDeadline} />
        </Space>
      )}
    </Flex>
  );
}

function Actions({ detail, onPick }: { detail: CaseDetail; onPick: (event: string) => void }) {
  const { t } = useTranslation();
  if (detail.allowedEvents.length === 0) {
    return <Typography.Text type="secondary">{t('case.detail.noActions')}</Typography.Text>;
  }
  return (
    <Flex wrap gap={8}>
      {detail.allowedEvents.map((event, i) => (
        <Button
          key={event}
          type={i === 0 ? 'primary' : 'default'}
          danger={dangerEvents.has(event) || event === 'void'}
          data-testid={`case-action-${event}`}
          onClick={() => onPick(event)}
        >
          {t(`case.event.${event}`, { defaultValue: event })}
        </Button>
      ))}
    </Flex>
  );
}

export default function CaseDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const formatDateTime = useFormatDateTime();
  const detail = useCaseDetail(id);
  const [action, setAction] = useState<string | null>(null);

  if (detail.isPending) return <Spin style={{ display: 'block', margin: '48px auto' }} />;
  if (detail.error instanceof ApiError && detail.error.status === 404) return <NotFoundPage />;
  if (!detail.data) return <ProblemAlert error={detail.error} />;
  const c = detail.data;
  const none = t('common.none');
  const point: [number, number] | null = c.lng !== null && c.lat !== null ? [c.lng, c.lat] : null;

  return (
    <div data-testid="case-detail">
      <Button
        type="link"
        icon={<ArrowLeftOutlined />}
        onClick={() => navigate(-1)}
        style={{ paddingInline: 0 }}
      >
        {t('case.detail.back')}
      </Button>
      <ProblemAlert error={detail.error} />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Header detail={c} onRefresh={() => void detail.refetch()} refreshing={detail.isFetching} />
        <div style={{ marginTop: 12 }}>
          <Actions detail={c} onPick={setAction} />
        </div>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Card size="small" title={t('case.detail.facts')}>
            <Descriptions
              size="small"
              column={{ xs: 1, sm: 2 }}
              items={[
                {
                  key: 'category',
                  label: t('case.field.category'),
                  children: c.categoryName ?? c.categoryCode,
                },
                {
                  key: 'channel',
                  label: t('case.field.channel'),
                  children: t(`case.channel.${c.channel}`, { defaultValue: c.channel }),
                },
                { key: 'street', label: t('case.field.street'), children: c.streetName ?? none },
                { key: 'community', label: t('case.field.community'), children: c.communityName ?? none },
                { key: 'grid', label: t('case.field.grid'), children: c.gridCode ?? none },
                { key: 'createdAt', label: t('case.field.createdAt'), children: formatDateTime(c.createdAt) },
                { key: 'reporter', label: t('case.field.reporterName'), children: c.reporterName || none },
                { key: 'phone', label: t('case.field.reporterPhone'), children: c.reporterPhone || none },
                {
                  key: 'suggested',
                  label: t('case.field.suggestedDepartment'),
                  children: c.suggestedDepartment?.name ?? none,
                },
                {
                  key: 'location',
                  label: t('case.field.location'),
                  children: point ? `${point[0].toFixed(6)}, ${point[1].toFixed(6)}` : none,
                },
                {
                  key: 'address',
                  label: t('case.field.address'),
                  span: 'filled',
                  children: c.address || none,
                },
                {
                  key: 'description',
                  label: t('case.field.description'),
                  span: 'filled',
                  children: (
                    <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>
                      {c.description || none}
                    </Typography.Paragraph>
                  ),
                },
              ]}
            />
            {point && (
              <Suspense fallback={<Spin />}>
                <div style={{ marginTop: 12 }}>
                  <CasePointMap value={point} height={220} />
                </div>
              </Suspense>
            )}
          </Card>
          <div style={{ marginTop: 16 }}>
            <CasePhotos attachments={c.attachments ?? []} />
          </div>
        </Col>
        <Col xs={24} lg={10}>
          <CaseDuplicatesPanel detail={c} />
          <Card size="small" title={t('case.detail.tasks')} style={{ marginBottom: 16 }}>
            {c.tasks.length === 0 ? (
              <Typography.Text type="secondary">{t('case.detail.noTasks')}</Typography.Text>
            ) : (
              <List
                size="small"
                dataSource={c.tasks}
                renderItem={(task, i) => (
                  <List.Item key={`${task.departmentId}-${i}`}>
                    <span>{task.departmentName ?? task.departmentId}</span>
                    <Tag
                      color={
                        task.state === 'done' ? 'green' : task.state === 'returned' ? 'orange' : undefined
                      }
                      style={{ marginInlineEnd: 0 }}
                    >
                      {t(`case.taskState.${task.state}`, { defaultValue: task.state })}
                    </Tag>
                  </List.Item>
                )}
              />
            )}
          </Card>
          <Card size="small" title={t('case.detail.timeline')}>
            {c.timeline.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
            ) : (
              <div data-testid="case-timeline">
                <Timeline
                  items={[...c.timeline].reverse().map((e, i) => ({
                    key: `${e.at}-${i}`,
                    color: timelineColor(e),
                    content: (
                      <Flex vertical gap={2}>
                        <Space wrap size={6}>
                          <Typography.Text strong>
                            {t(`case.event.${e.event}`, { defaultValue: e.event })}
                          </Typography.Text>
                          {e.toState && e.fromState !== e.toState && <StateTag state={e.toState} />}
                        </Space>
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {formatDateTime(e.at)} · {e.actorName ?? none}
                          {e.role ? ` · ${t(`role.${e.role}`, { defaultValue: e.role })}` : ''}
                        </Typography.Text>
                        {e.comment && (
                          <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{e.comment}</Typography.Text>
                        )}
                      </Flex>
                    ),
                  }))}
                />
              </div>
            )}
          </Card>
        </Col>
      </Row>
      {action && <CaseActionModal detail={c} event={action} onClose={() => setAction(null)} />}
    </div>
  );
}
