import type { AttachmentContentType } from '../../contracts/attachment.schema.ts';

export interface SniffedImage {
  contentType: AttachmentContentType;
  width: number;
  height: number;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * What the bytes really are: a JPEG, PNG or WebP image with readable dimensions, or null. Only the content
 * decides — the file name and the client's Content-Type are never consulted — and the header must be
 * well-formed enough to give the size, so a text or PDF file that merely starts like an image is refused.
 */
export function sniffImage(bytes: Uint8Array): SniffedImage | null {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let contentType: SniffedImage['contentType'];
  let size: Size;
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) {
    contentType = 'image/jpeg';
    size = jpegSize(b);
  } else if (b.length >= 24 && b.subarray(0, 8).equals(PNG_SIGNATURE)) {
    contentType = 'image/png';
    size = pngSize(b);
  } else if (
    b.length >= 30 &&
    b.toString('latin1', 0, 4) === 'RIFF' &&
    b.toString('latin1', 8, 12) === 'WEBP'
  ) {
    contentType = 'image/webp';
    size = webpSize(b);
  } else return null;
  if (!size || size.width <= 0 || size.height <= 0) return null;
  return { contentType, width: size.width, height: size.height };
}

type Size = { width: number; height: number } | null;

/** The first IHDR chunk carries the size. */
function pngSize(b: Buffer): Size {
  if (b.readUInt32BE(8) !== 13 || b.toString('latin1', 12, 16) !== 'IHDR') return null;
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

/** Walks the marker segments up to the first start-of-frame (SOF0–SOF15 except DHT, JPG and DAC). */
function jpegSize(b: Buffer): Size {
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return null;
    const marker = b[i + 1]!;
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return null; // end of image or start of scan before any frame header
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2; // standalone markers carry no length
      continue;
    }
    const length = b.readUInt16BE(i + 2);
    if (length < 2) return null;
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) {
      if (i + 9 > b.length) return null;
      return { height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7) };
    }
    i += 2 + length;
  }
  return null;
}

/** VP8X (extended), VP8L (lossless) or VP8 (lossy) — the first chunk after the RIFF header. */
function webpSize(b: Buffer): Size {
  const chunk = b.toString('latin1', 12, 16);
  if (chunk === 'VP8X') {
    return { width: 1 + b.readUIntLE(24, 3), height: 1 + b.readUIntLE(27, 3) };
  }
  if (chunk === 'VP8L') {
    if (b[20] !== 0x2f) return null;
    const bits = b.readUInt32LE(21);
    return { width: 1 + (bits & 0x3fff), height: 1 + ((bits >>> 14) & 0x3fff) };
  }
  if (chunk === 'VP8 ') {
    if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) return null;
    return { width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff };
  }
  return null;
}
