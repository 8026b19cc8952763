import { CloudUploadOutlined, DownloadOutlined, FileExcelOutlined, FileTextOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Flex, Form, Progress, Result, Select, Space, Table, Tag, Typography, Upload } from 'antd';
import type { TableColumnsType } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { ImportKind, ImportProgress, ImportResult, ImportRowError } from '../../../server/modules/imports/imports.schemas';
import { api, buildUrl } from '../../app/api-client';
import { useErrorMessage } from '../../app/errors';
import { usePermission } from '../../app/session';
import { PeriodPicker } from '../benchmarking/period-picker';
import { useSelection } from '../benchmarking/selection';
import { UnitPicker } from '../benchmarking/unit-picker';
import { acceptedExtensions, downloadErrorReport, maxImportBytes, newProgressId, overallProgress, uploadImport, type UploadHandle } from './upload';

/** Each kind with the permission it needs besides import.run, and its columns (English, Chinese). */
const kinds: { kind: ImportKind; permission: string; columns: [string, string][]; perUnit: boolean }[] = [
  {
    kind: 'units',
    permission: 'unit.write',
    perUnit: false,
    columns: [['code', '单位编码'], ['name', '单位名称'], ['parent_code', '上级单位编码'], ['kind', '类型']],
  },
  {
    kind: 'indicators',
    permission: 'indicator.write',
    perUnit: false,
    columns: [['code', '指标编码'], ['name', '指标名称'], ['uom', '计量单位'], ['direction', '方向'], ['aggregation', '汇总方式'], ['formula', '公式'], ['precision', '精度'], ['category', '类别']],
  },
  {
    kind: 'assignments',
    permission: 'indicator.write',
    perUnit: false,
    columns: [['unit_code', '单位编码'], ['indicator_code', '指标编码'], ['weight', '权重']],
  },
  {
    kind: 'measurements',
    permission: 'measurement.enter',
    perUnit: true,
    columns: [['unit_code', '单位编码'], ['indicator_code', '指标编码'], ['period', '期间'], ['value', '实际值'], ['note', '备注']],
  },
  {
    kind: 'targets',
    permission: 'indicator.write',
    perUnit: true,
    columns: [['unit_code', '单位编码'], ['indicator_code', '指标编码'], ['period', '期间'], ['floor', '保底值'], ['target', '目标值'], ['stretch', '奋斗值'], ['basis', '依据']],
  },
  {
    kind: 'benchmarks',
    permission: 'indicator.write',
    perUnit: false,
    columns: [['benchmark_code', '标杆编码'], ['benchmark_name', '标杆名称'], ['kind', '类型'], ['indicator_code', '指标编码'], ['period', '期间'], ['value', '标杆值'], ['scope', '口径'], ['source', '来源']],
  },
  {
    kind: 'meters',
    permission: 'indicator.write',
    perUnit: false,
    columns: [['code', '表计编码'], ['name', '表计名称'], ['carrier', '能源介质'], ['kind', '类型'], ['uom', '计量单位'], ['unit_code', '单位编码'], ['rollover', '满量程'], ['multiplier', '倍率']],
  },
  { kind: 'sites', permission: 'access.write', perUnit: false, columns: [['code', '编码'], ['name', '名称'], ['kind', '类型'], ['access_level', '管控级别']] },
  { kind: 'checkpoints', permission: 'access.write', perUnit: false, columns: [['code', '卡口编码'], ['name', '名称'], ['site_code', '小区编码']] },
  {
    kind: 'people',
    permission: 'access.write',
    perUnit: false,
    columns: [['code', '人员编码'], ['name', '姓名'], ['id_type', '证件类型'], ['id_number', '证件号码'], ['phone', '手机号'], ['category', '类别'], ['unit_code', '单位编码'], ['site_code', '小区编码'], ['household', '户号']],
  },
];

type Phase = 'idle' | 'checking' | 'checked' | 'importing' | 'done';

function hasAcceptedExtension(name: string): boolean {
  const lower = name.toLowerCase();
  return acceptedExtensions.some((extension) => lower.endsWith(extension));
}

