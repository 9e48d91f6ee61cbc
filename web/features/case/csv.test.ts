import { describe, expect, it } from 'vitest';
import { filenameOf, toCsv } from './csv.ts';

describe('export downloads', () => {
  it('takes the UTF-8 file name from Content-Disposition, else the plain one', () => {
    expect(
      filenameOf(
        `attachment; filename="cases-20261122.xlsx"; filename*=UTF-8''%E6%A1%88%E4%BB%B6-20261122.xlsx`,
        'x',
      ),
    ).toBe('案件-20261122.xlsx');
    expect(filenameOf('attachment; filename="cases-20261122.csv"', 'x')).toBe('cases-20261122.csv');
    expect(filenameOf(`attachment; filename*=UTF-8''%E0%A4%A`, 'fallback.csv')).toBe('fallback.csv');
    expect(filenameOf(null, 'cases.xlsx')).toBe('cases.xlsx');
  });

  it('writes CSV the way the server does', () => {
    expect(toCsv(['编号', '标题'], [['1', '=1+1']])).toBe("编号,标题\r\n1,'=1+1");
  });
});
