import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, DatePicker, Drawer, Flex, Form, Grid, Input, InputNumber, Modal, Radio, Select, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { showFieldErrors } from '../../access/live-parts';
import { compareDecimal, formatPrice, formatQuantity, formatYuan, isDecimal, lineTotal, lowestIndex, nameIn, shanghaiToday, useSupportError } from './support-parts';
import {
  useAdjust,
  useCheckpoints,
  useCreatePurchase,
  useCreateSupply,
  useDistribute,
  useSupplies,
  useUnits,
  type CreateSupplyBody,
  type Supply,
} from './support-queries';

type SupplyKind = CreateSupplyBody['kind'];
// The server's list, spelled out so that the page does not bundle server code; the record keeps it complete.
export const SUPPLY_KINDS = Object.keys({ mask: 1, thermometer: 1, disinfectant: 1, alcohol: 1, gloves: 1, 'protective-suit': 1, other: 1 } satisfies Record<SupplyKind, 1>) as SupplyKind[];
/** The fewest quotes a purchase compares (the server refuses fewer). */
const minQuotes = 3;
const today = () => dayjs(shanghaiToday());

function useSupplyOptions() {
  const { i18n } = useTranslation();
  const supplies = useSupplies();
  const rows = supplies.data?.rows ?? [];
  return {
    loading: supplies.isPending,
    rows,
    options: rows.map((s) => ({ value: s.code, label: `${nameIn(i18n.language, s.nameZh, s.nameEn)} (${s.code}) · ${formatQuantity(s.stock)} ${s.unitLabel}` })),
  };
}

// ---- a new supply in the catalogue -------------------------------------------------------------

interface SupplyForm {
  code: string;
  nameZh: string;
  nameEn?: string;
  unitLabel: string;
  kind: CreateSupplyBody['kind'];
}

export function NewSupplyModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const describe = useSupportError();
  const [form] = Form.useForm<SupplyForm>();
  const create = useCreateSupply();
  const [failure, setFailure] = useState<string | null>(null);
  const required = (field: string) => [{ required: true, whitespace: true, message: t('common.fieldRequired', { field }) }];

  const submit = (v: SupplyForm) => {
    setFailure(null);
    const body: CreateSupplyBody = { code: v.code.trim(), nameZh: v.nameZh.trim(), nameEn: v.nameEn?.trim() || null, unitLabel: v.unitLabel.trim(), kind: v.kind };
    create.mutate(body, {
      onSuccess: (s) => {
        void message.success(t('healthSupport.supplies.created', { name: s.nameZh }));
        form.resetFields();
        onClose();
      },
      onError: (error) => {
        if (!showFieldErrors(form, error, { code: 'code', nameZh: 'nameZh', nameEn: 'nameEn', unitLabel: 'unitLabel', kind: 'kind' })) setFailure(describe(error));
      },
    });
  };

  return (
    <Modal
      open={open}
      title={t('healthSupport.supplies.newSupply')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending}
      destroyOnHidden
    >
      <Form<SupplyForm> form={form} layout="vertical" onFinish={submit} initialValues={{ kind: 'mask' }}>
        <Form.Item name="code" label={t('healthSupport.supplies.code')} extra={t('healthSupport.supplies.codeHint')} rules={[...required(t('healthSupport.supplies.code')), { pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/, message: t('healthSupport.supplies.codeHint') }]}>
          <Input maxLength={40} autoComplete="off" />
        </Form.Item>
        <Form.Item name="nameZh" label={t('healthSupport.supplies.nameZh')} rules={required(t('healthSupport.supplies.nameZh'))}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="nameEn" label={t('healthSupport.supplies.nameEn')}>
          <Input maxLength={100} />
        </Form.Item>
        <Flex gap={8} wrap>
          <Form.Item name="unitLabel" label={t('healthSupport.supplies.unitLabel')} extra={t('healthSupport.supplies.unitLabelHint')} rules={required(t('healthSupport.supplies.unitLabel'))} style={{ flex: 1, minWidth: 140 }}>
            <Input maxLength={20} />
          </Form.Item>
          <Form.Item name="kind" label={t('healthSupport.supplies.kind')} style={{ flex: 1, minWidth: 160 }}>
            <Select options={SUPPLY_KINDS.map((k) => ({ value: k, label: t(`healthSupport.kinds.${k}`) }))} />
          </Form.Item>
        </Flex>
        {failure ? <Alert type="error" showIcon title={failure} /> : null}
      </Form>
    </Modal>
  );
}

