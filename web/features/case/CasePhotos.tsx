import { Card, Empty, Flex, Image, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CaseDetail } from './case-api.ts';

/** The case's photos: 处置前 (the report's) and 处置后 (handling and check evidence), with a lightbox. */
export function CasePhotos({ attachments }: { attachments: CaseDetail['attachments'] }) {
  const { t } = useTranslation();
  const groups = [
    { key: 'before', items: attachments.filter((a) => a.purpose === 'report') },
    { key: 'after', items: attachments.filter((a) => a.purpose === 'evidence') },
  ];
  return (
    <Card size="small" title={t('case.photos.title')} data-testid="case-photos">
      {attachments.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('case.photos.none')} />
      ) : (
        <Image.PreviewGroup>
          <Flex vertical gap={12}>
            {groups.map((g) =>
              g.items.length === 0 ? null : (
                <div key={g.key} data-testid={`case-photos-${g.key}`}>
                  <Typography.Text type="secondary">{t(`case.photos.${g.key}`)}</Typography.Text>
                  <Flex wrap gap={8} style={{ marginTop: 6 }}>
                    {g.items.map((a) => (
                      <Image
                        key={a.id}
                        src={`/api/v1/attachments/${encodeURIComponent(a.id)}`}
                        width={96}
                        height={96}
                        style={{ objectFit: 'cover', borderRadius: 6 }}
                      />
                    ))}
                  </Flex>
                </div>
              ),
            )}
          </Flex>
        </Image.PreviewGroup>
      )}
    </Card>
  );
}
