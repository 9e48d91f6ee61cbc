import { HistoryOutlined, PlusOutlined, SendOutlined, UndoOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Dropdown,
  Empty,
  Flex,
  Input,
  Modal,
  Select,
  Spin,
  Tag,
  Tree,
  Typography,
} from 'antd';
import type { DataNode } from 'antd/es/tree';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CatalogueChange } from '../../../src/contracts/taxonomy.schema.ts';
import type { CategoryKind } from '../../../src/domain/taxonomy/category.ts';
import { ApiError, post } from '../../app/api.ts';
import { useAuth } from '../../app/auth.tsx';
import { ProblemAlert, useErrorMessage } from '../../ui/problem.tsx';
import {
  catalogueTree,
  changesOf,
  effectiveItems,
  issueTarget,
  newChild,
  type TreeNode,
} from './catalogue-edit.ts';
import { CatalogueVersionsDrawer } from './CatalogueVersionsDrawer.tsx';
import { CategoryDrawer } from './CategoryDrawer.tsx';
import {
  itemLabel,
  taxonomyKeys,
  useCatalogueVersion,
  useCatalogueVersions,
  type CatalogueItem,
  type CatalogueVersionView,
} from './taxonomy-api.ts';

/**
 * 类别目录: the category catalogue as a tree. Administrators edit categories and their time limits into pending
 * changes and publish them as a new version; older versions can be viewed (cases filed under them keep them).
 */