// ---- a purchase over at least three quotes (询价比价) -------------------------------------------

interface QuoteRow {
  supplier?: string;
  unitPrice?: string | null;
  note?: string;
}

interface PurchaseForm {
  supply: string;
  date: Dayjs;
  quantity: string | null;
  quotes: QuoteRow[];
  reason?: string;
}

export function PurchaseDrawer({ open, onClose, supply }: { open: boolean; onClose: () => void; supply?: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const describe = useSupportError();
  const screens = Grid.useBreakpoint();
  const [form] = Form.useForm<PurchaseForm>();
  const create = useCreatePurchase();
  const supplies = useSupplyOptions();
  const [failure, setFailure] = useState<string | null>(null);
  // The quote bought from: the lowest until someone picks another by hand.
  const [picked, setPicked] = useState<number | null>(null);
  const quotes = Form.useWatch('quotes', form) ?? [];
  const quantity = Form.useWatch('quantity', form);
  const supplyCode = Form.useWatch('supply', form);
  const unitLabel = supplies.rows.find((s) => s.code === supplyCode)?.unitLabel ?? '';
  const lowest = lowestIndex(quotes.map((q) => q?.unitPrice));
  const chosen = picked !== null && picked < quotes.length ? picked : lowest;
  const chosenPrice = chosen >= 0 ? quotes[chosen]?.unitPrice : undefined;
  const lowestPrice = lowest >= 0 ? quotes[lowest]?.unitPrice : undefined;
  // Another quote as cheap as the first lowest is a lowest one too: no reason needed.
  const notLowest = chosen >= 0 && isDecimal(chosenPrice) && isDecimal(lowestPrice) && compareDecimal(chosenPrice, lowestPrice) > 0;
  const total = isDecimal(quantity) && isDecimal(chosenPrice) ? lineTotal(quantity, chosenPrice) : null;

  const close = () => {
    setPicked(null);
    setFailure(null);
    onClose();
  };

  const submit = (v: PurchaseForm) => {
    setFailure(null);
    if (chosen < 0) {
      setFailure(t('healthSupport.purchase.pickQuote'));
      return;
    }
    create.mutate(
      {
        supply: v.supply,
        date: v.date.format('YYYY-MM-DD'),
        quantity: v.quantity ?? '',
        quotes: v.quotes.map((q) => ({ supplier: (q.supplier ?? '').trim(), unitPrice: q.unitPrice ?? '', ...(q.note?.trim() ? { note: q.note.trim() } : {}) })),
        chosen,
        ...(notLowest && v.reason?.trim() ? { reason: v.reason.trim() } : {}),
      },
      {
        onSuccess: (p) => {
          void message.success(t('healthSupport.purchase.saved', { total: formatYuan(p.total) }));
          form.resetFields();
          close();
        },
        onError: (error) => {
          if (!showFieldErrors(form, error, { quantity: 'quantity', date: 'date', supply: 'supply', reason: 'reason' })) setFailure(describe(error));
        },
      },
    );
  };

  return (
    <Drawer
      open={open}
      onClose={close}
      title={t('healthSupport.purchase.title')}
      size={screens.md ? 640 : '100%'}
      destroyOnHidden
      footer={
        <Flex gap={8} justify="flex-end">
          <Button onClick={close}>{t('common.cancel')}</Button>
          <Button type="primary" loading={create.isPending} onClick={() => form.submit()}>
            {t('healthSupport.purchase.submit')}
          </Button>
        </Flex>
      }
    >
      <Form<PurchaseForm>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ supply, date: today(), quotes: Array.from({ length: minQuotes }, () => ({})) }}
      >
        <Form.Item name="supply" label={t('healthSupport.common.supply')} rules={[{ required: true, message: t('common.fieldRequired', { field: t('healthSupport.common.supply') }) }]}>
          <Select showSearch={{ optionFilterProp: 'label' }} loading={supplies.loading} options={supplies.options} />
        </Form.Item>
        <Flex gap={8} wrap>
          <Form.Item name="date" label={t('healthSupport.common.date')} rules={[{ required: true }]}>
            <DatePicker allowClear={false} />
          </Form.Item>
          <Form.Item name="quantity" label={t('healthSupport.common.quantity')} rules={[{ required: true, message: t('common.fieldRequired', { field: t('healthSupport.common.quantity') }) }]} style={{ flex: 1, minWidth: 160 }}>
            <InputNumber<string> stringMode min="0.01" precision={2} style={{ width: '100%' }} suffix={unitLabel || undefined} />
          </Form.Item>
        </Flex>
        <Typography.Title level={5} style={{ marginTop: 0 }}>
          {t('healthSupport.purchase.quotes')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('healthSupport.purchase.quotesHint', { count: minQuotes })}</Typography.Paragraph>
        <Form.List name="quotes">
          {(fields, { add, remove }) => (
            <Flex vertical gap={8}>
              {fields.map((field, index) => {
                const isLowest = index === lowest || (isDecimal(quotes[index]?.unitPrice) && isDecimal(lowestPrice) && compareDecimal(quotes[index]!.unitPrice!, lowestPrice) === 0);
                return (
                  <Flex
                    key={field.key}
                    gap={8}
                    wrap
                    align="flex-start"
                    data-testid={`quote-${index}`}
                    style={{ padding: 8, borderRadius: 6, border: `1px solid ${index === chosen ? '#1456a0' : '#f0f0f0'}`, background: isLowest ? '#f6ffed' : undefined }}
                  >
                    <Radio checked={index === chosen} onChange={() => setPicked(index)} aria-label={t('healthSupport.purchase.choose', { n: index + 1 })} style={{ marginTop: 6 }} />
                    <Form.Item
                      name={[field.name, 'supplier']}
                      rules={[{ required: true, whitespace: true, message: t('common.fieldRequired', { field: t('healthSupport.purchase.supplier') }) }]}
                      style={{ flex: 2, minWidth: 160, marginBottom: 0 }}
                    >
                      <Input maxLength={200} placeholder={t('healthSupport.purchase.supplier')} aria-label={`${t('healthSupport.purchase.supplier')} ${index + 1}`} />
                    </Form.Item>
                    <Form.Item
                      name={[field.name, 'unitPrice']}
                      rules={[{ required: true, message: t('common.fieldRequired', { field: t('healthSupport.purchase.unitPrice') }) }]}
                      style={{ flex: 1, minWidth: 120, marginBottom: 0 }}
                    >
                      <InputNumber<string> stringMode min="0" precision={4} prefix="¥" style={{ width: '100%' }} placeholder={t('healthSupport.purchase.unitPrice')} aria-label={`${t('healthSupport.purchase.unitPrice')} ${index + 1}`} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'note']} style={{ flex: 2, minWidth: 140, marginBottom: 0 }}>
                      <Input maxLength={500} placeholder={t('healthSupport.purchase.note')} aria-label={`${t('healthSupport.purchase.note')} ${index + 1}`} />
                    </Form.Item>
                    <Flex gap={4} align="center" style={{ minHeight: 32 }}>
                      {isLowest ? <Tag color="green">{t('healthSupport.purchase.lowest')}</Tag> : null}
                      {index === chosen ? <Tag color="blue">{t('healthSupport.purchase.chosen')}</Tag> : null}
                      {fields.length > minQuotes ? (
                        <Button
                          type="text"
                          size="small"
                          icon={<DeleteOutlined aria-hidden />}
                          aria-label={t('healthSupport.purchase.removeQuote')}
                          onClick={() => {
                            remove(field.name);
                            setPicked(null);
                          }}
                        />
                      ) : null}
                    </Flex>
                  </Flex>
                );
              })}
              <Button type="dashed" icon={<PlusOutlined aria-hidden />} onClick={() => add({})} disabled={fields.length >= 20}>
                {t('healthSupport.purchase.addQuote')}
              </Button>
            </Flex>
          )}
        </Form.List>
        {notLowest ? (
          <>
            <Alert type="warning" showIcon style={{ marginTop: 12 }} title={t('healthSupport.purchase.notLowest', { supplier: quotes[lowest]?.supplier ?? '', price: formatPrice(lowestPrice ?? '0') })} />
            <Form.Item
              name="reason"
              label={t('healthSupport.purchase.reason')}
              style={{ marginTop: 8 }}
              rules={[{ required: true, whitespace: true, message: t('healthSupport.purchase.reasonRequired') }]}
            >
              <Input.TextArea rows={2} maxLength={500} placeholder={t('healthSupport.purchase.reasonPlaceholder')} />
            </Form.Item>
          </>
        ) : null}
        <Typography.Paragraph strong style={{ marginTop: 12 }} data-testid="purchase-total">
          {total !== null ? t('healthSupport.purchase.total', { total: formatYuan(total) }) : t('healthSupport.purchase.totalPending')}
        </Typography.Paragraph>
        {failure ? <Alert type="error" showIcon title={failure} /> : null}
      </Form>
    </Drawer>
  );
}

