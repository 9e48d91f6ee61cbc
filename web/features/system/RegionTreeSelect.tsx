import { useQueryClient } from '@tanstack/react-query';
import { TreeSelect } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, itemsOf } from '../../app/api.ts';
import type { Paged, Region } from '../../app/api-types.ts';

interface Node {
  id: string;
  pId?: string;
  value: string;
  title: string;
  isLeaf: boolean;
}

export function fetchRegions(parentCode?: string): Promise<Region[]> {
  return get<Region[] | Paged<Region>>('/api/v1/regions', { parentCode }).then(itemsOf);
}

/** Picks a region code from the user's scope, loading the tree one level at a time. */
export function RegionTreeSelect({
  value,
  onChange,
  id,
}: {
  value?: string | null;
  onChange?: (value: string | null) => void;
  id?: string;
}) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [nodes, setNodes] = useState<Node[]>([]);
  const en = i18n.language === 'en';

  const toNodes = (regions: Region[], parent?: string): Node[] =>
    regions.map((r) => ({
      id: r.code,
      pId: parent,
      value: r.code,
      title: `${(en && r.nameEn) || r.name} · ${t(`level.${r.level}`)}`,
      isLeaf: r.childCount === 0,
    }));

  const load = async (parentCode?: string) => {
    const regions = await queryClient.fetchQuery({
      queryKey: ['regions', 'children', parentCode ?? null],
      queryFn: () => fetchRegions(parentCode),
    });
    setNodes((prev) => {
      const known = new Set(prev.map((n) => n.id));
      return [...prev, ...toNodes(regions, parentCode).filter((n) => !known.has(n.id))];
    });
  };

  useEffect(() => {
    void load().catch(() => undefined);
    // Load the roots once; children load on expand.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <TreeSelect
      id={id}
      allowClear
      showSearch={{ treeNodeFilterProp: 'title' }}
      value={value ?? undefined}
      onChange={(v: string | undefined) => onChange?.(v ?? null)}
      treeDataSimpleMode
      treeData={nodes}
      loadData={(node) => load(String(node.value))}
      placeholder={t('users.regionHint')}
      style={{ width: '100%' }}
    />
  );
}
