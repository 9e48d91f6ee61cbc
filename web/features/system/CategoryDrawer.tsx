import { PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Descriptions,
  Drawer,
  Flex,
  Form,
  Input,
  Radio,
  Select,
  Switch,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CatalogueItem } from '../../../src/contracts/taxonomy.schema.ts';
import type { TimeLimit } from '../../../src/domain/sla/time-limit.ts';
import { TimeLimitTable } from './TimeLimitTable.tsx';

interface Values {
  name: string;
  nameEn?: string;
  dispatchRule: CatalogueItem['dispatchRule'];
  requiresVerification: boolean;
  active: boolean;
  departmentHints: string[];
  aliases: string[];
  fileCondition?: string;
  closeCondition?: string;
}

/** Shows one category and, for the newest version, edits it into the pending changes. */
export function CategoryDrawer({
  item,
  items,
  defaults,
  readOnly,
  isNew,
  errors,
  onApply,
  onAddChild,
  onClose,
}: {
  item: CatalogueItem;
  items: readonly CatalogueItem[];
  defaults: Readonly<Record<string, readonly TimeLimit[]>>;
  readOnly: boolean;
  isNew: boolean;
  /** Server issues for this item: field (`name`, `timeLimits.2` …) → message. */
  errors: ReadonlyMap<string, string>;
  onApply: (item: CatalogueItem) => void;
  onAddChild: (parent: CatalogueItem) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [limits, setLimits] = useState<TimeLimit[]>([...item.timeLimits]);
  useEffect(() => {
    setLimits([...item.timeLimits]);
    form.resetFields();
  }, [item, form]);

  const limitErrors = new Set(
    [...errors.keys()].filter((k) => k.startsWith('timeLimits.')).map((k) => Number(k.split('.')[1])),
  );
  const fieldError = (name: string) => {
    const message = errors.get(name);
    return message ? { validateStatus: 'error' as const, help: message } : {};
  };
  const otherErrors = [...errors.entries()].filter(
    ([k]) => !['name', 'nameEn', 'active'].includes(k) && !k.startsWith('timeLimits.'),
  );

  const submit = (v: Values) =>
    onApply({
      ...item,
      name: v.name.trim(),
      nameEn: v.nameEn?.trim() || null,
      dispatchRule: v.dispatchRule,
      requiresVerification: v.requiresVerification,
      active: v.active,
      departmentHints: v.departmentHints.map((h) => h.trim()).filter(Boolean),
      aliases: v.aliases.map((h) => h.trim()).filter(Boolean),
      fileCondition: v.fileCondition?.trim() || null,
      closeCondition: v.closeCondition?.trim() || null,
      timeLimits: limits,
    });

  return (
    <Drawer
      open
      size="large"
      onClose={onClose}
      title={
        <Flex gap={8} align="center" wrap>
          <code>{item.code}</code>
          <span>{item.name || t('catalogue.newCategory')}</span>
          {!item.active && <Tag>{t('common.disabled')}</Tag>}
        </Flex>
      }
      extra={
        !readOnly && (
          <Flex gap={8}>
            {item.level !== 'item' && !(item.level === 'minor' && item.kind !== 'hotline') && (
              <Button icon={<PlusOutlined />} onClick={() => onAddChild(item)} disabled={isNew}>
                {t('catalogue.addChild')}
              </Button>
            )}
            <Button type="primary" onClick={() => form.submit()} data-testid="category-apply">
              {t('catalogue.apply')}
            </Button>
          </Flex>
        )
      }
      data-testid="category-drawer"
    >
      {otherErrors.length > 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={otherErrors.map(([k, m]) => `${k}: ${m}`).join('；')}
        />
      )}
      <Descriptions size="small" column={2} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('catalogue.kind')}>{t(`case.kind.${item.kind}`)}</Descriptions.Item>
        <Descriptions.Item label={t('catalogue.level')}>
          {t(`catalogue.levels.${item.level}`)}
        </Descriptions.Item>
        <Descriptions.Item label={t('catalogue.parent')}>
          {item.parentCode ?? t('common.none')}
        </Descriptions.Item>
        <Descriptions.Item label={t('catalogue.gbCode')}>{item.gbCode ?? t('common.none')}</Descriptions.Item>
      </Descriptions>
      <Form<Values>
        form={form}
        layout="vertical"
        disabled={readOnly}
        name="category"
        initialValues={{
          name: item.name,
          nameEn: item.nameEn ?? undefined,
          dispatchRule: item.dispatchRule,
          requiresVerification: item.requiresVerification,
          active: item.active,
          departmentHints: [...item.departmentHints],
          aliases: [...item.aliases],
          fileCondition: item.fileCondition ?? undefined,
          closeCondition: item.closeCondition ?? undefined,
        }}
        onFinish={submit}
      >
        <Flex gap={12} wrap>
          <Form.Item
            name="name"
            label={t('catalogue.name')}
            rules={[{ required: true, whitespace: true }]}
            style={{ flex: '1 1 200px' }}
            {...fieldError('name')}
          >
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="nameEn" label={t('catalogue.nameEn')} style={{ flex: '1 1 200px' }}>
            <Input maxLength={200} />
          </Form.Item>
        </Flex>
        <Flex gap={24} wrap>
          <Form.Item name="dispatchRule" label={t('catalogue.dispatchRule')}>
            <Radio.Group
              options={(['owner_first', 'territory_first'] as const).map((r) => ({
                value: r,
                label: t(`catalogue.dispatchRules.${r}`),
              }))}
            />
          </Form.Item>
          <Form.Item
            name="requiresVerification"
            label={t('catalogue.requiresVerification')}
            valuePropName="checked"
          >
            <Switch />
          </Form.Item>
          <Form.Item
            name="active"
            label={t('common.enabled')}
            valuePropName="checked"
            {...fieldError('active')}
          >
            <Switch data-testid="category-active" />
          </Form.Item>
        </Flex>
        <Form.Item name="departmentHints" label={t('catalogue.departmentHints')}>
          <Select mode="tags" tokenSeparators={[',', '，']} open={false} />
        </Form.Item>
        <Form.Item name="aliases" label={t('catalogue.aliases')}>
          <Select mode="tags" tokenSeparators={[',', '，']} open={false} />
        </Form.Item>
        <Form.Item name="fileCondition" label={t('catalogue.fileCondition')}>
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={2000} />
        </Form.Item>
        <Form.Item name="closeCondition" label={t('catalogue.closeCondition')}>
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={2000} />
        </Form.Item>
      </Form>
      <Typography.Title level={5}>{t('catalogue.timeLimits')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('catalogue.timeLimitsHint')}</Typography.Paragraph>
      <TimeLimitTable
        item={item}
        items={items}
        defaults={defaults}
        value={limits}
        onChange={setLimits}
        readOnly={readOnly}
        errors={limitErrors}
      />
    </Drawer>
  );
}
