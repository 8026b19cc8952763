// antd's date pickers (≈ 31 KB gzip), in a chunk of their own: date-fields.tsx loads it when a date
// field is first used.
export { DatePicker } from 'antd';