// ---- a distribution to a unit or a checkpoint ------------------------------------------------------

interface DistributionForm {
  supply: string;
  date: Dayjs;
  quantity: string | null;
  target: 'unit' | 'checkpoint';
  unit?: string;
  checkpoint?: string;
  note?: string;
}

function stockOf(rows: readonly Supply[], code: string | undefined): Supply | undefined {
  return rows.find((s) => s.code === code);
}

export function DistributeModal({ open, onClose, supply }: { open: boolean; onClose: () => void; supply?: string }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const describe = useSupportError();
  const [form] = Form.useForm<DistributionForm>();
  const distribute = useDistribute();
  const supplies = useSupplyOptions();
  const units = useUnits();
  const checkpoints = useCheckpoints();
  const [failure, setFailure] = useState<string | null>(null);
  const target = Form.useWatch('target', form) ?? 'unit';
  const current = stockOf(supplies.rows, Form.useWatch('supply', form));
  const quantity = Form.useWatch('quantity', form);
  const beyond = current && isDecimal(quantity) && compareDecimal(quantity, current.stock) > 0;

  const submit = (v: DistributionForm) => {
    setFailure(null);
    distribute.mutate(
      {
        supply: v.supply,
        date: v.date.format('YYYY-MM-DD'),
        quantity: v.quantity ?? '',
        ...(v.target === 'unit' ? { unit: v.unit } : { checkpoint: v.checkpoint }),
        ...(v.note?.trim() ? { note: v.note.trim() } : {}),
      },
      {
        onSuccess: (m) => {
          void message.success(t('healthSupport.distribute.saved', { balance: formatQuantity(m.balance) }));
          form.resetFields();
          onClose();
        },
        onError: (error) => {
          if (!showFieldErrors(form, error, { unit: 'unit', checkpoint: 'checkpoint', quantity: 'quantity', note: 'note' })) setFailure(describe(error));
        },
      },
    );
  };

  return (
    <Modal
      open={open}
      title={t('healthSupport.distribute.title')}
      okText={t('healthSupport.distribute.submit')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={distribute.isPending}
      destroyOnHidden
    >
      <Form<DistributionForm> form={form} layout="vertical" onFinish={submit} onValuesChange={() => failure && setFailure(null)} initialValues={{ supply, date: today(), target: 'unit' }}>
        <Form.Item
          name="supply"
          label={t('healthSupport.common.supply')}
          rules={[{ required: true, message: t('common.fieldRequired', { field: t('healthSupport.common.supply') }) }]}
          extra={current ? <span data-testid="available-stock">{t('healthSupport.distribute.available', { stock: formatQuantity(current.stock), unit: current.unitLabel })}</span> : undefined}
        >
          <Select showSearch={{ optionFilterProp: 'label' }} loading={supplies.loading} options={supplies.options} />
        </Form.Item>
        <Flex gap={8} wrap>
          <Form.Item name="date" label={t('healthSupport.common.date')} rules={[{ required: true }]}>
            <DatePicker allowClear={false} />
          </Form.Item>
          <Form.Item
            name="quantity"
            label={t('healthSupport.common.quantity')}
            rules={[{ required: true, message: t('common.fieldRequired', { field: t('healthSupport.common.quantity') }) }]}
            validateStatus={beyond ? 'warning' : undefined}
            help={beyond ? t('healthSupport.distribute.beyond') : undefined}
            style={{ flex: 1, minWidth: 160 }}
          >
            <InputNumber<string> stringMode min="0.01" precision={2} style={{ width: '100%' }} suffix={current?.unitLabel} />
          </Form.Item>
        </Flex>
        <Form.Item name="target" label={t('healthSupport.distribute.to')}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'unit', label: t('healthSupport.distribute.toUnit') },
              { value: 'checkpoint', label: t('healthSupport.distribute.toCheckpoint') },
            ]}
          />
        </Form.Item>
        {target === 'unit' ? (
          <Form.Item name="unit" label={t('healthSupport.common.unit')} rules={[{ required: true, message: t('common.fieldRequired', { field: t('healthSupport.common.unit') }) }]}>
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              loading={units.isPending}
              options={(units.data?.items ?? []).filter((u) => u.active).map((u) => ({ value: u.code, label: `${nameIn(i18n.language, u.nameZh, u.nameEn)} (${u.code})` }))}
            />
          </Form.Item>
        ) : (
          <Form.Item name="checkpoint" label={t('healthSupport.common.checkpoint')} rules={[{ required: true, message: t('common.fieldRequired', { field: t('healthSupport.common.checkpoint') }) }]}>
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              loading={checkpoints.isPending}
              options={(checkpoints.data?.rows ?? []).map((c) => ({ value: c.code, label: `${c.siteName} · ${nameIn(i18n.language, c.nameZh, c.nameEn)} (${c.code})` }))}
            />
          </Form.Item>
        )}
        <Form.Item name="note" label={t('healthSupport.common.note')}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        {failure ? <Alert type="error" showIcon title={failure} data-testid="distribute-error" /> : null}
      </Form>
    </Modal>
  );
}

