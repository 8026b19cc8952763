import { EditOutlined, EyeOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, Drawer, Flex, Grid, Image, List, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { usePermission } from '../../app/session';
import { LoadError, PageSpin } from '../../app/status-pages';
import { RegistryPassForm } from './registry-pass-form';
import { RegistryPassList } from './registry-pass-list';
import { RegistryPersonForm } from './registry-person-form';
import { usePasses, usePeople, usePerson, type Person } from './registry-queries';
import { RegistryUnmaskModal } from './registry-unmask';

/** A person's details, household, proxy and passes; unmasking, editing and issuing passes from here. */
export function PersonDrawer({ id, onClose }: { id: string | undefined; onClose: () => void }) {
  const { t } = useTranslation();
  const screens = Grid.useBreakpoint();
  const person = usePerson(id);
  return (
    <Drawer open={Boolean(id)} onClose={onClose} size={screens.md ? 760 : '100%'} title={person.data ? `${person.data.name} · ${person.data.code}` : t('accessRegistry.person.title')} destroyOnHidden>
      {person.isPending ? <PageSpin /> : person.isError ? <LoadError error={person.error} onRetry={() => void person.refetch()} /> : <PersonDetails person={person.data} />}
    </Drawer>
  );
}

function PersonDetails({ person }: { person: Person }) {
  const { t } = useTranslation();
  const can = usePermission();
  const [unmasking, setUnmasking] = useState<'idNumber' | 'phone' | null>(null);
  const [editing, setEditing] = useState(false);
  const [issuing, setIssuing] = useState(false);
  const [photo, setPhoto] = useState(false);
  const seesPasses = can('access.read');
  const passes = usePasses({ person: person.code, pageSize: 100 }, seesPasses);
  const household = usePeople({ site: person.site ?? undefined, household: person.household ?? undefined, page: 1, pageSize: 50 }, Boolean(person.site && person.household));
  const unmaskButton = (field: 'idNumber' | 'phone') =>
    can('personal.unmask') ? (
      <Button size="small" type="link" icon={<EyeOutlined aria-hidden />} onClick={() => setUnmasking(field)}>
        {t('accessRegistry.unmask.button')}
      </Button>
    ) : null;

  return (
    <Flex vertical gap={16}>
      <Flex justify="flex-end" gap={8} wrap>
        {can('access.write') ? (
          <Button icon={<EditOutlined aria-hidden />} onClick={() => setEditing(true)}>
            {t('common.edit')}
          </Button>
        ) : null}
      </Flex>
      <Descriptions size="small" bordered column={1}>
        <Descriptions.Item label={t('accessRegistry.person.code')}>{person.code}</Descriptions.Item>
        <Descriptions.Item label={t('accessRegistry.person.name')}>{person.name}</Descriptions.Item>
        <Descriptions.Item label={t('accessRegistry.person.category')}>{t(`accessRegistry.categories.${person.category}`)}</Descriptions.Item>
        <Descriptions.Item label={t('accessRegistry.person.sex')}>{person.sex ? t(`accessRegistry.sexes.${person.sex}`) : '—'}</Descriptions.Item>
        <Descriptions.Item label={t('accessRegistry.person.idType')}>{person.idType ? t(`accessRegistry.idTypes.${person.idType}`) : '—'}</Descriptions.Item>
        <Descriptions.Item label={t('accessRegistry.person.idNumber')}>
          {person.idNumber ? (
            <Flex align="center" gap={4} wrap>
              <Typography.Text code data-testid="person-id-number">
                {person.idNumber}
              </Typography.Text>
              {unmaskButton('idNumber')}
            </Flex>
          ) : (
            '—'
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('accessRegistry.person.phone')}>
          {person.phone ? (
            <Flex align="center" gap={4} wrap>
              <Typography.Text code data-testid="person-phone">
                {person.phone}
              </Typography.Text>
              {unmaskButton('phone')}
            </Flex>
          ) : (
            '—'
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('accessRegistry.person.unit')}>{person.unit ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('accessRegistry.person.site')}>{person.site ? <Link to={`/access/sites/${encodeURIComponent(person.site)}`}>{person.site}</Link> : '—'}</Descriptions.Item>
        <Descriptions.Item label={t('accessRegistry.person.household')}>{person.household ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('accessRegistry.person.proxy')}>{person.proxyPerson ? t('accessRegistry.person.proxyBy', { code: person.proxyPerson }) : '—'}</Descriptions.Item>
        <Descriptions.Item label={t('accessRegistry.person.account')}>{person.userId ? <Tag color="blue">{t('accessRegistry.person.linked')}</Tag> : '—'}</Descriptions.Item>
        <Descriptions.Item label={t('accessRegistry.person.photo')}>
          {person.hasPhoto ? (
            photo ? (
              <Image src={`/api/people/${encodeURIComponent(person.id)}/photo`} alt={t('accessRegistry.person.photo')} width={120} />
            ) : (
              <Button size="small" onClick={() => setPhoto(true)}>
                {t('accessRegistry.person.showPhoto')}
              </Button>
            )
          ) : (
            '—'
          )}
        </Descriptions.Item>
      </Descriptions>

      {person.site && person.household ? (
        <Card size="small" title={t('accessRegistry.person.householdMembers', { household: person.household })}>
          <List
            size="small"
            loading={household.isPending}
            dataSource={household.data?.items ?? []}
            renderItem={(m) => (
              <List.Item>
                <Flex gap={8} wrap>
                  <Typography.Text strong={m.id === person.id}>{m.name}</Typography.Text>
                  <Typography.Text type="secondary">{m.code}</Typography.Text>
                  <Tag>{t(`accessRegistry.categories.${m.category}`)}</Tag>
                  {m.proxyPerson ? <Typography.Text type="secondary">{t('accessRegistry.person.proxyBy', { code: m.proxyPerson })}</Typography.Text> : null}
                </Flex>
              </List.Item>
            )}
          />
        </Card>
      ) : null}

      {seesPasses ? (
      <Card
        size="small"
        title={t('accessRegistry.passes.title')}
        extra={
          can('access.write') ? (
            <Button size="small" type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setIssuing(true)}>
              {t('accessRegistry.passes.issue')}
            </Button>
          ) : null
        }
      >
        {passes.isError ? <LoadError error={passes.error} onRetry={() => void passes.refetch()} /> : <RegistryPassList rows={passes.data?.rows ?? []} loading={passes.isPending} />}
      </Card>
      ) : null}

      {unmasking ? <RegistryUnmaskModal person={person} field={unmasking} onClose={() => setUnmasking(null)} /> : null}
      {editing ? <RegistryPersonForm person={person} onClose={() => setEditing(false)} onSaved={() => setEditing(false)} /> : null}
      {issuing ? <RegistryPassForm person={{ code: person.code, name: person.name }} sites={person.site ? [person.site] : []} onClose={() => setIssuing(false)} /> : null}
    </Flex>
  );
}
