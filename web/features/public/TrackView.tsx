import { useMutation } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Flex,
  Form,
  Image,
  Input,
  Radio,
  Steps,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormatDateTime } from '../../ui/format.ts';
import { ProblemAlert } from '../../ui/problem.tsx';
import { stageSteps, type PublicCaseView, type RatingInput } from './public-api.ts';

const satisfactionIds = {
  satisfied: 'rate-satisfied',
  basically_satisfied: 'rate-basically-satisfied',
  unsatisfied: 'rate-unsatisfied',
} as const;

/** 满意/基本满意/不满意 and resolved yes/no, sent as the reporter's rating (评价). */
function RatingForm({ onRate }: { onRate: (rating: RatingInput) => Promise<PublicCaseView> }) {
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>(null);
  const rate = useMutation({ mutationFn: onRate, onError: setError });
  return (
    <Card size="small" title={t('citizen.rate.title')} data-testid="rate-form">
      <ProblemAlert error={error} testId="rate-error" />
      <Form<{ resolved: boolean; satisfaction: RatingInput['satisfaction']; comment?: string }>
        layout="vertical"
        onFinish={(v) => {
          setError(null);
          rate.mutate({
            resolved: v.resolved,
            satisfaction: v.satisfaction,
            comment: v.comment?.trim() || undefined,
          });
        }}
      >
        <Form.Item name="resolved" label={t('citizen.rate.resolved')} rules={[{ required: true }]}>
          <Radio.Group>
            {/* Test ids on the visible labels: the radio inputs themselves are hidden. */}
            <Radio.Button value={true}>
              <span data-testid="rate-resolved-yes">{t('citizen.rate.resolvedYes')}</span>
            </Radio.Button>
            <Radio.Button value={false}>
              <span data-testid="rate-resolved-no">{t('citizen.rate.resolvedNo')}</span>
            </Radio.Button>
          </Radio.Group>
        </Form.Item>
        <Form.Item name="satisfaction" label={t('citizen.rate.satisfaction')} rules={[{ required: true }]}>
          <Radio.Group>
            {(Object.keys(satisfactionIds) as (keyof typeof satisfactionIds)[]).map((s) => (
              <Radio.Button key={s} value={s}>
                <span data-testid={satisfactionIds[s]}>{t(`case.satisfaction.${s}`)}</span>
              </Radio.Button>
            ))}
          </Radio.Group>
        </Form.Item>
        <Form.Item name="comment" label={t('citizen.rate.comment')}>
          <Input.TextArea
            autoSize={{ minRows: 2, maxRows: 5 }}
            maxLength={500}
            showCount
            data-testid="rate-comment"
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={rate.isPending} data-testid="rate-submit">
          {t('citizen.rate.submit')}
        </Button>
      </Form>
    </Card>
  );
}

/** One case as its reporter sees it: stage steps, the public timeline, photos, the reply, and rating. */
export function TrackView({
  view,
  onRate,
}: {
  view: PublicCaseView;
  onRate: (rating: RatingInput) => Promise<PublicCaseView>;
}) {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
  const stepIndex = (stageSteps as readonly string[]).indexOf(view.stage);
  const offPath = stepIndex < 0;
  const lastAt = (stage: string) => [...view.timeline].reverse().find((e) => e.stage === stage)?.at;
  const report = view.photos.filter((p) => p.purpose === 'report');
  const evidence = view.photos.filter((p) => p.purpose === 'evidence');

  return (
    <Flex vertical gap={16} data-testid="track-view">
      <Card size="small">
        <Flex vertical gap={8}>
          <Flex wrap gap={8} align="center">
            <Typography.Text code copyable data-testid="track-code-value">
              {view.code}
            </Typography.Text>
            <Tag
              color={offPath ? 'default' : view.stage === 'closed' ? 'green' : 'blue'}
              data-testid="track-stage"
            >
              {t(`citizen.stage.${view.stage}`)}
            </Tag>
          </Flex>
          <Typography.Title level={4} style={{ margin: 0, wordBreak: 'break-word' }}>
            {view.title}
          </Typography.Title>
          <Typography.Text type="secondary">{t(`citizen.stageHint.${view.stage}`)}</Typography.Text>
          <Descriptions
            size="small"
            column={1}
            items={[
              { key: 'category', label: t('citizen.track.category'), children: view.categoryName },
              {
                key: 'submitted',
                label: t('citizen.track.submittedAt'),
                children: formatDateTime(view.submittedAt),
              },
            ]}
          />
        </Flex>
      </Card>

      <Card size="small" title={t('citizen.track.progress')}>
        {offPath ? (
          <Alert
            type="info"
            showIcon
            title={t(`citizen.stageHint.${view.stage}`)}
            data-testid="track-off-path"
          />
        ) : (
          <Steps
            data-testid="track-steps"
            orientation="vertical"
            size="small"
            current={stepIndex}
            status={view.stage === 'rated' ? 'finish' : 'process'}
            items={stageSteps.map((s) => {
              const at = lastAt(s);
              return { title: t(`citizen.stage.${s}`), content: at ? formatDateTime(at) : undefined };
            })}
          />
        )}
      </Card>

      {(report.length > 0 || evidence.length > 0) && (
        <Card size="small" title={t('citizen.track.photos')} data-testid="track-photos">
          <Image.PreviewGroup>
            {[
              ['report', report],
              ['evidence', evidence],
            ].map(([kind, list]) =>
              (list as typeof report).length === 0 ? null : (
                <div key={kind as string} style={{ marginBottom: 8 }}>
                  <Typography.Text type="secondary">
                    {t(`citizen.track.photo_${kind as string}`)}
                  </Typography.Text>
                  <Flex wrap gap={8} style={{ marginTop: 4 }}>
                    {(list as typeof report).map((p) => (
                      <Image
                        key={p.id}
                        src={p.url}
                        width={96}
                        height={96}
                        style={{ objectFit: 'cover', borderRadius: 6 }}
                      />
                    ))}
                  </Flex>
                </div>
              ),
            )}
          </Image.PreviewGroup>
        </Card>
      )}

      {view.reply && (
        <Card size="small" title={t('citizen.track.reply')} data-testid="track-reply">
          <Descriptions
            size="small"
            column={1}
            items={[
              {
                key: 'resolved',
                label: t('citizen.rate.resolved'),
                children:
                  view.reply.resolved === null
                    ? t('common.none')
                    : view.reply.resolved
                      ? t('citizen.rate.resolvedYes')
                      : t('citizen.rate.resolvedNo'),
              },
              {
                key: 'satisfaction',
                label: t('citizen.rate.satisfaction'),
                children: view.reply.satisfaction
                  ? t(`case.satisfaction.${view.reply.satisfaction}`)
                  : t('common.none'),
              },
              { key: 'at', label: t('citizen.track.repliedAt'), children: formatDateTime(view.reply.at) },
            ]}
          />
        </Card>
      )}

      {view.canRate && <RatingForm onRate={onRate} />}
    </Flex>
  );
}
