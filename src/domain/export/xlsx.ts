/**
 * A small Office Open XML (.xlsx) writer: one worksheet, text as inline strings, numbers as numbers, a bold and
 * frozen header row with an auto-filter, and column widths from the content. Enough for list exports that open
 * in Excel, WPS and LibreOffice, with no shared-string table to build and no dependency beyond zip.
 */
import { strToU8, zipSync } from 'fflate';

export type XlsxCell = string | number | null | undefined;

export interface XlsxSheet {
  name: string;
  header: readonly string[];
  rows: readonly (readonly XlsxCell[])[];
  /** Column widths in characters; computed from the content when omitted. */
  widths?: readonly number[];
}

/** Excel's limit for one cell's text. */
export const MAX_CELL_CHARS = 32_767;

/** `A`, `B`, … `Z`, `AA`, … for a 0-based column index. */
export function columnName(index: number): string {
  let n = index + 1;
  let name = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    name = String.fromCharCode(65 + r) + name;
    n = Math.floor((n - 1) / 26);
  }
  return name;
}

// XML 1.0 forbids most control characters; they are dropped rather than making the file unreadable.
// eslint-disable-next-line no-control-regex
const invalidXml = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function escapeXml(text: string): string {
  return text
    .replace(invalidXml, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** Display width of a text: CJK and other wide characters count twice. */
export function textWidth(text: string): number {
  let w = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    w +=
      c >= 0x1100 &&
      (c <= 0x115f ||
        (c >= 0x2e80 && c <= 0xa4cf) ||
        (c >= 0xac00 && c <= 0xd7a3) ||
        (c >= 0xf900 && c <= 0xfaff) ||
        (c >= 0xfe30 && c <= 0xfe4f) ||
        (c >= 0xff00 && c <= 0xff60) ||
        (c >= 0xffe0 && c <= 0xffe6) ||
        c >= 0x20000)
        ? 2
        : 1;
  }
  return w;
}

function autoWidths(sheet: XlsxSheet): number[] {
  const widths = sheet.header.map((h) => textWidth(h));
  // A sample is enough to size columns and keeps large exports fast.
  for (const row of sheet.rows.slice(0, 1000)) {
    row.forEach((v, i) => {
      if (v === null || v === undefined) return;
      const w = Math.max(...String(v).split('\n').map(textWidth));
      widths[i] = Math.max(widths[i] ?? 0, w);
    });
  }
  return widths.map((w) => Math.min(60, Math.max(8, w + 2)));
}

function cell(ref: string, v: XlsxCell, style: number): string {
  const s = style ? ` s="${style}"` : '';
  if (v === null || v === undefined || v === '') return '';
  if (typeof v === 'number') {
    return Number.isFinite(v) ? `<c r="${ref}"${s}><v>${v}</v></c>` : '';
  }
  const text = escapeXml(v.length > MAX_CELL_CHARS ? v.slice(0, MAX_CELL_CHARS) : v);
  return `<c r="${ref}"${s} t="inlineStr"><is><t xml:space="preserve">${text}</t></is></c>`;
}

function row(index: number, values: readonly XlsxCell[], style: number): string {
  const cells = values.map((v, i) => cell(`${columnName(i)}${index}`, v, style)).join('');
  return `<row r="${index}">${cells}</row>`;
}

function worksheet(sheet: XlsxSheet): string {
  const cols = sheet.header.length;
  const widths = sheet.widths ?? autoWidths(sheet);
  const last = `${columnName(Math.max(0, cols - 1))}${sheet.rows.length + 1}`;
  const parts: string[] = [
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ',
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">',
    `<dimension ref="A1:${last}"/>`,
    '<sheetViews><sheetView workbookViewId="0">',
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>',
    '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>',
    '</sheetView></sheetViews>',
    '<sheetFormatPr defaultRowHeight="15"/>',
    '<cols>',
    ...widths.map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`),
    '</cols>',
    '<sheetData>',
    row(1, sheet.header, 1),
  ];
  sheet.rows.forEach((r, i) => parts.push(row(i + 2, r, 0)));
  parts.push('</sheetData>');
  if (cols > 0) parts.push(`<autoFilter ref="A1:${columnName(cols - 1)}${sheet.rows.length + 1}"/>`);
  parts.push('</worksheet>');
  return parts.join('');
}

const contentTypes =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  '<Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
  '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
  '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
  '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
  '</Types>';

const rootRels =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>' +
  '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>' +
  '</Relationships>';

const workbookRels =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
  '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>' +
  '</Relationships>';

/** Style 0 = default, style 1 = bold (the header row). */
const styles =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
  '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
  '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>' +
  '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
  '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>' +
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
  '</styleSheet>';

/** Sheet names: at most 31 characters, none of []:*?/\ . */
export function sheetName(name: string): string {
  const clean = name
    .replace(/[[\]:*?/\\]/g, ' ')
    .trim()
    .slice(0, 31);
  return clean || 'Sheet1';
}

/** The .xlsx file of one sheet. `created` goes into the document properties. */
export function writeXlsx(sheet: XlsxSheet, created: Date): Uint8Array {
  const workbook =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' +
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
    `<sheets><sheet name="${escapeXml(sheetName(sheet.name))}" sheetId="1" r:id="rId1"/></sheets>` +
    (sheet.header.length
      ? `<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'${escapeXml(
          sheetName(sheet.name).replace(/'/g, "''"),
        )}'!$A$1:$${columnName(sheet.header.length - 1)}$${sheet.rows.length + 1}</definedName></definedNames>`
      : '') +
    '</workbook>';
  const stamp = created.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const core =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ' +
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ' +
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    '<dc:creator>Zhizhi</dc:creator>' +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${stamp}</dcterms:created>` +
    '</cp:coreProperties>';
  // Fixed entry times keep the output a function of its input.
  const mtime = new Date('2000-01-01T00:00:00Z');
  return zipSync(
    {
      '[Content_Types].xml': [strToU8(contentTypes), { mtime }],
      '_rels/.rels': [strToU8(rootRels), { mtime }],
      'docProps/core.xml': [strToU8(core), { mtime }],
      'xl/workbook.xml': [strToU8(workbook), { mtime }],
      'xl/_rels/workbook.xml.rels': [strToU8(workbookRels), { mtime }],
      'xl/styles.xml': [strToU8(styles), { mtime }],
      'xl/worksheets/sheet1.xml': [strToU8(worksheet(sheet)), { mtime }],
    },
    { level: 6 },
  );
}