export default function CategoriesPage() {
  const { t, i18n } = useTranslation();
  const { can, systemWide } = useAuth();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const queryClient = useQueryClient();
  const versions = useCatalogueVersions();
  const latest = versions.data?.items.find((v) => v.current)?.version ?? null;
  const [viewing, setViewing] = useState<number | null>(null);
  const shown = viewing ?? latest;
  const version = useCatalogueVersion(shown);
  const editable = can('catalogue.manage') && systemWide && shown !== null && shown === latest;

  const [pending, setPending] = useState<Map<string, CatalogueItem>>(new Map());
  const [selected, setSelected] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const [history, setHistory] = useState(false);
  const [publishing, setPublishing] = useState(false);
  const [note, setNote] = useState('');
  const [issues, setIssues] = useState<Map<string, Map<string, string>>>(new Map());
  const [publishError, setPublishError] = useState<unknown>(null);

  const base = useMemo(() => version.data?.items ?? [], [version.data]);
  const items = useMemo(() => (editable ? effectiveItems(base, pending) : base), [base, pending, editable]);
  const tree = useMemo(() => catalogueTree(items, filter), [items, filter]);
  const isNew = (code: string) => !base.some((i) => i.code === code);
  const selectedItem = items.find((i) => i.code === selected) ?? null;

  const publish = useMutation({
    mutationFn: (changes: CatalogueChange[]) =>
      post<CatalogueVersionView>('/api/v1/categories/versions', {
        note: note.trim(),
        basedOn: latest,
        changes,
      }),
    onSuccess: async (v) => {
      void message.success(t('catalogue.published', { version: v.version }));
      queryClient.setQueryData(taxonomyKeys.version(v.version), v);
      setPending(new Map());
      setIssues(new Map());
      setViewing(null);
      setPublishing(false);
      setNote('');
      await queryClient.invalidateQueries({ queryKey: taxonomyKeys.versions });
      await queryClient.invalidateQueries({ queryKey: ['categories'], exact: true });
    },
    onError: (error, changes) => {
      const byCode = new Map<string, Map<string, string>>();
      if (error instanceof ApiError) {
        for (const issue of error.problem.issues ?? []) {
          const target = issueTarget(issue.field, changes);
          if (!target) continue;
          const fields = byCode.get(target.code) ?? new Map<string, string>();
          fields.set(target.field || 'code', issue.message);
          byCode.set(target.code, fields);
        }
      }
      setIssues(byCode);
      setPublishError(error);
    },
  });

  const apply = (item: CatalogueItem) => {
    const next = new Map(pending);
    const original = base.find((i) => i.code === item.code);
    if (original && JSON.stringify(original) === JSON.stringify(item)) next.delete(item.code);
    else next.set(item.code, item);
    setPending(next);
    const rest = new Map(issues);
    rest.delete(item.code);
    setIssues(rest);
    setSelected(null);
  };
  const add = (parent: CatalogueItem | null, kind: CategoryKind) => {
    const child = newChild(items, parent, kind);
    if (!child) return void message.error(t('catalogue.noFreeCode'));
    setPending(new Map(pending).set(child.code, child));
    setSelected(child.code);
  };

  const title = (node: TreeNode) => {
    if (!node.item) return <Typography.Text strong>{t(`case.kind.${node.kind}`)}</Typography.Text>;
    const i = node.item;
    return (
      <span data-testid={`category-node-${i.code}`}>
        <code style={{ marginInlineEnd: 6 }}>{i.code}</code>
        <Typography.Text delete={!i.active} type={i.active ? undefined : 'secondary'}>
          {itemLabel(i, i18n.language) || t('catalogue.newCategory')}
        </Typography.Text>
        {i.timeLimits.length > 0 && <Tag style={{ marginInlineStart: 6 }}>{t('catalogue.ownLimits')}</Tag>}
        {pending.has(i.code) && (
          <Tag color={isNew(i.code) ? 'green' : 'orange'}>
            {isNew(i.code) ? t('catalogue.added') : t('catalogue.modified')}
          </Tag>
        )}
        {issues.has(i.code) && <Tag color="red">{t('catalogue.hasErrors')}</Tag>}
      </span>
    );
  };
  const toTreeData = (nodes: TreeNode[]): DataNode[] =>
    nodes.map((n) => ({ key: n.key, title: title(n), children: toTreeData(n.children) }));

  return (
    <div data-testid="page-system-categories">
      {can('catalogue.manage') && !systemWide && (
        <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('system.systemWideOnly')} />
      )}
      <Flex wrap gap={12} justify="space-between" style={{ marginBottom: 16 }}>
        <Flex wrap gap={8} align="center">
          <Select<number>
            style={{ width: 280 }}
            loading={versions.isFetching}
            value={shown ?? undefined}
            onChange={(v) => setViewing(v === latest ? null : v)}
            options={(versions.data?.items ?? []).map((v) => ({
              value: v.version,
              label: `v${v.version} · ${v.note}${v.current ? ` (${t('catalogue.current')})` : ''}`,
            }))}
            data-testid="catalogue-version-select"
          />
          <Input.Search
            allowClear
            placeholder={t('catalogue.searchPlaceholder')}
            style={{ width: 220 }}
            onSearch={setFilter}
            onChange={(e) => !e.target.value && setFilter('')}
          />
          <Button icon={<HistoryOutlined />} onClick={() => setHistory(true)}>
            {t('catalogue.history')}
          </Button>
        </Flex>
        {editable && (
          <Flex wrap gap={8} align="center">
            {pending.size > 0 && <Tag color="orange">{t('catalogue.pending', { count: pending.size })}</Tag>}
            <Dropdown
              menu={{
                items: (['component', 'event', 'hotline'] as const).map((k) => ({
                  key: k,
                  label: t(`case.kind.${k}`),
                  onClick: () => add(null, k),
                })),
              }}
            >
              <Button icon={<PlusOutlined />}>{t('catalogue.addMajor')}</Button>
            </Dropdown>
            <Button
              icon={<UndoOutlined />}
              disabled={pending.size === 0}
              onClick={() => {
                setPending(new Map());
                setIssues(new Map());
              }}
            >
              {t('catalogue.discard')}
            </Button>
            <Button
              type="primary"
              icon={<SendOutlined />}
              disabled={pending.size === 0}
              onClick={() => {
                setPublishError(null);
                setPublishing(true);
              }}
              data-testid="catalogue-publish"
            >
              {t('catalogue.publish')}
            </Button>
          </Flex>
        )}
      </Flex>
      {!editable && shown !== null && latest !== null && shown !== latest && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('catalogue.oldVersion', { version: shown })}
        />
      )}
      <ProblemAlert error={versions.error ?? version.error} />
      {version.isPending ? (
        <Spin />
      ) : items.length === 0 ? (
        <Empty />
      ) : (
        <Tree
          showLine
          blockNode
          height={640}
          defaultExpandedKeys={['kind:component', 'kind:event', 'kind:hotline']}
          {...(filter ? { expandedKeys: expandAll(tree) } : {})}
          treeData={toTreeData(tree)}
          selectedKeys={selected ? [selected] : []}
          onSelect={(keys) => {
            const key = String(keys[0] ?? '');
            if (key && !key.startsWith('kind:')) setSelected(key);
          }}
        />
      )}
      {selectedItem && version.data && (
        <CategoryDrawer
          item={selectedItem}
          items={items}
          defaults={version.data.defaults}
          readOnly={!editable}
          isNew={isNew(selectedItem.code)}
          errors={issues.get(selectedItem.code) ?? new Map()}
          onApply={apply}
          onAddChild={(p) => add(p, p.kind)}
          onClose={() => {
            // A new category left without a name is dropped again.
            if (isNew(selectedItem.code) && !selectedItem.name) {
              const next = new Map(pending);
              next.delete(selectedItem.code);
              setPending(next);
            }
            setSelected(null);
          }}
        />
      )}
      {history && (
        <CatalogueVersionsDrawer
          onClose={() => setHistory(false)}
          onOpen={(v) => {
            setViewing(v === latest ? null : v);
            setHistory(false);
          }}
        />
      )}
      <Modal
        open={publishing}
        title={t('catalogue.publishTitle', { version: (latest ?? 0) + 1 })}
        okText={t('catalogue.publish')}
        cancelText={t('common.cancel')}
        okButtonProps={{ disabled: !note.trim() }}
        confirmLoading={publish.isPending}
        onOk={() => publish.mutate(changesOf(pending))}
        onCancel={() => setPublishing(false)}
      >
        <Typography.Paragraph>{t('catalogue.publishHint', { count: pending.size })}</Typography.Paragraph>
        {publishError != null && (
          <Alert type="error" showIcon style={{ marginBottom: 12 }} title={errorMessage(publishError)} />
        )}
        <Input.TextArea
          data-testid="catalogue-note"
          value={note}
          onChange={(e) => setNote(e.target.value)}
          maxLength={500}
          autoSize={{ minRows: 2, maxRows: 5 }}
          placeholder={t('catalogue.notePlaceholder')}
        />
      </Modal>
    </div>
  );
}

function expandAll(nodes: TreeNode[]): string[] {
  return nodes.flatMap((n) => (n.children.length ? [n.key, ...expandAll(n.children)] : []));
}
