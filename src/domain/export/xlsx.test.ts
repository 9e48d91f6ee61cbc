import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from './csv.ts';
import { columnName, escapeXml, sheetName, textWidth, writeXlsx } from './xlsx.ts';

describe('xlsx writer', () => {
  const file = writeXlsx(
    {
      name: '案件',
      header: ['编号', '标题', '数量'],
      rows: [
        ['2026112200001', '井盖 <缺失> & "破损"', 3],
        ['2026112200002', '=HYPERLINK("x")', null],
      ],
    },
    new Date('2026-11-22T02:00:00Z'),
  );
  const parts = unzipSync(file);
  const text = (name: string) => strFromU8(parts[name]!);

  it('writes the parts a spreadsheet needs', () => {
    expect(Object.keys(parts).sort()).toEqual([
      '[Content_Types].xml',
      '_rels/.rels',
      'docProps/core.xml',
      'xl/_rels/workbook.xml.rels',
      'xl/styles.xml',
      'xl/workbook.xml',
      'xl/worksheets/sheet1.xml',
    ]);
    expect(text('xl/workbook.xml')).toContain('<sheet name="案件" sheetId="1" r:id="rId1"/>');
    expect(text('xl/styles.xml')).toContain('<font><b/>');
  });

  it('puts text as inline strings and numbers as numbers, the header bold and frozen', () => {
    const sheet = text('xl/worksheets/sheet1.xml');
    expect(sheet).toContain('<c r="A1" s="1" t="inlineStr"><is><t xml:space="preserve">编号</t></is></c>');
    expect(sheet).toContain(
      '<c r="B2" t="inlineStr"><is><t xml:space="preserve">井盖 &lt;缺失&gt; &amp; &quot;破损&quot;</t></is></c>',
    );
    expect(sheet).toContain('<c r="C2"><v>3</v></c>');
    // A formula-looking text stays text: an inline string is never evaluated.
    expect(sheet).toContain(
      '<c r="B3" t="inlineStr"><is><t xml:space="preserve">=HYPERLINK(&quot;x&quot;)</t>',
    );
    expect(sheet).not.toContain('r="C3"');
    expect(sheet).toContain('<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>');
    expect(sheet).toMatch(/<col min="1" max="1" width="\d+" customWidth="1"\/>/);
    expect(sheet).toContain('<autoFilter ref="A1:C3"/>');
    expect(sheet).toContain('<dimension ref="A1:C3"/>');
  });

  it('is deterministic', () => {
    const again = writeXlsx({ name: '案件', header: ['a'], rows: [['x']] }, new Date('2026-11-22T02:00:00Z'));
    const once = writeXlsx({ name: '案件', header: ['a'], rows: [['x']] }, new Date('2026-11-22T02:00:00Z'));
    expect(Buffer.from(again).equals(Buffer.from(once))).toBe(true);
  });

  it('names columns, escapes XML, measures widths and cleans sheet names', () => {
    expect([0, 25, 26, 27, 701, 702].map(columnName)).toEqual(['A', 'Z', 'AA', 'AB', 'ZZ', 'AAA']);
    expect(escapeXml('a\u0001b<')).toBe('ab&lt;');
    expect(textWidth('ab中文')).toBe(6);
    expect(sheetName('a/b:c')).toBe('a b c');
    expect(sheetName('')).toBe('Sheet1');
  });
});

describe('csv', () => {
  it('quotes separators and defuses formulas but keeps negative numbers', () => {
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
    expect(csvCell('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvCell('@x')).toBe("'@x");
    expect(csvCell(-3)).toBe('-3');
    expect(toCsv(['x', 'y'], [[1, null]])).toBe('x,y\r\n1,');
  });
});
