import { CheckCircleFilled, EnvironmentOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Cascader,
  Col,
  Flex,
  Form,
  Input,
  InputNumber,
  Radio,
  Result,
  Row,
  Spin,
  Typography,
} from 'antd';
import { lazy, Suspense, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../../app/api.ts';
import { applyIssues, clearChangedErrors, ProblemAlert } from '../../ui/problem.tsx';
import { categoryOptions } from '../case/category-options.ts';
import type { LngLat } from '../case/CasePointMap.tsx';
import { PhotoUpload } from './PhotoUpload.tsx';
import { publicApi, type PublicCaseCreated } from './public-api.ts';
import { PublicLayout } from './PublicLayout.tsx';

const CasePointMap = lazy(() => import('../case/CasePointMap.tsx'));

/** What a citizen may say about urgency (complex 疑难 is decided by staff). */
const citizenUrgencies = ['normal', 'urgent', 'emergency'] as const;

interface Values {
  category: string[];
  urgency: (typeof citizenUrgencies)[number];
  title: string;
  description?: string;
  lng: number | null;
  lat: number | null;
  address?: string;
  photos?: string[];
  reporterName?: string;
  reporterPhone?: string;
}

const fieldNames = ['category', 'urgency', 'title', 'description', 'lng', 'address', 'photos'];
const aliases: Record<string, string> = {
  categoryCode: 'category',
  location: 'lng',
  lat: 'lng',
  name: 'reporterName',
  phone: 'reporterPhone',
};

function aliasIssues(error: unknown): unknown {
  if (error instanceof ApiError) {
    error.problem.issues?.forEach((issue) => {
      const parts = issue.field.split('.');
      const named = parts.find((p) => aliases[p] || fieldNames.includes(p)) ?? parts[parts.length - 1]!;
      issue.field = aliases[named] ?? named;
    });
  }
  return error;
}

function WhereIs({ point }: { point: LngLat | null }) {
  const { t } = useTranslation();
  const where = useQuery({
    queryKey: ['public', 'locate', point?.[0].toFixed(6), point?.[1].toFixed(6)],
    queryFn: () => publicApi.locate(point![0], point![1]),
    enabled: Boolean(point),
    staleTime: 60_000,
  });
  if (!point || !where.data) return null;
  return where.data.inside ? (
    <Alert
      type="success"
      showIcon
      icon={<EnvironmentOutlined />}
      data-testid="report-locate"
      title={t('citizen.report.inside', {
        street: where.data.streetName ?? '',
        community: where.data.communityName ?? '',
      })}
    />
  ) : (
    <Alert type="warning" showIcon data-testid="report-locate" title={t('citizen.report.outside')} />
  );
}

function Success({ created, onAnother }: { created: PublicCaseCreated; onAnother: () => void }) {
  const { t } = useTranslation();
  const link = `${window.location.origin}${created.trackingUrl}`;
  return (
    <Card data-testid="report-success">
      <Result
        status="success"
        icon={<CheckCircleFilled />}
        title={t('citizen.success.title')}
        subTitle={t('citizen.success.keep')}
        style={{ paddingInline: 0 }}
      />
      <Flex vertical gap={12}>
        <div>
          <Typography.Text type="secondary">{t('citizen.success.code')}</Typography.Text>
          <Typography.Title level={3} copyable style={{ margin: 0 }} data-testid="report-code">
            {created.code}
          </Typography.Title>
        </div>
        <div>
          <Typography.Text type="secondary">{t('citizen.success.link')}</Typography.Text>
          <Typography.Paragraph copyable={{ text: link }} style={{ wordBreak: 'break-all', marginBottom: 0 }}>
            <Link to={created.trackingUrl} data-testid="report-track-link">
              {link}
            </Link>
          </Typography.Paragraph>
        </div>
        <Flex gap={8} wrap>
          <Link to={created.trackingUrl}>
            <Button type="primary" data-testid="report-open-track">
              {t('citizen.success.open')}
            </Button>
          </Link>
          <Button onClick={onAnother} data-testid="report-another">
            {t('citizen.success.another')}
          </Button>
        </Flex>
      </Flex>
    </Card>
  );
}

/** 我要报事: the citizen's report form — no account, mobile first. */
export default function ReportPage() {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [formError, setFormError] = useState<unknown>(null);
  const [created, setCreated] = useState<PublicCaseCreated | null>(null);
  const [formKey, setFormKey] = useState(0);
  // One key per submission: a retry after a network failure repeats it, so the server files one case.
  const idempotencyKey = useRef<string | null>(null);
  const categories = useQuery({
    queryKey: ['public', 'categories'],
    queryFn: publicApi.categories,
    staleTime: 10 * 60_000,
  });

  const lng = Form.useWatch('lng', form);
  const lat = Form.useWatch('lat', form);
  const point: LngLat | null =
    typeof lng === 'number' && typeof lat === 'number' && Number.isFinite(lng) && Number.isFinite(lat)
      ? [lng, lat]
      : null;

  const submit = useMutation({
    mutationFn: (v: Values) => {
      idempotencyKey.current ??= crypto.randomUUID();
      const name = v.reporterName?.trim() || undefined;
      const phone = v.reporterPhone?.trim() || undefined;
      return publicApi.report(
        {
          categoryCode: v.category[v.category.length - 1]!,
          urgency: v.urgency,
          title: v.title.trim(),
          description: v.description?.trim() ?? '',
          location: { lng: v.lng!, lat: v.lat!, crs: 'wgs84' },
          address: v.address?.trim() || undefined,
          photos: v.photos?.length ? v.photos : undefined,
          reporter: name || phone ? { name, phone } : undefined,
        },
        idempotencyKey.current,
      );
    },
    onSuccess: (result) => {
      idempotencyKey.current = null;
      setCreated(result);
      window.scrollTo({ top: 0 });
    },
    onError: (error) => {
      const status = error instanceof ApiError ? error.status : 0;
      if (status >= 400 && status < 500) idempotencyKey.current = null;
      setFormError(
        applyIssues(form, aliasIssues(error), [...fieldNames, 'reporterName', 'reporterPhone'])
          ? null
          : error,
      );
    },
  });

  if (created) {
    return (
      <PublicLayout testId="page-report">
        <Success
          created={created}
          onAnother={() => {
            setCreated(null);
            setFormKey((k) => k + 1);
          }}
        />
      </PublicLayout>
    );
  }

  return (
    <PublicLayout testId="page-report">
      <Card title={t('citizen.report.title')} size="small">
        <Typography.Paragraph type="secondary">{t('citizen.report.intro')}</Typography.Paragraph>
        <ProblemAlert error={formError} testId="report-error" />
        <Form<Values>
          key={formKey}
          form={form}
          name="citizen-report"
          layout="vertical"
          initialValues={{ urgency: 'normal', lng: null, lat: null }}
          onValuesChange={(changed) => clearChangedErrors(form, changed)}
          onFinish={(v) => {
            setFormError(null);
            submit.mutate(v);
          }}
          scrollToFirstError
        >
          <Form.Item name="category" label={t('citizen.report.category')} rules={[{ required: true }]}>
            <Cascader
              data-testid="report-category"
              options={categoryOptions(categories.data?.items ?? [], i18n.language, (k) =>
                t(`case.kind.${k}`, { defaultValue: k }),
              )}
              placeholder={t('citizen.report.categoryPlaceholder')}
              showSearch
              loading={categories.isPending}
              notFoundContent={categories.isPending ? <Spin size="small" /> : undefined}
            />
          </Form.Item>
          <Form.Item
            name="title"
            label={t('citizen.report.what')}
            rules={[{ required: true, whitespace: true, max: 100 }]}
          >
            <Input
              maxLength={100}
              placeholder={t('citizen.report.whatPlaceholder')}
              data-testid="report-title"
            />
          </Form.Item>
          <Form.Item name="description" label={t('citizen.report.description')} rules={[{ max: 2000 }]}>
            <Input.TextArea
              autoSize={{ minRows: 3, maxRows: 8 }}
              maxLength={2000}
              showCount
              placeholder={t('citizen.report.descriptionPlaceholder')}
              data-testid="report-description"
            />
          </Form.Item>
          <Form.Item name="urgency" label={t('citizen.report.urgency')}>
            <Radio.Group
              data-testid="report-urgency"
              options={citizenUrgencies.map((u) => ({
                value: u,
                label: <span data-testid={`report-urgency-${u}`}>{t(`case.urgency.${u}`)}</span>,
              }))}
            />
          </Form.Item>
          <Form.Item label={t('citizen.report.location')} required extra={t('citizen.report.locationHint')}>
            <Suspense fallback={<Spin />}>
              <CasePointMap
                value={point}
                outlines="public"
                height={260}
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
                rules={[{ required: true, message: t('citizen.report.locationRequired') }]}
              >
                <InputNumber
                  min={-180}
                  max={180}
                  step={0.0001}
                  style={{ width: '100%' }}
                  data-testid="report-lng"
                />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item
                name="lat"
                label={t('case.field.lat')}
                rules={[{ required: true, message: t('citizen.report.locationRequired') }]}
              >
                <InputNumber
                  min={-90}
                  max={90}
                  step={0.0001}
                  style={{ width: '100%' }}
                  data-testid="report-lat"
                />
              </Form.Item>
            </Col>
          </Row>
          <div style={{ marginBottom: 16 }}>
            <WhereIs point={point} />
          </div>
          <Form.Item name="address" label={t('citizen.report.address')}>
            <Input maxLength={200} data-testid="report-address" />
          </Form.Item>
          <Form.Item name="photos" label={t('citizen.report.photos')} extra={t('citizen.report.photosHint')}>
            <PhotoUpload endpoint="/api/v1/public/attachments" testId="report-photos" />
          </Form.Item>
          <Typography.Text strong>{t('citizen.report.contact')}</Typography.Text>
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 4 }}>
            {t('citizen.report.contactHint')}
          </Typography.Paragraph>
          <Row gutter={12}>
            <Col xs={24} sm={12}>
              <Form.Item name="reporterName" label={t('citizen.report.name')}>
                <Input maxLength={50} autoComplete="name" data-testid="report-name" />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item
                name="reporterPhone"
                label={t('citizen.report.phone')}
                rules={[{ pattern: /^[0-9+\-\s]{5,20}$/, message: t('citizen.report.phoneFormat') }]}
              >
                <Input inputMode="tel" maxLength={20} autoComplete="tel" data-testid="report-phone" />
              </Form.Item>
            </Col>
          </Row>
          <Button
            type="primary"
            htmlType="submit"
            size="large"
            block
            loading={submit.isPending}
            data-testid="report-submit"
          >
            {t('citizen.report.submit')}
          </Button>
        </Form>
      </Card>
    </PublicLayout>
  );
}
