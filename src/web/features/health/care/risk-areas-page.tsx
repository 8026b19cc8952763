import { EditOutlined, PlusOutlined, StopOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, DatePicker, Flex, Form, Input, Modal, Segmented, Select, Table, Tag, Typography, Upload } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ApiError } from '../../../app/api-client';
import { usePermission } from '../../../app/session';
import { LoadError } from '../../../app/status-pages';
import { useSetSearchParam } from '../../../app/use-search-param';
import { shanghaiToday, showFieldErrors } from '../../access/live-parts';
import { LevelTag, RISK_LEVELS, useCareError } from './care-parts';
import { useEndRiskArea, useImportRiskAreas, useRiskAreas, useSaveRiskArea, type RiskAreaView, type RiskLevel } from './care-queries';

type ActiveFilter = 'true' | 'false' | 'all';
const FILTERS: readonly ActiveFilter[] = ['true', 'false', 'all'];

interface AreaForm {
  region: string;
  level: RiskLevel;
  validFrom: Dayjs;
  validTo?: Dayjs | null;
  source?: string;
}

interface ImportProblem {
  row: number;
  column: string;
  message: string;
}

/** The row-by-row problems of a refused import (422 IMPORT_INVALID: details are { row, column, message }). */
function importProblems(error: unknown): ImportProblem[] {
  if (!(error instanceof ApiError) || error.code !== 'IMPORT_INVALID' || !Array.isArray(error.details)) return [];
  return (error.details as Partial<ImportProblem>[]).map((d) => ({ row: Number(d.row ?? 0), column: String(d.column ?? ''), message: String(d.message ?? '') }));
}

/**
 * 风险地区: the regions a stay is matched against (level and validity), entered by hand or imported
 * from a health commission's list; ending one keeps it for the stays of its days.
 */
