/** Number formatting for the map panels. Pure. */

/** "12,345 m²", or "1,234,567 m² (1.23 km²)" once an area passes a square kilometre. */
export function formatArea(m2: number | null | undefined, language: string): string {
  if (m2 === null || m2 === undefined || !Number.isFinite(m2)) return '—';
  const locale = language === 'en' ? 'en-US' : 'zh-CN';
  const whole = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(Math.round(m2));
  if (m2 < 1_000_000) return `${whole} m²`;
  const km2 = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(m2 / 1_000_000);
  return `${whole} m² (${km2} km²)`;
}