/** 数据导入: a file of units, indicators, values… checked first (dry run), then imported all or nothing. */
export function ImportsPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const describeError = useErrorMessage();
  const can = usePermission();
  const queryClient = useQueryClient();
  const allowed = kinds.filter((entry) => can(entry.permission));
  // ?kind=benchmarks (a link from another page) picks the kind when the user may import it.
  const [searchParams] = useSearchParams();
  const asked = allowed.find((entry) => entry.kind === searchParams.get('kind'));
  const [kind, setKind] = useState<ImportKind | undefined>((asked ?? allowed[0])?.kind);
  const spec = kinds.find((entry) => entry.kind === kind);
  const { unit, period, setUnit, setPeriod } = useSelection({ monthOnly: true });
  const [file, setFile] = useState<File | null>(null);
  const [phase, setPhase] = useState<Phase>('idle');
  const [progress, setProgress] = useState(0);
  const [progressId, setProgressId] = useState<string | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const pending = useRef<UploadHandle | null>(null);
  const lang = i18n.language === 'en-US' ? 'en' : 'zh';

  useEffect(() => () => pending.current?.abort(), []);

  const reset = () => {
    pending.current?.abort();
    pending.current = null;
    setFile(null);
    setPhase('idle');
    setResult(null);
    setError(null);
    setProgress(0);
  };

  const send = (chosen: File, dryRun: boolean) => {
    if (!kind) return;
    pending.current?.abort();
    setPhase(dryRun ? 'checking' : 'importing');
    setProgress(0);
    setError(null);
    const id = newProgressId();
    setProgressId(id);
    const handle = uploadImport(kind, chosen, dryRun, setProgress, id);
    pending.current = handle;
    handle.promise.then(
      (answer) => {
        if (pending.current !== handle) return;
        pending.current = null;
        setResult(answer);
        if (!dryRun && answer.errors.length === 0) {
          setPhase('done');
          void queryClient.invalidateQueries();
          message.success(t('imports.doneMessage', { rows: answer.rows }));
        } else setPhase('checked');
      },
      (failure: unknown) => {
        if (failure instanceof DOMException && failure.name === 'AbortError') return;
        if (pending.current !== handle) return;
        pending.current = null;
        setResult(null);
        setError(failure);
        setPhase('checked');
      },
    );
  };

  const choose = (chosen: File) => {
    reset();
    if (!hasAcceptedExtension(chosen.name)) {
      setError(t('errors.UNSUPPORTED_FILE_TYPE'));
      setPhase('checked');
      return;
    }
    if (chosen.size > maxImportBytes) {
      setError(t('errors.FILE_TOO_LARGE'));
      setPhase('checked');
      return;
    }
    if (chosen.size === 0) {
      setError(t('errors.EMPTY_FILE'));
      setPhase('checked');
      return;
    }
    setFile(chosen);
    send(chosen, true);
  };

  const templateUrl = (format: 'xlsx' | 'csv') =>
    buildUrl('/api/imports/template', {
      kind,
      unit: spec?.perUnit ? unit : undefined,
      period: spec?.perUnit ? period : undefined,
      format,
      lang,
    });

  const errorHeaders: [string, string, string, string] = [t('imports.row'), t('imports.column'), t('imports.value'), t('imports.message')];
  const errorColumns: TableColumnsType<ImportRowError> = [
    { key: 'row', dataIndex: 'row', title: errorHeaders[0], width: 80, align: 'right' },
    { key: 'column', dataIndex: 'column', title: errorHeaders[1], width: 160 },
    { key: 'value', dataIndex: 'value', title: errorHeaders[2], width: 200, render: (value: string) => <Typography.Text code>{value}</Typography.Text> },
    { key: 'message', dataIndex: 'message', title: errorHeaders[3] },
  ];

  const busy = phase === 'checking' || phase === 'importing';
  // Once the file is up, the server says where it stands: reading, checking every row, writing.
  const serverProgress = useQuery({
    queryKey: ['imports', 'progress', progressId],
    queryFn: ({ signal }) => api.get<ImportProgress>(`/api/imports/progress/${progressId}`, undefined, signal),
    enabled: busy && progress >= 100 && progressId !== null,
    refetchInterval: 400,
    retry: false,
    gcTime: 0,
  });
  const overall = overallProgress(progress, busy ? serverProgress.data : undefined);
  const rowErrors = result?.errors ?? [];
  const fileError = error === null ? null : typeof error === 'string' ? error : describeError(error);

  if (allowed.length === 0) {
    return <Result status="403" title={t('imports.title')} subTitle={t('imports.noKinds')} />;
  }

  return (
    <Flex vertical gap={16}>
      <div>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('imports.title')}
        </Typography.Title>
        <Typography.Text type="secondary">{t('imports.intro')}</Typography.Text>
      </div>
      <Card size="small" title={t('imports.step1')}>
        <Form layout="vertical">
          <Form.Item label={t('imports.kind')} htmlFor="imports-kind">
            <Select<ImportKind>
              id="imports-kind"
              value={kind}
              onChange={(next) => {
                reset();
                setKind(next);
              }}
              disabled={busy}
              options={allowed.map((entry) => ({ value: entry.kind, label: t(`imports.kinds.${entry.kind}`) }))}
              style={{ width: 260, maxWidth: '100%' }}
            />
          </Form.Item>
          {spec ? (
            <Form.Item label={t('imports.columns')}>
              <Flex vertical gap={4}>
                <Space size={[4, 4]} wrap>
                  {spec.columns.map(([en]) => (
                    <Tag key={en} style={{ fontFamily: 'monospace' }}>
                      {en}
                    </Tag>
                  ))}
                </Space>
                <Space size={[4, 4]} wrap>
                  {spec.columns.map(([en, zh]) => (
                    <Tag key={en}>{zh}</Tag>
                  ))}
                </Space>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('imports.columnsHint')}
                </Typography.Text>
              </Flex>
            </Form.Item>
          ) : null}
          <Form.Item label={t('imports.template')}>
            <Flex gap={8} wrap align="center">
              {spec?.perUnit ? (
                <>
                  <UnitPicker id="imports-unit" value={unit} onChange={setUnit} />
                  <PeriodPicker id="imports-period" value={period} onChange={setPeriod} kinds={['month']} />
                </>
              ) : null}
              <Button icon={<FileExcelOutlined aria-hidden />} href={templateUrl('xlsx')} download>
                {t('imports.templateXlsx')}
              </Button>
              <Button icon={<FileTextOutlined aria-hidden />} href={templateUrl('csv')} download>
                {t('imports.templateCsv')}
              </Button>
            </Flex>
          </Form.Item>
        </Form>
      </Card>
      <Card size="small" title={t('imports.step2')}>
        <Upload.Dragger
          accept={acceptedExtensions.join(',')}
          multiple={false}
          showUploadList={false}
          disabled={busy || !kind}
          beforeUpload={(chosen) => {
            choose(chosen);
            return false;
          }}
        >
          <p className="ant-upload-drag-icon">
            <CloudUploadOutlined aria-hidden />
          </p>
          <p className="ant-upload-text">{t('imports.drop')}</p>
          <p className="ant-upload-hint">{t('imports.dropHint')}</p>
        </Upload.Dragger>
        {file ? (
          <Typography.Paragraph style={{ marginTop: 8, marginBottom: 0 }}>
            {t('imports.file', { name: file.name, size: (file.size / 1024 / 1024).toFixed(2) })}
          </Typography.Paragraph>
        ) : null}
        {busy ? (
          <div style={{ marginTop: 8 }}>
            <Typography.Text type="secondary" aria-live="polite">
              {phase === 'checking' ? t('imports.checking') : t('imports.importing')}
              {' · '}
              {t(`imports.progress.${overall.step}`, { rows: overall.rows ?? 0, written: overall.written ?? 0, toWrite: overall.toWrite ?? 0, expected: overall.expected ?? 0 })}
            </Typography.Text>
            <Flex gap={8} align="center">
              <Progress percent={overall.percent} status="active" style={{ flex: 1, margin: 0 }} />
              <Button size="small" onClick={reset}>
                {t('common.cancel')}
              </Button>
            </Flex>
          </div>
        ) : null}
      </Card>
      {fileError ? <Alert type="error" showIcon message={t('imports.fileRejected')} description={fileError} /> : null}
      {result && !busy ? (
        <Card size="small" title={phase === 'done' ? t('imports.step4') : t('imports.step3')}>
          {phase === 'done' ? (
            <Result status="success" title={t('imports.done')} style={{ paddingBlock: 16 }} />
          ) : rowErrors.length > 0 ? (
            <Alert type="error" showIcon message={t('imports.rowErrors', { count: rowErrors.length, rows: result.rows })} style={{ marginBottom: 12 }} />
          ) : (
            <Alert type="success" showIcon message={t('imports.previewOk')} style={{ marginBottom: 12 }} />
          )}
          <Descriptions
            size="small"
            column={{ xs: 2, md: 4 }}
            items={[
              { key: 'rows', label: t('imports.rows'), children: result.rows },
              { key: 'inserted', label: result.dryRun ? t('imports.wouldInsert') : t('imports.inserted'), children: result.inserted },
              { key: 'updated', label: result.dryRun ? t('imports.wouldUpdate') : t('imports.updated'), children: result.updated },
              { key: 'unchanged', label: t('imports.unchanged'), children: result.unchanged },
            ]}
          />
          {rowErrors.length > 0 ? (
            <Flex vertical gap={8}>
              <Flex justify="end">
                <Button
                  icon={<DownloadOutlined aria-hidden />}
                  onClick={() => downloadErrorReport(rowErrors, errorHeaders, `import-errors-${result.kind}.csv`)}
                >
                  {t('imports.downloadErrors')}
                </Button>
              </Flex>
              <Table<ImportRowError>
                size="small"
                rowKey={(row) => `${row.row}|${row.column}|${row.message}`}
                columns={errorColumns}
                dataSource={rowErrors}
                pagination={{ pageSize: 50, hideOnSinglePage: true }}
                scroll={{ x: 640 }}
              />
            </Flex>
          ) : null}
          <Flex gap={8} justify="end" style={{ marginTop: 12 }}>
            <Button onClick={reset}>{phase === 'done' ? t('imports.another') : t('common.cancel')}</Button>
            {phase === 'checked' && rowErrors.length === 0 && file ? (
              <Button type="primary" onClick={() => send(file, false)}>
                {t('imports.confirm')}
              </Button>
            ) : null}
          </Flex>
        </Card>
      ) : null}
    </Flex>
  );
}
