import { EditOutlined, PlusOutlined, StopOutlined } from '@ant-design/icons';
import { Alert, App, Button, Flex, Form, Input, Modal, Popconfirm, Select, Switch, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { formatDateTime } from '../../../app/format';
import { useSetSearchParam } from '../../../app/use-search-param';
import { LoadError } from '../../../app/status-pages';
import { PersonPicker, showFieldErrors } from '../../access/live-parts';
import { nameIn, useSupportError } from './support-parts';
import { useSaveVolunteer, useSites, useVolunteers, type Volunteer } from './support-queries';

interface VolunteerForm {
  person?: string | string[] | null;
  site?: string;
  task: string;
  available?: string;
  active?: boolean;
}

/** Register a volunteer (a person of the registry) or change one's task, availability and active flag. */
function VolunteerModal({ open, volunteer, onClose }: { open: boolean; volunteer: Volunteer | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const describe = useSupportError();
  const [form] = Form.useForm<VolunteerForm>();
  const sites = useSites();
  const save = useSaveVolunteer();
  const [failure, setFailure] = useState<string | null>(null);

  const submit = (v: VolunteerForm) => {
    setFailure(null);
    const person = Array.isArray(v.person) ? v.person[0] : v.person;
    const available = v.available?.trim() || null;
    save.mutate(
      volunteer
        ? { id: volunteer.id, put: { task: v.task.trim(), available, active: v.active ?? true, version: volunteer.version } }
        : { create: { person: person ?? '', site: v.site ?? null, task: v.task.trim(), available } },
      {
        onSuccess: (saved) => {
          void message.success(t(volunteer ? 'healthSupport.volunteers.updated' : 'healthSupport.volunteers.created', { name: saved.person.name }));
          onClose();
        },
        onError: (error) => {
          if (!showFieldErrors(form, error, { person: 'person', site: 'site', task: 'task', available: 'available' })) setFailure(describe(error));
        },
      },
    );
  };

  return (
    <Modal
      open={open}
      title={volunteer ? t('healthSupport.volunteers.edit', { name: volunteer.person.name }) : t('healthSupport.volunteers.add')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      <Form<VolunteerForm>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={volunteer ? { task: volunteer.task, available: volunteer.available ?? undefined, active: volunteer.active } : {}}
      >
        {volunteer ? (
          <Typography.Paragraph>
            {volunteer.person.name} <Typography.Text type="secondary">({volunteer.person.code})</Typography.Text>
            {volunteer.site ? ` · ${volunteer.site.nameZh}` : ''}
          </Typography.Paragraph>
        ) : (
          <>
            <Form.Item name="person" label={t('healthSupport.volunteers.person')} extra={t('healthSupport.volunteers.personHint')} rules={[{ required: true, message: t('common.fieldRequired', { field: t('healthSupport.volunteers.person') }) }]}>
              <PersonPicker />
            </Form.Item>
            <Form.Item name="site" label={t('healthSupport.volunteers.site')}>
              <Select
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                loading={sites.isPending}
                placeholder={t('healthSupport.volunteers.anySite')}
                options={(sites.data?.rows ?? []).map((s) => ({ value: s.code, label: `${nameIn(i18n.language, s.nameZh, s.nameEn)} (${s.code})` }))}
              />
            </Form.Item>
          </>
        )}
        <Form.Item name="task" label={t('healthSupport.volunteers.task')} rules={[{ required: true, whitespace: true, message: t('common.fieldRequired', { field: t('healthSupport.volunteers.task') }) }]}>
          <Input maxLength={200} placeholder={t('healthSupport.volunteers.taskPlaceholder')} />
        </Form.Item>
        <Form.Item name="available" label={t('healthSupport.volunteers.available')}>
          <Input maxLength={200} placeholder={t('healthSupport.volunteers.availablePlaceholder')} />
        </Form.Item>
        {volunteer ? (
          <Form.Item name="active" label={t('healthSupport.volunteers.active')} valuePropName="checked">
            <Switch />
          </Form.Item>
        ) : null}
        {failure ? <Alert type="error" showIcon title={failure} /> : null}
      </Form>
    </Modal>
  );
}

/** 志愿者: who helps where, with what and when; names masked as the server sends them. */
export function VolunteersTab({ canWrite }: { canWrite: boolean }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const describe = useSupportError();
  const [params] = useSearchParams();
  const set = useSetSearchParam();
  const site = params.get('site') ?? undefined;
  const withInactive = params.get('inactive') === 'true';
  const sites = useSites();
  const volunteers = useVolunteers(site, withInactive);
  const save = useSaveVolunteer();
  const [editing, setEditing] = useState<{ volunteer: Volunteer | null } | null>(null);

  const deactivate = (v: Volunteer) =>
    save.mutateAsync({ id: v.id, put: { task: v.task, available: v.available, active: false, version: v.version } }).then(
      () => void message.success(t('healthSupport.volunteers.deactivated', { name: v.person.name })),
      (error: unknown) => void message.error(describe(error)),
    );

  const columns: ColumnsType<Volunteer> = [
    {
      title: t('healthSupport.volunteers.person'),
      key: 'person',
      render: (_v, r) => (
        <span>
          {r.person.name} <Typography.Text type="secondary">({r.person.code})</Typography.Text>
        </span>
      ),
    },
    { title: t('healthSupport.volunteers.site'), key: 'site', render: (_v, r) => r.site?.nameZh ?? t('healthSupport.volunteers.anySite') },
    { title: t('healthSupport.volunteers.task'), dataIndex: 'task' },
    { title: t('healthSupport.volunteers.available'), dataIndex: 'available', render: (v: string | null) => v ?? '—' },
    { title: t('healthSupport.volunteers.active'), dataIndex: 'active', render: (v: boolean) => (v ? <Tag color="green">{t('healthSupport.volunteers.activeTag')}</Tag> : <Tag>{t('healthSupport.volunteers.inactiveTag')}</Tag>) },
    { title: t('healthSupport.volunteers.since'), dataIndex: 'createdAt', render: (v: string) => formatDateTime(v).slice(0, 10) },
    ...(canWrite
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_v: unknown, r: Volunteer) => (
              <Flex gap={4}>
                <Button size="small" icon={<EditOutlined aria-hidden />} onClick={() => setEditing({ volunteer: r })}>
                  {t('common.edit')}
                </Button>
                {r.active ? (
                  <Popconfirm
                    title={t('healthSupport.volunteers.deactivate')}
                    description={t('healthSupport.volunteers.deactivateConfirm', { name: r.person.name })}
                    okText={t('healthSupport.volunteers.deactivate')}
                    okButtonProps={{ danger: true }}
                    cancelText={t('common.cancel')}
                    onConfirm={() => deactivate(r)}
                  >
                    <Button size="small" danger icon={<StopOutlined aria-hidden />}>
                      {t('healthSupport.volunteers.deactivate')}
                    </Button>
                  </Popconfirm>
                ) : null}
              </Flex>
            ),
          },
        ]
      : []),
  ];

  return (
    <Flex vertical gap={12}>
      <Flex gap={8} wrap align="center" justify="space-between">
        <Form layout="inline" style={{ rowGap: 8 }}>
          <Form.Item label={t('healthSupport.volunteers.site')} htmlFor="volunteers-site">
            <Select<string>
              id="volunteers-site"
              value={site}
              onChange={(v) => set('site', v)}
              allowClear
              placeholder={t('healthSupport.points.allCommunities')}
              loading={sites.isPending}
              showSearch={{ optionFilterProp: 'label' }}
              style={{ minWidth: 200 }}
              options={(sites.data?.rows ?? []).map((s) => ({ value: s.code, label: `${nameIn(i18n.language, s.nameZh, s.nameEn)} (${s.code})` }))}
            />
          </Form.Item>
          <Form.Item label={t('healthSupport.volunteers.showInactive')} htmlFor="volunteers-inactive">
            <Switch id="volunteers-inactive" checked={withInactive} onChange={(on) => set('inactive', on ? 'true' : null)} />
          </Form.Item>
        </Form>
        {canWrite ? (
          <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setEditing({ volunteer: null })}>
            {t('healthSupport.volunteers.add')}
          </Button>
        ) : null}
      </Flex>
      {volunteers.isError ? (
        <LoadError error={volunteers.error} onRetry={() => void volunteers.refetch()} />
      ) : (
        <Table<Volunteer>
          size="small"
          rowKey="id"
          loading={volunteers.isPending}
          dataSource={volunteers.data?.rows ?? []}
          columns={columns}
          scroll={{ x: 'max-content' }}
          pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true }}
          locale={{ emptyText: t(canWrite ? 'healthSupport.volunteers.emptyWrite' : 'healthSupport.volunteers.empty') }}
        />
      )}
      <VolunteerModal open={editing !== null} volunteer={editing?.volunteer ?? null} onClose={() => setEditing(null)} key={editing?.volunteer?.id ?? 'new'} />
    </Flex>
  );
}
