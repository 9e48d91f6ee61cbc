import { UploadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, AutoComplete, Button, Form, Input, Progress, Select, Space, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportJobView } from '../../../src/contracts/spatial.schema.ts';
import { get, post } from '../../app/api.ts';
import { ProblemAlert } from '../../ui/problem.tsx';
import { ImportReportTable } from './ImportReportTable.tsx';

type Kind = 'regions' | 'grids' | 'layer';
interface Values {
  kind: Kind;
  crs: 'wgs84' | 'gcj02' | 'bd09';
  code: string;
  name: string;
  parentCode?: string;
  department?: string;
  layerCode?: string;
  layerName?: string;
  layerKind?: 'responsibility_zone' | 'supervision_unit' | 'other';
}

/** Reads the first feature's property names of a GeoJSON file, for the mapping fields (zip files: typed by hand). */
async function propertyNames(file: File): Promise<string[]> {
  if (!/\.(geo)?json$/i.test(file.name) || file.size > 50 * 1024 * 1024) return [];
  try {
    const doc = JSON.parse(await file.text()) as { features?: { properties?: Record<string, unknown> }[] };
    return Object.keys(doc.features?.[0]?.properties ?? {});
  } catch {
    return [];
  }
}

const guess = (names: string[], ...candidates: string[]) =>
  names.find((n) => candidates.includes(n.toLowerCase())) ?? undefined;