export function RiskAreasPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const describe = useCareError();
  const can = usePermission();
  const writable = can('health.write');
  const [params] = useSearchParams();
  const set = useSetSearchParam();
  const asked = params.get('active');
  const active = FILTERS.find((f) => f === asked) ?? 'true';
  const areas = useRiskAreas(active === 'all' ? undefined : active);
  const importer = useImportRiskAreas();
  const [editing, setEditing] = useState<RiskAreaView | 'new' | null>(null);
  const [ending, setEnding] = useState<RiskAreaView | null>(null);
  const [problems, setProblems] = useState<{ file: string; rows: ImportProblem[] } | null>(null);

  const upload = (file: File) => {
    setProblems(null);
    importer.mutate(file, {
      onSuccess: (r) => void message.success(t('healthCare.riskAreas.imported', { count: r.inserted })),
      onError: (e) => {
        const rows = importProblems(e);
        if (rows.length) setProblems({ file: file.name, rows });
        else void message.error(describe(e));
      },
    });
    return false;
  };

  const columns: ColumnsType<RiskAreaView> = [
    { title: t('healthCare.riskAreas.region'), dataIndex: 'region', render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
    { title: t('healthCare.riskAreas.level'), dataIndex: 'level', render: (l: RiskLevel) => <LevelTag level={l} /> },
    { title: t('healthCare.riskAreas.validFrom'), dataIndex: 'validFrom' },
    { title: t('healthCare.riskAreas.validTo'), dataIndex: 'validTo', render: (v: string | null) => v ?? t('healthCare.riskAreas.open') },
    { title: t('healthCare.riskAreas.source'), dataIndex: 'source', render: (v: string | null) => v ?? '—', ellipsis: true },
    { title: t('healthCare.common.status'), dataIndex: 'active', render: (a: boolean) => (a ? <Tag color="red">{t('healthCare.riskAreas.active')}</Tag> : <Tag>{t('healthCare.riskAreas.inactive')}</Tag>) },
    ...(writable
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_v: unknown, r: RiskAreaView) => (
              <Flex gap={4} wrap>
                <Button size="small" icon={<EditOutlined aria-hidden />} onClick={() => setEditing(r)}>
                  {t('common.edit')}
                </Button>
                {r.validTo === null || r.validTo >= shanghaiToday() ? (
                  <Button size="small" danger icon={<StopOutlined aria-hidden />} onClick={() => setEnding(r)}>
                    {t('healthCare.riskAreas.end')}
                  </Button>
                ) : null}
              </Flex>
            ),
          },
        ]
      : []),
  ];

  return (
    <Flex vertical gap={16}>
      <Flex gap={8} wrap align="center" justify="space-between">
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('healthCare.riskAreas.title')}
        </Typography.Title>
        {writable ? (
          <Flex gap={8} wrap>
            <Upload accept=".xlsx,.csv" showUploadList={false} beforeUpload={upload} disabled={importer.isPending}>
              <Button icon={<UploadOutlined aria-hidden />} loading={importer.isPending}>
                {t('healthCare.riskAreas.import')}
              </Button>
            </Upload>
            <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setEditing('new')}>
              {t('healthCare.riskAreas.add')}
            </Button>
          </Flex>
        ) : null}
      </Flex>
      <Typography.Text type="secondary">{t('healthCare.riskAreas.intro')}</Typography.Text>
      {writable ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('healthCare.riskAreas.importHint')}</Typography.Text> : null}
      {problems ? (
        <Alert
          type="error"
          showIcon
          closable={{ onClose: () => setProblems(null) }}
          title={t('healthCare.riskAreas.importRefused', { file: problems.file, count: problems.rows.length })}
          description={
            <Table<ImportProblem>
              size="small"
              data-testid="import-problems"
              rowKey={(r) => `${r.row}|${r.column}|${r.message}`}
              dataSource={problems.rows}
              pagination={problems.rows.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
              columns={[
                { title: t('healthCare.riskAreas.row'), dataIndex: 'row', width: 70, align: 'right' },
                { title: t('healthCare.riskAreas.column'), dataIndex: 'column', width: 120 },
                { title: t('healthCare.riskAreas.problem'), dataIndex: 'message' },
              ]}
            />
          }
        />
      ) : null}
      <Segmented<ActiveFilter> value={active} onChange={(v) => set('active', v === 'true' ? null : v)} options={FILTERS.map((f) => ({ value: f, label: t(`healthCare.riskAreas.filters.${f}`) }))} style={{ alignSelf: 'flex-start' }} />
      {areas.isError ? (
        <LoadError error={areas.error} onRetry={() => void areas.refetch()} />
      ) : (
        <Card size="small">
          <Table<RiskAreaView>
            size="small"
            rowKey="id"
            loading={areas.isFetching}
            dataSource={areas.data?.rows ?? []}
            columns={columns}
            scroll={{ x: 'max-content' }}
            pagination={{ pageSize: 50, showSizeChanger: false, hideOnSinglePage: true, showTotal: (total) => t('common.total', { total }) }}
            locale={{ emptyText: writable ? t('healthCare.riskAreas.emptyWritable') : t('healthCare.riskAreas.empty') }}
          />
        </Card>
      )}
      <AreaModal area={editing} onClose={() => setEditing(null)} />
      <EndModal area={ending} onClose={() => setEnding(null)} />
    </Flex>
  );
}

const fieldMap: Record<string, string> = { region: 'region', level: 'level', validFrom: 'validFrom', validTo: 'validTo', source: 'source' };

