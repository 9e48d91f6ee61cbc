import { PhotoUpload } from '../public/PhotoUpload.tsx';
import { AimOutlined, ArrowLeftOutlined, EnvironmentOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Cascader,
  Col,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Spin,
  Typography,
} from 'antd';
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { LocateResult } from '../../../src/contracts/locate.schema.ts';
import { urgencies, type Urgency } from '../../../src/domain/sla/time-limit.ts';
import { api, get } from '../../app/api.ts';
import { useAuth } from '../../app/auth.tsx';
import { applyIssues, clearChangedErrors, ProblemAlert } from '../../ui/problem.tsx';
import { caseKeys, channels, useCategories, type CaseDetail, type Channel } from './case-api.ts';
import { categoryOptions } from './category-options.ts';
import { isNetworkFailure } from './offline-queue.ts';
import { reportQueue } from './offline-reports.ts';
import type { LngLat } from './CasePointMap.tsx';
import { DuplicatesPanel } from './DuplicatesPanel.tsx';

const CasePointMap = lazy(() => import('./CasePointMap.tsx'));

interface Values {
  category: string[];
  urgency: Urgency;
  title: string;
  description: string;
  channel: Channel;
  lng: number | null;
  lat: number | null;
  address?: string;
  photos?: string[];
  reporterName?: string;
  reporterPhone?: string;
}

const fieldNames = [
  'category',
  'urgency',
  'title',
  'description',
  'channel',
  'lng',
  'lat',
  'address',
  'photos',
  'reporterName',
  'reporterPhone',
];

// Server issue paths ("body.categoryCode", "body.location.lng", "body.reporter.name") → the form's fields.
const issueAliases: Record<string, string> = {
  categoryCode: 'category',
  location: 'lng',
  name: 'reporterName',
  phone: 'reporterPhone',
};

function aliasIssues(error: unknown): unknown {
  const problem = (error as { problem?: { issues?: { field: string }[] } } | null)?.problem;
  problem?.issues?.forEach((issue) => {
    const last = issue.field.split('.').pop() ?? issue.field;
    if (issueAliases[last]) issue.field = issueAliases[last];
  });
  return error;
}

function useLocate(point: LngLat | null) {
  return useQuery({
    queryKey: ['spatial', 'locate', point?.[0].toFixed(6), point?.[1].toFixed(6)],
    queryFn: () => get<LocateResult>('/api/v1/spatial/locate', { lng: point![0], lat: point![1] }),
    enabled: Boolean(point),
    staleTime: 60_000,
  });
}

function LocatePreview({ point }: { point: LngLat | null }) {
  const { t } = useTranslation();
  const locate = useLocate(point);
  if (!point) return null;
  if (locate.isPending) return <Typography.Text type="secondary">{t('case.form.locating')}</Typography.Text>;
  const r = locate.data;
  if (!r) return null;
  if (!r.inside || !r.grid) {
    return (
      <Alert
        type="warning"
        showIcon
        data-testid="case-locate"
        title={t('case.form.outside')}
        description={
          r.nearest
            ? t('case.form.nearest', { name: r.nearest.name, distance: Math.round(r.nearest.distanceM) })
            : undefined
        }
      />
    );
  }
  return (
    <Alert
      type="success"
      showIcon
      icon={<EnvironmentOutlined />}
      data-testid="case-locate"
      title={t('case.form.inside', {
        street: r.street?.name ?? '',
        community: r.community?.name ?? '',
        grid: r.grid.name,
      })}
    />
  );
}

