import dayjs from 'dayjs';

/** A timestamp in the browser's local time, `YYYY-MM-DD HH:mm:ss`; an em dash when there is none. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const value = dayjs(iso);
  return value.isValid() ? value.format('YYYY-MM-DD HH:mm:ss') : iso;
}

/** A calendar date (`YYYY-MM-DD`) as sent by the server; an em dash when there is none. */
export function formatDate(date: string | null | undefined): string {
  return date ? date.slice(0, 10) : '—';
}