// ---- a correction after a stock count ------------------------------------------------------------

interface AdjustForm {
  supply: string;
  date: Dayjs;
  quantity: string | null;
  note: string;
}

export function AdjustModal({ open, onClose, supply }: { open: boolean; onClose: () => void; supply?: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const describe = useSupportError();
  const [form] = Form.useForm<AdjustForm>();
  const adjust = useAdjust();
  const supplies = useSupplyOptions();
  const [failure, setFailure] = useState<string | null>(null);
  const current = stockOf(supplies.rows, Form.useWatch('supply', form));

  const submit = (v: AdjustForm) => {
    setFailure(null);
    adjust.mutate(
      { supply: v.supply, date: v.date.format('YYYY-MM-DD'), quantity: v.quantity ?? '', note: v.note.trim() },
      {
        onSuccess: (m) => {
          void message.success(t('healthSupport.adjust.saved', { balance: formatQuantity(m.balance) }));
          form.resetFields();
          onClose();
        },
        onError: (error) => {
          if (!showFieldErrors(form, error, { quantity: 'quantity', note: 'note' })) setFailure(describe(error));
        },
      },
    );
  };

  return (
    <Modal
      open={open}
      title={t('healthSupport.adjust.title')}
      okText={t('healthSupport.adjust.submit')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={adjust.isPending}
      destroyOnHidden
    >
      <Form<AdjustForm> form={form} layout="vertical" onFinish={submit} initialValues={{ supply, date: today() }}>
        <Form.Item
          name="supply"
          label={t('healthSupport.common.supply')}
          rules={[{ required: true, message: t('common.fieldRequired', { field: t('healthSupport.common.supply') }) }]}
          extra={current ? t('healthSupport.distribute.available', { stock: formatQuantity(current.stock), unit: current.unitLabel }) : undefined}
        >
          <Select showSearch={{ optionFilterProp: 'label' }} loading={supplies.loading} options={supplies.options} />
        </Form.Item>
        <Flex gap={8} wrap>
          <Form.Item name="date" label={t('healthSupport.common.date')} rules={[{ required: true }]}>
            <DatePicker allowClear={false} />
          </Form.Item>
          <Form.Item
            name="quantity"
            label={t('healthSupport.adjust.change')}
            extra={t('healthSupport.adjust.changeHint')}
            rules={[
              { required: true, message: t('common.fieldRequired', { field: t('healthSupport.adjust.change') }) },
              { validator: (_r, v: unknown) => (isDecimal(v) && compareDecimal(v, '0') === 0 ? Promise.reject(new Error(t('healthSupport.adjust.notZero'))) : Promise.resolve()) },
            ]}
            style={{ flex: 1, minWidth: 160 }}
          >
            <InputNumber<string> stringMode precision={2} style={{ width: '100%' }} suffix={current?.unitLabel} />
          </Form.Item>
        </Flex>
        <Form.Item name="note" label={t('healthSupport.adjust.note')} rules={[{ required: true, whitespace: true, message: t('common.fieldRequired', { field: t('healthSupport.adjust.note') }) }]}>
          <Input.TextArea rows={2} maxLength={500} placeholder={t('healthSupport.adjust.notePlaceholder')} />
        </Form.Item>
        {failure ? <Alert type="error" showIcon title={failure} /> : null}
      </Form>
    </Modal>
  );
}
