import { AimOutlined, DownOutlined, UpOutlined } from '@ant-design/icons';
import { Button, Checkbox, Divider, Flex, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { baseToggles, layerKindColor, palette, type BaseToggle } from '../../map/style.ts';
import type { SpatialLayer } from './spatial-api.ts';

export type Toggles = Record<string, boolean>;
export const dataLayerToggle = (id: string) => `layer:${id}`;

const swatch: Record<BaseToggle, ReactNode> = {
  district: <LineSwatch color={palette.district} width={4} />,
  street: <LineSwatch color={palette.street} width={3} />,
  community: <LineSwatch color={palette.community} width={1.5} />,
  grids: <FillSwatch fill={palette.gridTints[0]} stroke={palette.gridLine} />,
  labels: <span style={{ fontSize: 11, fontWeight: 600, width: 18, textAlign: 'center' }}>文</span>,
};

function LineSwatch({ color, width, dashed }: { color: string; width: number; dashed?: boolean }) {
  return (
    <svg width={18} height={12} aria-hidden>
      <line
        x1={1}
        y1={6}
        x2={17}
        y2={6}
        stroke={color}
        strokeWidth={width}
        strokeDasharray={dashed ? '3 2' : undefined}
      />
    </svg>
  );
}

function FillSwatch({ fill, stroke, dashed }: { fill: string; stroke: string; dashed?: boolean }) {
  return (
    <svg width={18} height={12} aria-hidden>
      <rect
        x={1}
        y={1}
        width={16}
        height={10}
        fill={fill}
        stroke={stroke}
        strokeDasharray={dashed ? '3 2' : undefined}
      />
    </svg>
  );
}

interface Props {
  toggles: Toggles;
  onToggle(key: string, on: boolean): void;
  layers: SpatialLayer[];
  gridCount: number;
  open: boolean;
  onOpenChange(open: boolean): void;
  onFitScope(): void;
}

/** Legend and layer switches. */
export function LayerPanel({ toggles, onToggle, layers, gridCount, open, onOpenChange, onFitScope }: Props) {
  const { t, i18n } = useTranslation();
  const row = (key: string, label: ReactNode, icon: ReactNode, extra?: ReactNode) => (
    <Checkbox
      key={key}
      checked={toggles[key] ?? false}
      onChange={(e) => onToggle(key, e.target.checked)}
      style={{ width: '100%', minWidth: 0 }}
    >
      <Flex align="center" gap={6} data-testid={`map-toggle-${key}`}>
        {icon}
        <span style={{ minWidth: 0, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
          {label}
        </span>
        {extra && (
          <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap', flexShrink: 0 }}>
            {extra}
          </Typography.Text>
        )}
      </Flex>
    </Checkbox>
  );

  return (
    <div data-testid="map-legend">
      <Flex align="center" justify="space-between">
        <Typography.Text strong>{t('map.legend')}</Typography.Text>
        <Flex gap={2}>
          <Button
            size="small"
            type="text"
            icon={<AimOutlined />}
            onClick={onFitScope}
            title={t('map.fitScope')}
            aria-label={t('map.fitScope')}
          />
          <Button
            size="small"
            type="text"
            icon={open ? <UpOutlined /> : <DownOutlined />}
            onClick={() => onOpenChange(!open)}
            aria-label={open ? t('map.hideLegend') : t('map.showLegend')}
            data-testid="map-legend-toggle"
          />
        </Flex>
      </Flex>
      {open && (
        <>
          <Flex vertical gap={4} style={{ marginTop: 6 }}>
            {baseToggles.map((key) =>
              row(
                key,
                t(`map.${key}`),
                swatch[key],
                key === 'grids' && gridCount ? t('map.gridCount', { count: gridCount }) : null,
              ),
            )}
          </Flex>
          <Divider style={{ margin: '8px 0' }} />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('map.dataLayers')}
          </Typography.Text>
          <Flex vertical gap={4} style={{ marginTop: 4 }}>
            {layers.length === 0 && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('map.noDataLayers')}
              </Typography.Text>
            )}
            {layers.map((layer) => {
              const color = layerKindColor[layer.kind] ?? layerKindColor.other;
              const name = (i18n.language === 'en' && layer.nameEn) || layer.name;
              return row(
                dataLayerToggle(layer.id),
                <span title={`${t(`map.kind.${layer.kind}`)} · ${layer.code}`}>{name}</span>,
                <FillSwatch fill={`${color}33`} stroke={color} dashed />,
                t('map.featureCount', { count: layer.featureCount }),
              );
            })}
          </Flex>
        </>
      )}
    </div>
  );
}