export default function CaseCreatePage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const { user } = useAuth();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [formError, setFormError] = useState<unknown>(null);
  const categories = useCategories();
  // One key per submission: a retry after a network failure repeats it, so the server creates one case.
  const idempotencyKey = useRef<string | null>(null);

  const lng = Form.useWatch('lng', form);
  const lat = Form.useWatch('lat', form);
  const point: LngLat | null =
    typeof lng === 'number' && typeof lat === 'number' && Number.isFinite(lng) && Number.isFinite(lat)
      ? [lng, lat]
      : null;

  // The body of the last submission: kept for the offline queue, which must resend it byte for byte.
  const lastBody = useRef<{ title: string } | null>(null);
  const [locating, setLocating] = useState(false);

  const fillFromGps = (quiet: boolean) => {
    if (!('geolocation' in navigator)) return;
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setLocating(false);
        const round = (n: number) => Math.round(n * 1e6) / 1e6;
        form.setFieldsValue({ lng: round(pos.coords.longitude), lat: round(pos.coords.latitude) });
        clearChangedErrors(form, { lng: true, lat: true });
      },
      (err) => {
        setLocating(false);
        if (!quiet) void message.warning(t('offline.gpsFailed', { reason: err.message }));
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  };

  // On patrol, start from where the worker stands, if the browser already allows it (no prompt on page load).
  useEffect(() => {
    if (user?.role !== 'grid_worker' || !navigator.permissions) return;
    navigator.permissions
      .query({ name: 'geolocation' })
      .then((p) => {
        if (p.state === 'granted' && form.getFieldValue('lng') == null) fillFromGps(true);
      })
      .catch(() => {});
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [user?.role]);

  const create = useMutation({
    // Offline, the request is not paused by react-query but fails at once, and the report goes to the queue.
    networkMode: 'always',
    mutationFn: (v: Values) => {
      idempotencyKey.current ??= crypto.randomUUID();
      const reporter = {
        name: v.reporterName?.trim() || undefined,
        phone: v.reporterPhone?.trim() || undefined,
      };
      const body = JSON.parse(
        JSON.stringify({
          categoryCode: v.category[v.category.length - 1],
          urgency: v.urgency,
          title: v.title.trim(),
          description: v.description.trim(),
          channel: v.channel,
          location: { lng: v.lng, lat: v.lat, crs: 'wgs84' },
          address: v.address?.trim() || undefined,
          reporter: reporter.name || reporter.phone ? reporter : undefined,
          photos: v.photos?.length ? v.photos : undefined,
        }),
      ) as { title: string };
      lastBody.current = body;
      if (!navigator.onLine) return Promise.reject(new TypeError('offline'));
      return api<CaseDetail>('POST', '/api/v1/cases', body, { 'Idempotency-Key': idempotencyKey.current });
    },
    onSuccess: async (created) => {
      idempotencyKey.current = null;
      void message.success(t('case.form.created'));
      queryClient.setQueryData(caseKeys.detail(created.id), created);
      await queryClient.invalidateQueries({ queryKey: caseKeys.all });
      navigate(`/cases/${encodeURIComponent(created.id)}`, { replace: true });
    },
    onError: (error) => {
      // No network: keep the report on this device with the key it was sent with, and start a fresh form.
      if (isNetworkFailure(error, navigator.onLine) && user && lastBody.current) {
        try {
          reportQueue().enqueue(user.id, lastBody.current, lastBody.current.title, idempotencyKey.current!);
        } catch (storeError) {
          setFormError(storeError);
          return;
        }
        idempotencyKey.current = null;
        void message.warning(t('offline.queued'));
        form.resetFields();
        return;
      }
      // A refused request (4xx) will not be created by a retry: the next submission gets a fresh key.
      const status = (error as { status?: number }).status ?? 0;
      if (status >= 400 && status < 500) idempotencyKey.current = null;
      setFormError(applyIssues(form, aliasIssues(error), fieldNames) ? null : error);
    },
  });

  const defaultChannel: Channel =
    user?.role === 'grid_worker' ? 'patrol' : user?.role === 'intake_operator' ? 'hotline' : 'hotline';

  return (
    <div data-testid="page-case-create">
      <Button
        type="link"
        icon={<ArrowLeftOutlined />}
        onClick={() => navigate('/cases')}
        style={{ paddingInline: 0 }}
      >
        {t('case.detail.back')}
      </Button>
      <Card title={t('case.form.title')} size="small">
        <ProblemAlert error={formError} />
        <Form<Values>
          form={form}
          name="case-create"
          layout="vertical"
          initialValues={{ urgency: 'normal', channel: defaultChannel, lng: null, lat: null }}
          onValuesChange={(changed) => clearChangedErrors(form, changed)}
          onFinish={(v) => {
            setFormError(null);
            create.mutate(v);
          }}
          scrollToFirstError
        >
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="category" label={t('case.field.category')} rules={[{ required: true }]}>
                <Cascader
                  options={categoryOptions(categories.data ?? [], i18n.language, (k) =>
                    t(`case.kind.${k}`, { defaultValue: k }),
                  )}
                  placeholder={t('case.form.categoryPlaceholder')}
                  showSearch
                  loading={categories.isPending}
                  notFoundContent={categories.isPending ? <Spin size="small" /> : undefined}
                />
              </Form.Item>
              <Row gutter={12}>
                <Col span={12}>
                  <Form.Item name="urgency" label={t('case.field.urgency')} rules={[{ required: true }]}>
                    <Select options={urgencies.map((u) => ({ value: u, label: t(`case.urgency.${u}`) }))} />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item name="channel" label={t('case.field.channel')} rules={[{ required: true }]}>
                    <Select options={channels.map((c) => ({ value: c, label: t(`case.channel.${c}`) }))} />
                  </Form.Item>
                </Col>
              </Row>
              <Form.Item
                name="title"
                label={t('case.field.title')}
                rules={[{ required: true, whitespace: true, max: 100 }]}
              >
                <Input maxLength={100} />
              </Form.Item>
              <Form.Item
                name="description"
                label={t('case.field.description')}
                rules={[{ required: true, whitespace: true, max: 2000 }]}
              >
                <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={2000} showCount />
              </Form.Item>
              <Form.Item name="address" label={t('case.field.address')}>
                <Input maxLength={200} />
              </Form.Item>
              <Form.Item
                name="photos"
                label={t('citizen.report.photos')}
                extra={t('citizen.report.photosHint')}
              >
                <PhotoUpload endpoint="/api/v1/attachments" testId="case-create-photos" />
              </Form.Item>
              <Typography.Text strong>{t('case.form.reporter')}</Typography.Text>
              <Row gutter={12} style={{ marginTop: 8 }}>
                <Col span={12}>
                  <Form.Item name="reporterName" label={t('case.field.reporterName')}>
                    <Input maxLength={50} autoComplete="off" />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item name="reporterPhone" label={t('case.field.reporterPhone')}>
                    <Input inputMode="tel" maxLength={20} autoComplete="off" />
                  </Form.Item>
                </Col>
              </Row>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item label={t('case.field.location')} required extra={t('case.form.locationHint')}>
                <Suspense fallback={<Spin />}>
                  <CasePointMap
                    value={point}
                    onPick={([x, y]) => {
                      const round = (n: number) => Math.round(n * 1e6) / 1e6;
                      form.setFieldsValue({ lng: round(x), lat: round(y) });
                      clearChangedErrors(form, { lng: true, lat: true });
                    }}
                  />
                </Suspense>
              </Form.Item>
              <Row gutter={12}>
                <Col span={12}>
                  <Form.Item
                    name="lng"
                    label={t('case.field.lng')}
                    rules={[{ required: true, message: t('case.form.locationRequired') }]}
                  >
                    <InputNumber min={-180} max={180} step={0.0001} style={{ width: '100%' }} />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item
                    name="lat"
                    label={t('case.field.lat')}
                    rules={[{ required: true, message: t('case.form.locationRequired') }]}
                  >
                    <InputNumber min={-90} max={90} step={0.0001} style={{ width: '100%' }} />
                  </Form.Item>
                </Col>
              </Row>
              {'geolocation' in navigator && (
                <Button
                  icon={<AimOutlined />}
                  loading={locating}
                  onClick={() => fillFromGps(false)}
                  data-testid="case-use-gps"
                  style={{ marginBottom: 12 }}
                >
                  {t('offline.useGps')}
                </Button>
              )}
              <LocatePreview point={point} />
              <DuplicatesPanel />
            </Col>
          </Row>
          <Form.Item style={{ marginTop: 16, marginBottom: 0 }}>
            <Button
              type="primary"
              htmlType="submit"
              loading={create.isPending}
              data-testid="case-create-submit"
              block
              style={{ maxWidth: 240 }}
            >
              {t('case.form.submit')}
            </Button>
          </Form.Item>
        </Form>
      </Card>
    </div>
  );
}
