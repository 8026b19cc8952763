import { Alert, Col, Form, Input, Modal, Row, Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { UnitTreeSelect } from '../units/components/unit-tree-select';
import { ACCESS_LEVELS, RegistryNameFields, SITE_KINDS, useFormErrors } from './registry-parts';
import { useCreateSite, usePatchSite, type Site } from './registry-queries';

interface SiteFormValues {
  code: string;
  nameZh: string;
  nameEn: string;
  kind: Site['kind'];
  accessLevel: Site['accessLevel'];
  unit: string | null;
}

const known = new Set(['code', 'nameZh', 'nameEn', 'kind', 'accessLevel', 'unit']);

/** Add a site, or change the names, kind and unit of one (`site`); mounted while open. */
export function RegistrySiteForm({ site, onClose, onSaved }: { site: Site | null; onClose: () => void; onSaved: (site: Site) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<SiteFormValues>();
  const create = useCreateSite();
  const patch = usePatchSite();
  const pending = create.isPending || patch.isPending;
  const [problem, setProblem] = useState<string | null>(null);
  const formErrors = useFormErrors<SiteFormValues>({ SITE_EXISTS: 'code', UNIT_NOT_FOUND: 'unit', UNIT_REQUIRED: 'unit' });

  const submit = (v: SiteFormValues) => {
    setProblem(null);
    const onError = (error: unknown) => setProblem(formErrors(form, error, known));
    const nameEn = v.nameEn?.trim() ? v.nameEn.trim() : null;
    if (site) {
      patch.mutate(
        { code: site.code, body: { version: site.version, nameZh: v.nameZh.trim(), nameEn, kind: v.kind, unit: v.unit ?? null } },
        { onSuccess: onSaved, onError },
      );
    } else {
      create.mutate(
        {
          code: v.code.trim(), nameZh: v.nameZh.trim(), nameEn, kind: v.kind, accessLevel: v.accessLevel, unit: v.unit ?? null,
          temperatureMode: 'optional', feverThresholdC: 37.3, householdQuota: null, capacity: null,
        },
        { onSuccess: onSaved, onError },
      );
    }
  };

  return (
    <Modal
      open
      title={site ? t('accessRegistry.siteForm.editTitle', { name: site.nameZh }) : t('accessRegistry.siteForm.createTitle')}
      okText={t('common.save')}
      onOk={() => form.submit()}
      confirmLoading={pending}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form<SiteFormValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={site ? { code: site.code, nameZh: site.nameZh, nameEn: site.nameEn ?? '', kind: site.kind, accessLevel: site.accessLevel, unit: site.unit } : { kind: 'community', accessLevel: 'open', unit: null, nameEn: '' }}
      >
        {problem ? <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} /> : null}
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name="code" label={t('accessRegistry.site.code')} rules={[{ required: true, pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/, message: t('accessRegistry.siteForm.codeRule') }]}>
              <Input disabled={Boolean(site)} maxLength={40} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="kind" label={t('accessRegistry.site.kind')} rules={[{ required: true }]}>
              <Select options={SITE_KINDS.map((k) => ({ value: k, label: t(`accessRegistry.kinds.${k}`) }))} />
            </Form.Item>
          </Col>
          <RegistryNameFields />
          <Col xs={24} sm={12}>
            <Form.Item name="unit" label={t('accessRegistry.site.unit')}>
              <UnitTreeSelect valueField="code" allowClear />
            </Form.Item>
          </Col>
          {site ? null : (
            <Col xs={24} sm={12}>
              <Form.Item name="accessLevel" label={t('accessRegistry.site.accessLevel')} rules={[{ required: true }]}>
                <Select options={ACCESS_LEVELS.map((l) => ({ value: l, label: t(`accessRegistry.levels.${l}`) }))} />
              </Form.Item>
            </Col>
          )}
        </Row>
      </Form>
    </Modal>
  );
}
