import { Alert, Button, Col, Drawer, Flex, Form, Grid, Input, Row, Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CreatePersonBody, UpdatePersonBody } from '../../../server/modules/people/people.schemas';
import { usePermission } from '../../app/session';
import { UnitTreeSelect } from '../units/components/unit-tree-select';
import { CATEGORIES, ID_TYPES, RegistrySiteSelect, useFormErrors } from './registry-parts';
import { RegistryPersonPicker } from './registry-person-picker';
import { useCreatePerson, useUpdatePerson, type Person, type PersonCategory } from './registry-queries';

interface PersonValues {
  code: string;
  name: string;
  category: PersonCategory;
  sex: 'male' | 'female' | null;
  idType: (typeof ID_TYPES)[number] | null;
  idNumber: string;
  phone: string;
  unitId: string | null;
  site: string | null;
  household: string;
  proxyPerson: string | null;
}

const known = new Set(['code', 'name', 'category', 'sex', 'idType', 'idNumber', 'phone', 'unitId', 'site', 'household', 'proxyPerson']);
const codeFields: Record<string, keyof PersonValues & string> = {
  PERSON_CODE_TAKEN: 'code',
  ID_NUMBER: 'idNumber',
  ID_NUMBER_TAKEN: 'idNumber',
  PHONE_INVALID: 'phone',
  UNIT_NOT_FOUND: 'unitId',
  UNIT_REQUIRED: 'unitId',
  SITE_NOT_FOUND: 'site',
  HOUSEHOLD_NEEDS_SITE: 'household',
  PROXY_PERSON_NOT_FOUND: 'proxyPerson',
  PROXY_SELF: 'proxyPerson',
};

const orNull = (s: string | null | undefined) => (s && s.trim() ? s.trim() : null);

/**
 * Register a person or edit one. The ID number and phone are never sent back to the browser in
 * full: on edit they stay empty and are changed only when typed. `proxyPerson`: who registered
 * them on their behalf (children, the elderly, people without a phone).
 */
export function RegistryPersonForm({ person, site, onClose, onSaved }: { person: Person | null; site?: string; onClose: () => void; onSaved: (p: Person) => void }) {
  const { t } = useTranslation();
  const screens = Grid.useBreakpoint();
  const can = usePermission();
  const [form] = Form.useForm<PersonValues>();
  const create = useCreatePerson();
  const update = useUpdatePerson();
  const [problem, setProblem] = useState<string | null>(null);
  const formErrors = useFormErrors<PersonValues>(codeFields);
  const fullRights = can('person.write');
  // Without person.write, employees (and their name, unit, category) are kept by the personnel office.
  const lockedEmployee = !fullRights && person?.category === 'employee';

  const submit = (v: PersonValues) => {
    setProblem(null);
    const onError = (error: unknown) => setProblem(formErrors(form, error, known));
    if (!person) {
      const body: CreatePersonBody = {
        code: v.code.trim(),
        name: v.name.trim(),
        category: v.category,
        sex: v.sex ?? null,
        idType: v.idType ?? undefined,
        idNumber: orNull(v.idNumber),
        phone: orNull(v.phone),
        unitId: v.unitId ?? null,
        site: v.site ?? null,
        household: orNull(v.household),
        proxyPerson: v.proxyPerson ?? null,
      };
      create.mutate(body, { onSuccess: onSaved, onError });
      return;
    }
    const body: UpdatePersonBody = { version: person.version };
    if (v.name.trim() !== person.name) body.name = v.name.trim();
    if (v.category !== person.category) body.category = v.category;
    if ((v.sex ?? null) !== person.sex) body.sex = v.sex ?? null;
    if ((v.idType ?? null) !== person.idType) body.idType = v.idType ?? null;
    if (orNull(v.idNumber)) body.idNumber = orNull(v.idNumber);
    if (orNull(v.phone)) body.phone = orNull(v.phone);
    if ((v.unitId ?? null) !== person.unitId) body.unitId = v.unitId ?? null;
    if ((v.site ?? null) !== person.site) body.site = v.site ?? null;
    if (orNull(v.household) !== person.household) body.household = orNull(v.household);
    if ((v.proxyPerson ?? null) !== person.proxyPerson) body.proxyPerson = v.proxyPerson ?? null;
    if (Object.keys(body).length === 1) {
      onClose();
      return;
    }
    update.mutate({ id: person.id, body }, { onSuccess: onSaved, onError });
  };

  return (
    <Drawer
      open
      title={person ? t('accessRegistry.personForm.editTitle', { name: person.name }) : t('accessRegistry.personForm.createTitle')}
      size={screens.md ? 640 : '100%'}
      onClose={onClose}
      destroyOnHidden
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={create.isPending || update.isPending} onClick={() => form.submit()}>
            {t('common.save')}
          </Button>
        </Flex>
      }
    >
      <Form<PersonValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={
          person
            ? {
                code: person.code, name: person.name, category: person.category, sex: person.sex, idType: person.idType, idNumber: '', phone: '',
                unitId: person.unitId, site: person.site, household: person.household ?? '', proxyPerson: person.proxyPerson,
              }
            : { category: fullRights ? 'employee' : 'resident', sex: null, idType: 'resident-id', idNumber: '', phone: '', unitId: null, site: site ?? null, household: '', proxyPerson: null }
        }
      >
        {problem ? <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} /> : null}
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name="code" label={t('accessRegistry.person.code')} rules={[{ required: true, pattern: /^[A-Za-z0-9_-]{1,32}$/, message: t('accessRegistry.personForm.codeRule') }]}>
              <Input disabled={Boolean(person)} maxLength={32} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="name" label={t('accessRegistry.person.name')} rules={[{ required: true, whitespace: true, max: 100 }]}>
              <Input maxLength={100} disabled={lockedEmployee} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="category" label={t('accessRegistry.person.category')} rules={[{ required: true }]}>
              <Select
                disabled={lockedEmployee}
                options={CATEGORIES.map((c) => ({ value: c, label: t(`accessRegistry.categories.${c}`), disabled: c === 'employee' && !fullRights }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="sex" label={t('accessRegistry.person.sex')}>
              <Select allowClear options={(['male', 'female'] as const).map((s) => ({ value: s, label: t(`accessRegistry.sexes.${s}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="idType" label={t('accessRegistry.person.idType')}>
              <Select allowClear options={ID_TYPES.map((x) => ({ value: x, label: t(`accessRegistry.idTypes.${x}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="idNumber"
              label={t('accessRegistry.person.idNumber')}
              extra={person ? t('accessRegistry.personForm.keepHint', { value: person.idNumber ?? t('common.none') }) : t('accessRegistry.personForm.idHint')}
            >
              <Input maxLength={40} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="phone" label={t('accessRegistry.person.phone')} extra={person ? t('accessRegistry.personForm.keepHint', { value: person.phone ?? t('common.none') }) : undefined}>
              <Input maxLength={30} autoComplete="off" inputMode="tel" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="unitId" label={t('accessRegistry.person.unit')} extra={t('accessRegistry.personForm.unitHint')}>
              <UnitTreeSelect allowClear disabled={lockedEmployee} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="site" label={t('accessRegistry.person.site')}>
              <RegistrySiteSelect allowClear />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="household" label={t('accessRegistry.person.household')} extra={t('accessRegistry.parts.householdHint')}>
              <Input maxLength={40} />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="proxyPerson" label={t('accessRegistry.person.proxy')} extra={t('accessRegistry.personForm.proxyHint')}>
              <RegistryPersonPicker exclude={person?.code} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Drawer>
  );
}
