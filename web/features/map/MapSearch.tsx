import { AutoComplete, Input, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSpatialSearch, type SearchHit } from './spatial-api.ts';

const typeColor = { region: 'geekblue', grid: 'green', layer_feature: 'orange' } as const;
const regionLevels = ['province', 'city', 'district', 'street', 'community'];

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/** Search by code or name; picking a hit (or Enter on the first one) hands it to the map. */
export function MapSearch({ onPick }: { onPick(hit: SearchHit): void }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  // Controlled so that picking a hit closes the list even though the text (and so the query) changes.
  const [open, setOpen] = useState(false);
  const query = useDebounced(text, 250);
  const search = useSpatialSearch(query);
  const hits = query.trim() ? (search.data ?? []) : [];
  const keyOf = (hit: SearchHit) => `${hit.type}:${hit.code}`;

  return (
    <AutoComplete
      value={text}
      onChange={setText}
      onSearch={() => setOpen(true)}
      open={open && Boolean(query.trim())}
      onOpenChange={setOpen}
      style={{ width: '100%' }}
      popupMatchSelectWidth
      notFoundContent={query.trim() && !search.isFetching ? t('map.searchEmpty') : null}
      options={hits.map((hit) => ({
        value: keyOf(hit),
        label: (
          <div
            data-testid="map-search-option"
            data-code={hit.code}
            style={{ display: 'flex', alignItems: 'center', gap: 6, minWidth: 0 }}
          >
            <Tag color={typeColor[hit.kind]} style={{ marginInlineEnd: 0 }}>
              {regionLevels.includes(hit.type) ? t(`level.${hit.type}`) : t(`map.type.${hit.kind}`)}
            </Tag>
            <span style={{ overflow: 'hidden', textOverflow: 'ellipsis', flex: 1 }}>{hit.name}</span>
            <code style={{ fontSize: 11, color: '#8c8c8c' }}>{hit.code}</code>
          </div>
        ),
      }))}
      onSelect={(value: string) => {
        const hit = hits.find((h) => keyOf(h) === value);
        if (!hit) return;
        setText(hit.name);
        setOpen(false);
        // Drop the focus so the list closes (and a phone's keyboard goes away) while the map flies.
        (document.activeElement as HTMLElement | null)?.blur();
        onPick(hit);
      }}
    >
      <Input.Search
        allowClear
        placeholder={t('map.searchPlaceholder')}
        data-testid="map-search"
        loading={search.isFetching}
        onSearch={(value, _e, info) => {
          if (info?.source === 'clear' || !value.trim()) return;
          const first = hits[0];
          if (first) onPick(first);
        }}
      />
    </AutoComplete>
  );
}
