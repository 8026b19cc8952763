import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Form, Input, Modal, Select, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { usePermission } from '../../app/session';
import { LoadError } from '../../app/status-pages';
import { useFormErrors } from './registry-parts';
import { RegistryPersonPicker } from './registry-person-picker';
import {
  useBuildings,
  useCreateBuilding,
  useCreateGridCell,
  useCreateHousehold,
  useGridCells,
  useHouseholds,
  usePatchGridCell,
  type Building,
  type GridCell,
  type Household,
} from './registry-queries';

const partCode = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/;
const householdPattern = /^[\p{L}\p{N}][\p{L}\p{N}_.#-]{0,39}$/u;

/** Grid cells (网格) with their grid workers. */
export function RegistryGridCells({ site }: { site: string }) {
  const { t } = useTranslation();
  const can = usePermission();
  const cells = useGridCells(site);
  const [editing, setEditing] = useState<GridCell | 'new' | null>(null);
  const columns: ColumnsType<GridCell> = [
    { title: t('accessRegistry.parts.code'), dataIndex: 'code' },
    { title: t('accessRegistry.parts.name'), dataIndex: 'name' },
    { title: t('accessRegistry.parts.worker'), dataIndex: 'worker', render: (w: GridCell['worker']) => (w ? `${w.name} (${w.code})` : '—') },
    { title: t('accessRegistry.site.buildings'), dataIndex: 'buildings', align: 'right' },
    ...(can('access.write')
      ? [{ title: t('common.actions'), key: 'actions', render: (_v: unknown, c: GridCell) => <Button size="small" onClick={() => setEditing(c)}>{t('common.edit')}</Button> }]
      : []),
  ];
  return (
    <Flex vertical gap={8}>
      {can('access.write') ? (
        <Button icon={<PlusOutlined aria-hidden />} onClick={() => setEditing('new')} style={{ alignSelf: 'flex-end' }}>
          {t('accessRegistry.parts.addGridCell')}
        </Button>
      ) : null}
      {cells.isError ? (
        <LoadError error={cells.error} onRetry={() => void cells.refetch()} />
      ) : (
        <Table<GridCell> size="small" rowKey="code" loading={cells.isPending} dataSource={cells.data?.rows ?? []} columns={columns} pagination={false} scroll={{ x: 'max-content' }} />
      )}
      {editing ? <GridCellForm site={site} cell={editing === 'new' ? null : editing} onClose={() => setEditing(null)} /> : null}
    </Flex>
  );
}

interface GridCellValues {
  code: string;
  name: string;
  worker: string | null;
}

function GridCellForm({ site, cell, onClose }: { site: string; cell: GridCell | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<GridCellValues>();
  const create = useCreateGridCell(site);
  const patch = usePatchGridCell(site);
  const [problem, setProblem] = useState<string | null>(null);
  const formErrors = useFormErrors<GridCellValues>({ GRID_CELL_EXISTS: 'code', PERSON_NOT_FOUND: 'worker' });
  const known = new Set(['code', 'name', 'worker']);
  const submit = (v: GridCellValues) => {
    setProblem(null);
    const onError = (error: unknown) => setProblem(formErrors(form, error, known));
    if (cell) patch.mutate({ cell: cell.code, body: { version: cell.version, name: v.name.trim(), worker: v.worker ?? null } }, { onSuccess: onClose, onError });
    else create.mutate({ code: v.code.trim(), name: v.name.trim(), worker: v.worker ?? null }, { onSuccess: onClose, onError });
  };
  return (
    <Modal open title={cell ? t('accessRegistry.parts.editGridCell', { code: cell.code }) : t('accessRegistry.parts.addGridCell')} okText={t('common.save')} onOk={() => form.submit()} confirmLoading={create.isPending || patch.isPending} onCancel={onClose} destroyOnHidden>
      <Form<GridCellValues> form={form} layout="vertical" onFinish={submit} initialValues={cell ? { code: cell.code, name: cell.name, worker: cell.worker?.code ?? null } : { worker: null }}>
        {problem ? <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} /> : null}
        <Form.Item name="code" label={t('accessRegistry.parts.code')} rules={[{ required: true, pattern: partCode, message: t('accessRegistry.siteForm.codeRule') }]}>
          <Input disabled={Boolean(cell)} maxLength={40} />
        </Form.Item>
        <Form.Item name="name" label={t('accessRegistry.parts.name')} rules={[{ required: true, whitespace: true, max: 100 }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="worker" label={t('accessRegistry.parts.worker')}>
          <RegistryPersonPicker initialLabel={cell?.worker ? `${cell.worker.name} (${cell.worker.code})` : undefined} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Buildings (楼栋), each optionally in a grid cell. */
export function RegistryBuildings({ site }: { site: string }) {
  const { t } = useTranslation();
  const can = usePermission();
  const buildings = useBuildings(site);
  const cells = useGridCells(site);
  const [adding, setAdding] = useState(false);
  const columns: ColumnsType<Building> = [
    { title: t('accessRegistry.parts.code'), dataIndex: 'code' },
    { title: t('accessRegistry.parts.name'), dataIndex: 'name' },
    { title: t('accessRegistry.parts.gridCell'), dataIndex: 'gridCell', render: (g: string | null) => g ?? '—' },
    {
      title: t('accessRegistry.site.households'),
      dataIndex: 'households',
      align: 'right',
      render: (n: number, b) => <Link to={`?tab=households&building=${encodeURIComponent(b.code)}`}>{n}</Link>,
    },
  ];
  return (
    <Flex vertical gap={8}>
      {can('access.write') ? (
        <Button icon={<PlusOutlined aria-hidden />} onClick={() => setAdding(true)} style={{ alignSelf: 'flex-end' }}>
          {t('accessRegistry.parts.addBuilding')}
        </Button>
      ) : null}
      {buildings.isError ? (
        <LoadError error={buildings.error} onRetry={() => void buildings.refetch()} />
      ) : (
        <Table<Building> size="small" rowKey="code" loading={buildings.isPending} dataSource={buildings.data?.rows ?? []} columns={columns} pagination={{ pageSize: 50, hideOnSinglePage: true }} scroll={{ x: 'max-content' }} />
      )}
      {adding ? <BuildingForm site={site} cells={cells.data?.rows ?? []} onClose={() => setAdding(false)} /> : null}
    </Flex>
  );
}

interface BuildingValues {
  code: string;
  name: string;
  gridCell: string | null;
}

function BuildingForm({ site, cells, onClose }: { site: string; cells: GridCell[]; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<BuildingValues>();
  const create = useCreateBuilding(site);
  const [problem, setProblem] = useState<string | null>(null);
  const formErrors = useFormErrors<BuildingValues>({ BUILDING_EXISTS: 'code', GRID_CELL_NOT_FOUND: 'gridCell' });
  const known = new Set(['code', 'name', 'gridCell']);
  return (
    <Modal open title={t('accessRegistry.parts.addBuilding')} okText={t('common.save')} onOk={() => form.submit()} confirmLoading={create.isPending} onCancel={onClose} destroyOnHidden>
      <Form<BuildingValues>
        form={form}
        layout="vertical"
        initialValues={{ gridCell: null }}
        onFinish={(v) => {
          setProblem(null);
          create.mutate({ code: v.code.trim(), name: v.name.trim(), gridCell: v.gridCell ?? null }, { onSuccess: onClose, onError: (error) => setProblem(formErrors(form, error, known)) });
        }}
      >
        {problem ? <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} /> : null}
        <Form.Item name="code" label={t('accessRegistry.parts.code')} rules={[{ required: true, pattern: partCode, message: t('accessRegistry.siteForm.codeRule') }]}>
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item name="name" label={t('accessRegistry.parts.name')} rules={[{ required: true, whitespace: true, max: 100 }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="gridCell" label={t('accessRegistry.parts.gridCell')}>
          <Select allowClear options={cells.map((c) => ({ value: c.code, label: `${c.name} (${c.code})` }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Households (户) with their member counts, optionally of one building. */
export function RegistryHouseholds({ site, building, onBuilding }: { site: string; building: string | undefined; onBuilding: (b: string | undefined) => void }) {
  const { t } = useTranslation();
  const can = usePermission();
  const households = useHouseholds(site, building);
  const buildings = useBuildings(site);
  const [adding, setAdding] = useState(false);
  const columns: ColumnsType<Household> = [
    { title: t('accessRegistry.parts.household'), dataIndex: 'code', render: (code: string) => <Link to={`/access/people?site=${encodeURIComponent(site)}&household=${encodeURIComponent(code)}`}>{code}</Link> },
    { title: t('accessRegistry.parts.building'), dataIndex: 'building', render: (b: string | null) => b ?? '—' },
    { title: t('accessRegistry.parts.members'), dataIndex: 'members', align: 'right' },
  ];
  return (
    <Flex vertical gap={8}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Flex align="center" gap={8}>
          <Typography.Text>{t('accessRegistry.parts.building')}</Typography.Text>
          <Select
            allowClear
            value={building}
            onChange={(v: string | undefined) => onBuilding(v)}
            options={(buildings.data?.rows ?? []).map((b) => ({ value: b.code, label: b.name }))}
            style={{ width: 180 }}
            aria-label={t('accessRegistry.parts.building')}
          />
        </Flex>
        {can('access.write') ? (
          <Button icon={<PlusOutlined aria-hidden />} onClick={() => setAdding(true)}>
            {t('accessRegistry.parts.addHousehold')}
          </Button>
        ) : null}
      </Flex>
      {households.isError ? (
        <LoadError error={households.error} onRetry={() => void households.refetch()} />
      ) : (
        <Table<Household>
          size="small"
          rowKey="code"
          loading={households.isPending}
          dataSource={households.data?.rows ?? []}
          columns={columns}
          pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
          scroll={{ x: 'max-content' }}
        />
      )}
      {adding ? <HouseholdForm site={site} buildings={buildings.data?.rows ?? []} building={building} onClose={() => setAdding(false)} /> : null}
    </Flex>
  );
}

interface HouseholdValues {
  code: string;
  building: string | null;
}

function HouseholdForm({ site, buildings, building, onClose }: { site: string; buildings: Building[]; building: string | undefined; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<HouseholdValues>();
  const create = useCreateHousehold(site);
  const [problem, setProblem] = useState<string | null>(null);
  const formErrors = useFormErrors<HouseholdValues>({ HOUSEHOLD_EXISTS: 'code', BUILDING_NOT_FOUND: 'building' });
  const known = new Set(['code', 'building']);
  return (
    <Modal open title={t('accessRegistry.parts.addHousehold')} okText={t('common.save')} onOk={() => form.submit()} confirmLoading={create.isPending} onCancel={onClose} destroyOnHidden>
      <Form<HouseholdValues>
        form={form}
        layout="vertical"
        initialValues={{ building: building ?? null }}
        onFinish={(v) => {
          setProblem(null);
          create.mutate({ code: v.code.trim(), building: v.building ?? null }, { onSuccess: onClose, onError: (error) => setProblem(formErrors(form, error, known)) });
        }}
      >
        {problem ? <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} /> : null}
        <Form.Item name="code" label={t('accessRegistry.parts.household')} extra={t('accessRegistry.parts.householdHint')} rules={[{ required: true, pattern: householdPattern, message: t('accessRegistry.parts.householdRule') }]}>
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item name="building" label={t('accessRegistry.parts.building')}>
          <Select allowClear options={buildings.map((b) => ({ value: b.code, label: b.name }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
