import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Checkbox, Drawer, Flex, Form, Grid, Input, Select, TimePicker, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { showFieldErrors } from '../../access/live-parts';
import { nameIn, useSupportError } from './support-parts';
import { useSavePoint, useSites, type SupplyPoint } from './support-queries';

interface WindowRow {
  days: number[];
  time: [Dayjs, Dayjs] | null;
}

interface PointForm {
  site: string;
  name: string;
  location?: string;
  goods?: string;
  phone?: string;
  openingHours: WindowRow[];
}

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
const hm = (text: string) => dayjs(text, 'HH:mm');
// A new point opens every morning and late afternoon, like the vegetable stalls of 2020.
const defaultWindows = (): WindowRow[] => [
  { days: [...WEEKDAYS], time: [hm('07:00'), hm('11:00')] },
  { days: [...WEEKDAYS], time: [hm('16:00'), hm('19:00')] },
];

function toForm(point: SupplyPoint): PointForm {
  return {
    site: point.site.code,
    name: point.name,
    location: point.location ?? undefined,
    goods: point.goods ?? undefined,
    phone: point.phone ?? undefined,
    openingHours: point.openingHours.map((w) => ({ days: w.days, time: [hm(w.from), hm(w.to)] })),
  };
}

/** Add a supply point to a community, or edit one (name, place, goods, hours, phone). */
export function SupplyPointDrawer({ open, point, site, onClose }: { open: boolean; point: SupplyPoint | null; site?: string; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const describe = useSupportError();
  const screens = Grid.useBreakpoint();
  const [form] = Form.useForm<PointForm>();
  const sites = useSites();
  const save = useSavePoint();
  const [failure, setFailure] = useState<string | null>(null);
  const weekday = (d: number) => t(`healthSupport.weekdays.${String(d) as '1'}`);

  const submit = (v: PointForm) => {
    setFailure(null);
    const fields = {
      name: v.name.trim(),
      location: v.location?.trim() || null,
      goods: v.goods?.trim() || null,
      phone: v.phone?.trim() || null,
      openingHours: v.openingHours.map((w) => ({ days: [...w.days].sort((a, b) => a - b), from: w.time![0].format('HH:mm'), to: w.time![1].format('HH:mm') })),
    };
    save.mutate(point ? { id: point.id, put: { ...fields, version: point.version } } : { create: { site: v.site, ...fields } }, {
      onSuccess: (p) => {
        void message.success(t(point ? 'healthSupport.points.updated' : 'healthSupport.points.created', { name: p.name }));
        onClose();
      },
      onError: (error) => {
        if (!showFieldErrors(form, error, { site: 'site', name: 'name', location: 'location', goods: 'goods', phone: 'phone' })) setFailure(describe(error));
      },
    });
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={point ? t('healthSupport.points.edit', { name: point.name }) : t('healthSupport.points.add')}
      size={screens.md ? 560 : '100%'}
      destroyOnHidden
      footer={
        <Flex gap={8} justify="flex-end">
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()}>
            {t('common.save')}
          </Button>
        </Flex>
      }
    >
      <Form<PointForm> form={form} layout="vertical" onFinish={submit} initialValues={point ? toForm(point) : { site, openingHours: defaultWindows() }}>
        <Form.Item name="site" label={t('healthSupport.points.community')} rules={[{ required: true, message: t('common.fieldRequired', { field: t('healthSupport.points.community') }) }]}>
          <Select
            disabled={point !== null}
            showSearch={{ optionFilterProp: 'label' }}
            loading={sites.isPending}
            options={(sites.data?.rows ?? [])
              .slice()
              .sort((a, b) => (a.kind === b.kind ? a.code.localeCompare(b.code) : a.kind === 'community' ? -1 : 1))
              .map((s) => ({ value: s.code, label: `${nameIn(i18n.language, s.nameZh, s.nameEn)} (${s.code})` }))}
          />
        </Form.Item>
        <Form.Item name="name" label={t('healthSupport.points.name')} rules={[{ required: true, whitespace: true, message: t('common.fieldRequired', { field: t('healthSupport.points.name') }) }]}>
          <Input maxLength={100} placeholder={t('healthSupport.points.namePlaceholder')} />
        </Form.Item>
        <Form.Item name="location" label={t('healthSupport.points.location')}>
          <Input maxLength={200} placeholder={t('healthSupport.points.locationPlaceholder')} />
        </Form.Item>
        <Form.Item name="goods" label={t('healthSupport.points.goods')}>
          <Input.TextArea rows={2} maxLength={500} placeholder={t('healthSupport.points.goodsPlaceholder')} />
        </Form.Item>
        <Form.Item name="phone" label={t('healthSupport.points.phone')} extra={t('healthSupport.points.phoneHint')}>
          <Input maxLength={30} inputMode="tel" />
        </Form.Item>
        <Typography.Title level={5}>{t('healthSupport.points.hours')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('healthSupport.points.hoursHint')}</Typography.Paragraph>
        <Form.List name="openingHours">
          {(fields, { add, remove }) => (
            <Flex vertical gap={8}>
              {fields.map((field, index) => (
                <Flex key={field.key} vertical gap={4} style={{ padding: 8, border: '1px solid #f0f0f0', borderRadius: 6 }} data-testid={`window-${index}`}>
                  <Form.Item
                    name={[field.name, 'days']}
                    rules={[{ validator: (_r, v?: number[]) => (v && v.length > 0 ? Promise.resolve() : Promise.reject(new Error(t('healthSupport.points.daysRequired')))) }]}
                    style={{ marginBottom: 0 }}
                  >
                    <Checkbox.Group options={WEEKDAYS.map((d) => ({ value: d, label: weekday(d) }))} />
                  </Form.Item>
                  <Flex gap={8} align="flex-start">
                    <Form.Item
                      name={[field.name, 'time']}
                      rules={[
                        { required: true, message: t('healthSupport.points.timeRequired') },
                        { validator: (_r, v?: [Dayjs, Dayjs] | null) => (v && v[0].format('HH:mm') === v[1].format('HH:mm') ? Promise.reject(new Error(t('healthSupport.points.timeSame'))) : Promise.resolve()) },
                      ]}
                      extra={t('healthSupport.points.overnight')}
                      style={{ marginBottom: 0, flex: 1 }}
                    >
                      <TimePicker.RangePicker format="HH:mm" minuteStep={5} order={false} aria-label={t('healthSupport.points.window', { n: index + 1 })} />
                    </Form.Item>
                    <Button type="text" icon={<DeleteOutlined aria-hidden />} aria-label={t('healthSupport.points.removeWindow')} onClick={() => remove(field.name)} />
                  </Flex>
                </Flex>
              ))}
              {fields.length === 0 ? <Typography.Text type="warning">{t('healthSupport.points.noWindows')}</Typography.Text> : null}
              <Button type="dashed" icon={<PlusOutlined aria-hidden />} onClick={() => add({ days: [...WEEKDAYS], time: null })} disabled={fields.length >= 14}>
                {t('healthSupport.points.addWindow')}
              </Button>
            </Flex>
          )}
        </Form.List>
        {failure ? <Alert type="error" showIcon title={failure} style={{ marginTop: 12 }} /> : null}
      </Form>
    </Drawer>
  );
}