export default function ImportPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('kind', form);
  const [file, setFile] = useState<File | null>(null);
  const [props, setProps] = useState<string[]>([]);
  const [jobId, setJobId] = useState<string | null>(null);
  const [submitError, setSubmitError] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);

  const job = useQuery({
    queryKey: ['spatial-import', jobId],
    queryFn: () => get<ImportJobView>(`/api/v1/spatial/imports/${jobId}`),
    enabled: jobId !== null,
    refetchInterval: (q) => (q.state.data && ['done', 'failed'].includes(q.state.data.status) ? false : 500),
  });

  const chooseFile = async (f: File) => {
    setFile(f);
    setJobId(null);
    const names = await propertyNames(f);
    setProps(names);
    form.setFieldsValue({
      code: guess(names, 'code', 'gridcode', 'dm', 'bm') ?? form.getFieldValue('code'),
      name: guess(names, 'name', 'mc', 'gridname') ?? form.getFieldValue('name'),
      parentCode: guess(names, 'pcode', 'parent', 'parentcode', 'sqdm') ?? form.getFieldValue('parentCode'),
    });
    return false;
  };

  const submit = async (dryRun: boolean) => {
    const v = await form.validateFields();
    if (!file) return;
    const mapping = {
      code: v.code,
      name: v.name,
      ...(v.parentCode ? { parentCode: v.parentCode } : {}),
      ...(v.department ? { department: v.department } : {}),
    };
    const data = new FormData();
    data.set('kind', v.kind);
    data.set('crs', v.crs);
    data.set('mapping', JSON.stringify(mapping));
    data.set('dryRun', String(dryRun));
    if (v.kind === 'layer') {
      if (v.layerCode) data.set('layerCode', v.layerCode);
      if (v.layerName) data.set('layerName', v.layerName);
      if (v.layerKind) data.set('layerKind', v.layerKind);
    }
    data.set('file', file, file.name);
    setSubmitting(true);
    setSubmitError(null);
    try {
      const r = await post<{ jobId: string }>('/api/v1/spatial/imports', data);
      setJobId(r.jobId);
    } catch (error) {
      setSubmitError(error);
    } finally {
      setSubmitting(false);
    }
  };

  const view = job.data;
  const running = view !== undefined && !['done', 'failed'].includes(view.status);
  const propInput = (
    <AutoComplete options={props.map((p) => ({ value: p }))} placeholder={t('spatial.propPlaceholder')} />
  );

  return (
    <div data-testid="page-spatial-import">
      <Typography.Title level={4}>{t('spatial.title')}</Typography.Title>
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{ kind: 'grids', crs: 'wgs84', code: 'code', name: 'name' }}
        style={{ maxWidth: 640 }}
      >
        <Form.Item label={t('spatial.file')} extra={t('spatial.fileHint')} required>
          <Upload
            accept=".geojson,.json,.zip"
            maxCount={1}
            beforeUpload={chooseFile}
            onRemove={() => setFile(null)}
            fileList={file ? [{ uid: '1', name: file.name }] : []}
          >
            <Button icon={<UploadOutlined />}>{t('spatial.chooseFile')}</Button>
          </Upload>
        </Form.Item>
        <Space wrap size="large" style={{ display: 'flex' }}>
          <Form.Item name="kind" label={t('spatial.kind')}>
            <Select
              style={{ width: 220 }}
              options={(['regions', 'grids', 'layer'] as const).map((k) => ({
                value: k,
                label: t(`spatial.kinds.${k}`),
              }))}
            />
          </Form.Item>
          <Form.Item name="crs" label={t('spatial.crs')}>
            <Select
              style={{ width: 220 }}
              options={(['wgs84', 'gcj02', 'bd09'] as const).map((c) => ({
                value: c,
                label: t(`spatial.crsNames.${c}`),
              }))}
            />
          </Form.Item>
        </Space>
        <Typography.Title level={5} style={{ marginTop: 0 }}>
          {t('spatial.mapping')}
        </Typography.Title>
        <Space wrap size="large" style={{ display: 'flex' }}>
          <Form.Item name="code" label={t('spatial.codeProp')} rules={[{ required: true }]}>
            {propInput}
          </Form.Item>
          <Form.Item name="name" label={t('spatial.nameProp')} rules={[{ required: true }]}>
            {propInput}
          </Form.Item>
          <Form.Item name="parentCode" label={t('spatial.parentProp')}>
            {propInput}
          </Form.Item>
          {kind === 'layer' && (
            <Form.Item name="department" label={t('spatial.departmentProp')}>
              {propInput}
            </Form.Item>
          )}
        </Space>
        {kind === 'layer' && (
          <Space wrap size="large" style={{ display: 'flex' }}>
            <Form.Item name="layerCode" label={t('spatial.layerCode')} rules={[{ required: true }]}>
              <Input style={{ width: 160 }} />
            </Form.Item>
            <Form.Item name="layerName" label={t('spatial.layerName')}>
              <Input style={{ width: 200 }} />
            </Form.Item>
            <Form.Item name="layerKind" label={t('spatial.layerKind')}>
              <Select
                style={{ width: 180 }}
                options={(['responsibility_zone', 'supervision_unit', 'other'] as const).map((k) => ({
                  value: k,
                  label: t(`spatial.layerKinds.${k}`),
                }))}
              />
            </Form.Item>
          </Space>
        )}
        <Space style={{ display: 'flex' }}>
          <Button
            disabled={!file || running}
            loading={submitting}
            onClick={() => void submit(true)}
            data-testid="spatial-validate"
          >
            {t('spatial.validate')}
          </Button>
          <Button
            type="primary"
            disabled={!file || running}
            loading={submitting}
            onClick={() => void submit(false)}
            data-testid="spatial-import"
          >
            {t('spatial.import')}
          </Button>
        </Space>
      </Form>
      {submitError !== null && <ProblemAlert error={submitError} testId="spatial-import-error" />}
      {view && (
        <div style={{ marginTop: 24 }}>
          <Progress
            percent={Math.round(view.progress * 100)}
            status={view.status === 'failed' ? 'exception' : view.status === 'done' ? 'success' : 'active'}
            format={(p) => `${p}% ${t(`spatial.status.${view.status}`)}`}
          />
          {view.status === 'done' && (
            <Alert type="success" showIcon title={t(view.dryRun ? 'spatial.accepted' : 'spatial.imported')} />
          )}
          {view.status === 'failed' && (
            <Alert
              type="error"
              showIcon
              title={t(view.report?.errors.length ? 'spatial.refused' : 'spatial.crashed')}
            />
          )}
          {view.report && (
            <>
              <Typography.Title level={5} style={{ marginTop: 16 }}>
                {t('spatial.report')}
              </Typography.Title>
              <ImportReportTable report={view.report} />
            </>
          )}
        </div>
      )}
    </div>
  );
}
