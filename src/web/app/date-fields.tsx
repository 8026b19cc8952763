import CalendarOutlined from '@ant-design/icons-svg/es/asn/CalendarOutlined';
import SwapRightOutlined from '@ant-design/icons-svg/es/asn/SwapRightOutlined';
import type { DatePickerProps } from 'antd';
import type { RangePickerProps } from 'antd/es/date-picker';
import type { Dayjs } from 'dayjs';
import { lazy, Suspense, useState, type CSSProperties, type ReactNode } from 'react';
import { SvgIcon } from './svg-icon';

// antd's date pickers weigh ≈ 31 KB gzip (issue 9: what a page downloads to show itself). A date field
// shows its value in a plain stand-in that looks like antd's picker (plain.css) and turns into the
// real picker, opened, the first time it is focused or clicked; a pointer over it starts the download.
const loadPickers = () => import(/* on demand */ './date-pickers');
const RealDatePicker = lazy(async () => {
  const { DatePicker } = await loadPickers();
  return { default: DatePicker<Dayjs, false> };
});
const RealRangePicker = lazy(async () => ({ default: (await loadPickers()).DatePicker.RangePicker }));
const preload = () => {
  void loadPickers();
};

/** A width for the stand-in's input: its text or placeholder, whichever is longer. */
const sizeFor = (text: string, placeholder: string | undefined) => Math.max(text.length, placeholder?.length ?? 0, 4) + 1;

const defaultFormats = { date: 'YYYY-MM-DD', week: 'YYYY-wo', month: 'YYYY-MM', quarter: 'YYYY-[Q]Q', year: 'YYYY' } as const;

/** How antd would write a value in the field: its `format` when a string, else the picker's default. */
function formatOf(format: unknown, picker: string | undefined): string {
  if (typeof format === 'string') return format;
  if (Array.isArray(format) && typeof format[0] === 'string') return format[0];
  return picker && picker in defaultFormats ? defaultFormats[picker as keyof typeof defaultFormats] : defaultFormats.date;
}

function StandIn({ className, style, disabled, onUse, children }: { className?: string; style?: CSSProperties; disabled?: boolean; onUse: () => void; children: ReactNode }) {
  return (
    <span
      className={`plain-input plain-picker${disabled ? ' plain-picker-disabled' : ''}${className ? ` ${className}` : ''}`}
      style={style}
      onMouseEnter={disabled ? undefined : preload}
      onMouseDown={disabled ? undefined : onUse}
    >
      {children}
      <SvgIcon icon={CalendarOutlined} className="plain-picker-suffix" />
    </span>
  );
}

/** antd's DatePicker, loaded when first used (same props). */
export function DateField(props: DatePickerProps<Dayjs, false>) {
  const [used, setUsed] = useState(false);
  const { id, value, placeholder, disabled, style, className, format, picker } = props;
  const text = value ? value.format(formatOf(format, picker)) : '';
  const hint = typeof placeholder === 'string' ? placeholder : undefined;
  const standIn = (
    <StandIn className={className} style={style} disabled={disabled} onUse={() => setUsed(true)}>
      <input
        id={id}
        readOnly
        disabled={disabled}
        autoComplete="off"
        size={sizeFor(text, hint)}
        value={text}
        placeholder={hint}
        aria-label={props['aria-label']}
        onFocus={() => setUsed(true)}
      />
    </StandIn>
  );
  if (!used) return standIn;
  return (
    <Suspense fallback={standIn}>
      <RealDatePicker {...props} autoFocus defaultOpen />
    </Suspense>
  );
}

/** antd's DatePicker.RangePicker, loaded when first used (same props). */
export function DateRangeField(props: RangePickerProps) {
  const [used, setUsed] = useState(false);
  const { id, value, placeholder, disabled, style, className, format, picker } = props;
  const text = (at: 0 | 1) => {
    const day = value?.[at];
    return day ? day.format(formatOf(format, picker)) : '';
  };
  const off = disabled === true;
  const standIn = (
    <StandIn className={className} style={style} disabled={off} onUse={() => setUsed(true)}>
      <input id={typeof id === 'string' ? id : id?.start} readOnly disabled={off} autoComplete="off" size={sizeFor(text(0), placeholder?.[0])} value={text(0)} placeholder={placeholder?.[0]} aria-label={props['aria-label']} onFocus={() => setUsed(true)} />
      <SvgIcon icon={SwapRightOutlined} className="plain-picker-separator" />
      <input id={typeof id === 'string' ? undefined : id?.end} readOnly disabled={off} autoComplete="off" size={sizeFor(text(1), placeholder?.[1])} value={text(1)} placeholder={placeholder?.[1]} onFocus={() => setUsed(true)} />
    </StandIn>
  );
  if (!used) return standIn;
  return (
    <Suspense fallback={standIn}>
      <RealRangePicker {...props} autoFocus defaultOpen />
    </Suspense>
  );
}