function AreaModal({ area, onClose }: { area: RiskAreaView | 'new' | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const describe = useCareError();
  const save = useSaveRiskArea();
  const [form] = Form.useForm<AreaForm>();
  const [failure, setFailure] = useState<string | null>(null);
  const existing = area !== null && area !== 'new' ? area : null;
  const initial: Partial<AreaForm> = existing
    ? { region: existing.region, level: existing.level, validFrom: dayjs(existing.validFrom), validTo: existing.validTo ? dayjs(existing.validTo) : null, source: existing.source ?? undefined }
    : { level: 'high', validFrom: dayjs(shanghaiToday()), validTo: null };

  const submit = (v: AreaForm) => {
    setFailure(null);
    const common = { region: v.region.trim(), level: v.level, validFrom: v.validFrom.format('YYYY-MM-DD'), validTo: v.validTo ? v.validTo.format('YYYY-MM-DD') : null };
    const source = v.source?.trim() || null;
    const input = existing ? { id: existing.id, body: { ...common, source, version: existing.version } } : { id: null, body: { ...common, ...(source ? { source } : {}) } };
    save.mutate(input, {
      onSuccess: () => {
        void message.success(t('common.saved'));
        onClose();
      },
      onError: (e) => {
        if (!showFieldErrors(form, e, fieldMap)) setFailure(describe(e));
      },
    });
  };

  return (
    <Modal
      open={area !== null}
      title={existing ? t('healthCare.riskAreas.edit') : t('healthCare.riskAreas.add')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      <Form<AreaForm> form={form} layout="vertical" initialValues={initial} onFinish={submit}>
        <Form.Item name="region" label={t('healthCare.riskAreas.region')} extra={t('healthCare.riskAreas.regionHint')} rules={[{ required: true, min: 2, whitespace: true, message: t('healthCare.travel.regionRequired') }]}>
          <Input maxLength={100} placeholder="湖北省武汉市" />
        </Form.Item>
        <Form.Item name="level" label={t('healthCare.riskAreas.level')} rules={[{ required: true }]}>
          <Select options={RISK_LEVELS.map((l) => ({ value: l, label: t(`healthCare.levels.${l}`) }))} />
        </Form.Item>
        <Flex gap={8} wrap>
          <Form.Item name="validFrom" label={t('healthCare.riskAreas.validFrom')} rules={[{ required: true, message: t('healthCare.riskAreas.validFromRequired') }]}>
            <DatePicker allowClear={false} />
          </Form.Item>
          <Form.Item
            name="validTo"
            label={t('healthCare.riskAreas.validTo')}
            extra={t('healthCare.riskAreas.validToHint')}
            dependencies={['validFrom']}
            rules={[
              ({ getFieldValue }) => ({
                validator: (_r, v: Dayjs | null | undefined) => {
                  const from = getFieldValue('validFrom') as Dayjs | undefined;
                  return !v || !from || !v.isBefore(from, 'day') ? Promise.resolve() : Promise.reject(new Error(t('healthCare.riskAreas.datesOrder')));
                },
              }),
            ]}
          >
            <DatePicker />
          </Form.Item>
        </Flex>
        <Form.Item name="source" label={t('healthCare.riskAreas.source')}>
          <Input maxLength={200} placeholder={t('healthCare.riskAreas.sourcePlaceholder')} />
        </Form.Item>
        {failure ? <Alert type="error" showIcon title={failure} /> : null}
      </Form>
    </Modal>
  );
}

/** Ending a risk area: its last day (today by default); stays up to that day still match. */
function EndModal({ area, onClose }: { area: RiskAreaView | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const describe = useCareError();
  const end = useEndRiskArea();
  const [day, setDay] = useState<Dayjs | null>(null);
  const chosen = day ?? dayjs(shanghaiToday());
  return (
    <Modal
      open={area !== null}
      title={area ? t('healthCare.riskAreas.endTitle', { region: area.region }) : ''}
      onCancel={() => {
        setDay(null);
        onClose();
      }}
      onOk={() =>
        area &&
        end.mutate(
          { id: area.id, validTo: chosen.format('YYYY-MM-DD') },
          {
            onSuccess: () => {
              void message.success(t('healthCare.riskAreas.ended', { region: area.region }));
              setDay(null);
              onClose();
            },
            onError: (e) => void message.error(describe(e)),
          },
        )
      }
      okText={t('healthCare.riskAreas.end')}
      okButtonProps={{ danger: true }}
      cancelText={t('common.cancel')}
      confirmLoading={end.isPending}
      destroyOnHidden
    >
      <Flex vertical gap={8}>
        <Typography.Text>{t('healthCare.riskAreas.endHint')}</Typography.Text>
        <DatePicker aria-label={t('healthCare.riskAreas.lastDay')} value={chosen} allowClear={false} onChange={(d) => setDay(d)} disabledDate={(d) => (area ? d.format('YYYY-MM-DD') < area.validFrom : false)} />
      </Flex>
    </Modal>
  );
}
