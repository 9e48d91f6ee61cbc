import { PlusOutlined } from '@ant-design/icons';
import { App, Image, Upload, type UploadFile } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../../ui/problem.tsx';
import { PHOTO_MAX_BYTES, photoAccept, uploadPhoto, type AttachmentUpload } from './public-api.ts';

/**
 * Photos as a form field: each picked image is uploaded at once (to the staff or the public endpoint) and the
 * field's value is the list of uploaded ids, in order. Thumbnails preview in a lightbox; a file over the limit is
 * refused before sending, and anything the server refuses (not an image…) is reported and dropped.
 */
export function PhotoUpload({
  value,
  onChange,
  endpoint,
  max = 9,
  testId = 'photo-upload',
  id,
}: {
  /** Set by Form.Item; the component keeps its own list of files and reports the ids. */
  value?: string[];
  onChange?: (ids: string[]) => void;
  endpoint: string;
  max?: number;
  testId?: string;
  id?: string;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const [files, setFiles] = useState<UploadFile<AttachmentUpload>[]>([]);
  const [preview, setPreview] = useState<string | null>(null);
  // A form reset sets the value back to undefined: forget the thumbnails too.
  useEffect(() => {
    if (value === undefined) setFiles((list) => (list.length ? [] : list));
  }, [value]);

  const update = (list: UploadFile<AttachmentUpload>[]) => {
    setFiles(list);
    onChange?.(list.flatMap((f) => (f.status === 'done' && f.response?.id ? [f.response.id] : [])));
  };

  return (
    <div data-testid={testId} id={id}>
      <Upload<AttachmentUpload>
        listType="picture-card"
        accept={photoAccept}
        multiple
        maxCount={max}
        fileList={files}
        beforeUpload={(file) => {
          if (file.size > PHOTO_MAX_BYTES) {
            void message.error(t('citizen.upload.tooLarge', { name: file.name }));
            return Upload.LIST_IGNORE;
          }
          return true;
        }}
        customRequest={({ file, onSuccess, onError }) => {
          uploadPhoto(endpoint, file as Blob)
            .then((r) => onSuccess?.(r))
            .catch((e: unknown) => {
              void message.error(`${t('citizen.upload.failed')}: ${errorMessage(e)}`);
              onError?.(e as Error);
            });
        }}
        onChange={({ fileList }) => update(fileList.filter((f) => f.status !== 'error'))}
        onPreview={(f) => setPreview(f.thumbUrl ?? f.url ?? null)}
      >
        {files.length >= max ? null : (
          <button type="button" style={{ border: 0, background: 'none', cursor: 'pointer' }}>
            <PlusOutlined />
            <div style={{ marginTop: 6 }}>{t('citizen.upload.add')}</div>
          </button>
        )}
      </Upload>
      {preview && (
        <Image
          style={{ display: 'none' }}
          src={preview}
          preview={{ open: true, onOpenChange: (open) => !open && setPreview(null) }}
        />
      )}
    </div>
  );
}
