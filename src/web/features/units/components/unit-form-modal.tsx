import { Alert, DatePicker, Form, Input, InputNumber, Modal, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { Unit, UnitKind, UpdateUnitBody } from '../../../../server/modules/units/units.schemas';
import { useErrorMessage } from '../../../app/errors';
import { useCreateUnit, useUpdateUnit } from '../queries';
import { unitKindList, unitName } from '../unit-tree';

export type UnitFormTarget = { mode: 'create'; parent: Unit | null } | { mode: 'edit'; unit: Unit };

interface UnitFormValues {
  code: string;
  nameZh: string;
  nameEn: string;
  kind: UnitKind;
  peerClass: string;
  sortOrder: number | null;
  validFrom: Dayjs | null;
  validTo: Dayjs | null;
}

const isoDate = (value: Dayjs | null): string | null => (value ? value.format('YYYY-MM-DD') : null);

function initialValues(target: UnitFormTarget): Partial<UnitFormValues> {
  if (target.mode === 'create') return { sortOrder: 0, peerClass: '', validFrom: dayjs() };
  const { unit } = target;
  return {
    code: unit.code,
    nameZh: unit.nameZh,
    nameEn: unit.nameEn,
    kind: unit.kind,
    peerClass: unit.peerClass,
    sortOrder: unit.sortOrder,
    validFrom: dayjs(unit.validFrom),
    validTo: unit.validTo ? dayjs(unit.validTo) : null,
  };
}

/** Only what the user changed, with the version the change is based on. */
function changesOf(unit: Unit, values: UnitFormValues): UpdateUnitBody | null {
  const body: UpdateUnitBody = { version: unit.version };
  if (values.nameZh !== unit.nameZh) body.nameZh = values.nameZh;
  if (values.nameEn !== unit.nameEn) body.nameEn = values.nameEn;
  if (values.kind !== unit.kind) body.kind = values.kind;
  const peerClass = (values.peerClass ?? '').trim();
  if (peerClass !== unit.peerClass) body.peerClass = peerClass;
  if ((values.sortOrder ?? 0) !== unit.sortOrder) body.sortOrder = values.sortOrder ?? 0;
  const validFrom = isoDate(values.validFrom);
  if (validFrom && validFrom !== unit.validFrom) body.validFrom = validFrom;
  const validTo = isoDate(values.validTo);
  if (validTo !== unit.validTo) body.validTo = validTo;
  return Object.keys(body).length > 1 ? body : null;
}

/** Create a unit (under `parent`, or at the top) or edit one. Mounted only while open. */
export function UnitFormModal({
  target,
  onClose,
  onSaved,
}: {
  target: UnitFormTarget;
  onClose: () => void;
  onSaved: (unit: Unit | null) => void;
}) {
  const { t, i18n } = useTranslation();
  const describeError = useErrorMessage();
  const [form] = Form.useForm<UnitFormValues>();
  const create = useCreateUnit();
  const update = useUpdateUnit();
  const mutation = target.mode === 'create' ? create : update;
  const editing = target.mode === 'edit';

  const submit = (values: UnitFormValues) => {
    if (target.mode === 'create') {
      create.mutate(
        {
          code: values.code,
          nameZh: values.nameZh,
          nameEn: values.nameEn,
          kind: values.kind,
          peerClass: (values.peerClass ?? '').trim(),
          parentId: target.parent?.id ?? null,
          sortOrder: values.sortOrder ?? 0,
          validFrom: isoDate(values.validFrom) ?? undefined,
        },
        { onSuccess: (unit) => onSaved(unit) },
      );
      return;
    }
    const body = changesOf(target.unit, values);
    if (!body) {
      onSaved(null);
      return;
    }
    update.mutate({ id: target.unit.id, ...body }, { onSuccess: (unit) => onSaved(unit) });
  };

  const title =
    target.mode === 'edit'
      ? t('units.edit')
      : target.parent
        ? `${t('units.addChild')} · ${unitName(target.parent, i18n.language)}`
        : t('units.addRoot');

  return (
    <Modal
      open
      title={title}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={mutation.isPending}
      destroyOnHidden
      mask={{ closable: false }}
    >
      <Form<UnitFormValues>
        form={form}
        layout="vertical"
        initialValues={initialValues(target)}
        onFinish={submit}
        onValuesChange={() => mutation.error && mutation.reset()}
      >
        <Form.Item
          label={t('units.code')}
          name="code"
          extra={editing ? undefined : t('units.codeHint')}
          rules={[
            { required: true, message: t('common.fieldRequired', { field: t('units.code') }) },
            { pattern: /^[A-Z][A-Z0-9_-]{0,31}$/, message: t('units.codeInvalid') },
          ]}
          normalize={(value: string) => value.toUpperCase()}
        >
          <Input disabled={editing} autoComplete="off" spellCheck={false} />
        </Form.Item>
        <Form.Item
          label={t('units.nameZh')}
          name="nameZh"
          rules={[{ required: true, whitespace: true, max: 100, message: t('common.fieldRequired', { field: t('units.nameZh') }) }]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item
          label={t('units.nameEn')}
          name="nameEn"
          rules={[{ required: true, whitespace: true, max: 200, message: t('common.fieldRequired', { field: t('units.nameEn') }) }]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item
          label={t('units.kind')}
          name="kind"
          rules={[{ required: true, message: t('common.fieldRequired', { field: t('units.kind') }) }]}
        >
          <Select options={unitKindList.map((kind) => ({ value: kind, label: t(`units.kinds.${kind}`) }))} />
        </Form.Item>
        <Form.Item label={t('units.peerClass')} name="peerClass" extra={t('units.peerClassHelp')} rules={[{ max: 50 }]}>
          <Input autoComplete="off" placeholder="400kA" />
        </Form.Item>
        <Form.Item label={t('units.sortOrder')} name="sortOrder">
          <InputNumber min={0} max={1_000_000} precision={0} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item label={t('units.validFrom')} name="validFrom">
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        {editing ? (
          <Form.Item label={t('units.validTo')} name="validTo">
            <DatePicker style={{ width: '100%' }} allowClear />
          </Form.Item>
        ) : null}
        {mutation.error ? <Alert type="error" showIcon title={describeError(mutation.error)} /> : null}
      </Form>
    </Modal>
  );
}
