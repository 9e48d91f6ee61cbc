import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Spin, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError } from '../../app/api.ts';
import { ProblemAlert } from '../../ui/problem.tsx';
import { publicApi, tokenOf, type PublicCaseView, type RatingInput } from './public-api.ts';
import { PublicLayout } from './PublicLayout.tsx';
import { TrackView } from './TrackView.tsx';

const notFound = (e: unknown) => e instanceof ApiError && e.status === 404;

/** /track/:token — the link handed out at intake. */
function ByToken({ token }: { token: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const key = ['public', 'track', token];
  const view = useQuery({ queryKey: key, queryFn: () => publicApi.track(token) });
  if (view.isPending) return <Spin style={{ display: 'block', margin: '48px auto' }} />;
  if (notFound(view.error)) {
    return (
      <Alert
        type="warning"
        showIcon
        data-testid="track-not-found"
        title={t('citizen.track.linkNotFound')}
        action={<Link to="/track">{t('citizen.track.byCode')}</Link>}
      />
    );
  }
  if (!view.data) return <ProblemAlert error={view.error} />;
  return (
    <TrackView
      view={view.data}
      onRate={async (rating: RatingInput) => {
        const updated = await publicApi.rateByToken(token, rating);
        queryClient.setQueryData(key, updated);
        void message.success(t('citizen.rate.done'));
        return updated;
      }}
    />
  );
}

/** /track — case code + the last four digits of the phone given at intake (or a pasted tracking link). */
function ByCode() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [found, setFound] = useState<{ view: PublicCaseView; code: string; tail: string } | null>(null);
  const lookup = useMutation({
    mutationFn: (v: { code: string; tail: string }) => publicApi.lookup(v.code.trim(), v.tail.trim()),
    onSuccess: (view, v) => setFound({ view, code: v.code.trim(), tail: v.tail.trim() }),
  });

  if (found) {
    return (
      <>
        <TrackView
          view={found.view}
          onRate={async (rating) => {
            const updated = await publicApi.rateByCode(found.code, found.tail, rating);
            setFound({ ...found, view: updated });
            void message.success(t('citizen.rate.done'));
            return updated;
          }}
        />
        <Button type="link" onClick={() => setFound(null)} style={{ marginTop: 8 }} data-testid="track-again">
          {t('citizen.track.another')}
        </Button>
      </>
    );
  }

  return (
    <Card title={t('citizen.track.title')} size="small">
      <Typography.Paragraph type="secondary">{t('citizen.track.intro')}</Typography.Paragraph>
      {notFound(lookup.error) ? (
        <Alert
          type="warning"
          showIcon
          title={t('citizen.track.notFound')}
          data-testid="track-not-found"
          style={{ marginBottom: 16 }}
        />
      ) : (
        <ProblemAlert error={lookup.error} testId="track-error" />
      )}
      <Form<{ code: string; tail: string }>
        layout="vertical"
        onFinish={(v) => {
          const token = tokenOf(v.code);
          if (token) navigate(`/track/${token}`);
          else lookup.mutate(v);
        }}
      >
        <Form.Item
          name="code"
          label={t('citizen.track.code')}
          rules={[
            { required: true, whitespace: true },
            {
              validator: (_, value?: string) =>
                !value || /^\s*\d{13}\s*$/.test(value) || tokenOf(value)
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('citizen.track.codeFormat'))),
            },
          ]}
        >
          <Input
            inputMode="numeric"
            placeholder={t('citizen.track.codePlaceholder')}
            data-testid="track-code"
          />
        </Form.Item>
        <Form.Item
          name="tail"
          label={t('citizen.track.tail')}
          dependencies={['code']}
          rules={[
            ({ getFieldValue }) => ({
              validator: (_, value?: string) =>
                tokenOf(getFieldValue('code') ?? '') || /^\d{4}$/.test(value?.trim() ?? '')
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('citizen.track.tailFormat'))),
            }),
          ]}
        >
          <Input inputMode="numeric" maxLength={4} autoComplete="off" data-testid="track-tail" />
        </Form.Item>
        <Button
          type="primary"
          htmlType="submit"
          block
          size="large"
          loading={lookup.isPending}
          data-testid="track-submit"
        >
          {t('citizen.track.submit')}
        </Button>
      </Form>
    </Card>
  );
}

/** 进度查询: by the tracking link, or by case code + phone digits. No account. */
export default function TrackPage() {
  const { token } = useParams();
  return <PublicLayout testId="page-track">{token ? <ByToken token={token} /> : <ByCode />}</PublicLayout>;
}
