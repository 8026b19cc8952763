import { InboxOutlined } from '@ant-design/icons';
import { Alert, Card, Col, Flex, Row, Statistic, Table, Typography, Upload } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { errorMessage } from '../../app/errors';
import { RecomputingNote } from './parts';
import { useUploadReadings, type IngestResult } from './queries';

const templateCsv = 'meter_code,timestamp,value\nDJ1-P-MAIN,2020-03-01 00:15,1234567.89\nDJ1-P-MAIN,2020-03-01T00:30:00+08:00,1234570.12\n';
const templateHref = `data:text/csv;charset=utf-8,${encodeURIComponent(`\uFEFF${templateCsv}`)}`;

/** A rejected row is a conflict when the file sent another value for a stored time. */
const isConflict = (message: string) => message.startsWith('conflict');

function IngestSummary({ result }: { result: IngestResult }) {
  const { t } = useTranslation();
  const conflicts = result.rejected.filter((r) => isConflict(r.message));
  return (
    <Card size="small" title={t('energy.upload.result')} data-testid="ingest-result">
      <Row gutter={[16, 16]}>
        <Col xs={12} sm={6}>
          <Statistic title={t('energy.upload.received')} value={result.received} />
        </Col>
        <Col xs={12} sm={6}>
          <Statistic title={t('energy.upload.accepted')} value={result.accepted} styles={{ content: { color: '#389e0d' } }} />
        </Col>
        <Col xs={12} sm={6}>
          <Statistic title={t('energy.upload.duplicates')} value={result.duplicates} />
        </Col>
        <Col xs={12} sm={6}>
          <Statistic title={t('energy.upload.conflicts')} value={conflicts.length} styles={{ content: { color: conflicts.length ? '#d46b08' : undefined } }} />
        </Col>
        <Col xs={12} sm={6}>
          <Statistic title={t('energy.upload.rejected')} value={result.rejected.length - conflicts.length} styles={{ content: { color: result.rejected.length - conflicts.length ? '#cf1322' : undefined } }} />
        </Col>
      </Row>
      {result.pendingDays > 0 ? <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>{t('energy.upload.pending', { count: result.pendingDays })}</Typography.Paragraph> : null}
      {result.rejected.length ? (
        <Table
          style={{ marginTop: 12 }}
          size="small"
          rowKey="index"
          pagination={result.rejected.length > 20 ? { pageSize: 20 } : false}
          scroll={{ x: 'max-content' }}
          dataSource={result.rejected}
          columns={[
            { title: t('energy.upload.row'), dataIndex: 'row', width: 90, render: (row: number | undefined, r) => row ?? r.index + 1 },
            { title: t('energy.upload.kind'), key: 'kind', width: 90, render: (_v, r) => (isConflict(r.message) ? t('energy.upload.conflict') : t('energy.upload.error')) },
            { title: t('energy.upload.message'), dataIndex: 'message' },
          ]}
        />
      ) : (
        <Alert style={{ marginTop: 12 }} type="success" showIcon title={t('energy.upload.allGood')} />
      )}
    </Card>
  );
}

/** 读数上传: a CSV or xlsx of readings; the answer's counts and every rejected row. */
export function ReadingsUploadPage() {
  const { t } = useTranslation();
  const upload = useUploadReadings();
  return (
    <Flex vertical gap={16}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('energy.upload.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('energy.upload.intro')}
      </Typography.Paragraph>
      <Card size="small" title={t('energy.upload.template')}>
        <Typography.Paragraph style={{ marginBottom: 8 }}>{t('energy.upload.columns')}</Typography.Paragraph>
        <pre style={{ overflowX: 'auto', background: 'rgba(0,0,0,0.03)', padding: 8, margin: 0 }}>{templateCsv}</pre>
        <a href={templateHref} download="readings-template.csv">
          {t('energy.upload.download')}
        </a>
      </Card>
      <Upload.Dragger
        accept=".csv,.xlsx,text/csv"
        multiple={false}
        showUploadList={false}
        disabled={upload.isPending}
        beforeUpload={(file) => {
          upload.mutate(file);
          return false;
        }}
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined aria-hidden />
        </p>
        <p className="ant-upload-text">{upload.isPending ? t('energy.upload.sending') : t('energy.upload.drop')}</p>
        <p className="ant-upload-hint">{t('energy.upload.hint')}</p>
      </Upload.Dragger>
      {upload.isError ? <Alert type="error" showIcon title={t('energy.upload.failed')} description={errorMessage(upload.error, t)} /> : null}
      <RecomputingNote />
      {upload.data ? <IngestSummary result={upload.data} /> : null}
      {upload.data ? <Link to="/energy/meters">{t('energy.upload.toMeters')}</Link> : null}
    </Flex>
  );
}
