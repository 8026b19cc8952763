import { Alert, App, DatePicker, Form, Input, InputNumber, Modal, Select, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { UnitTreeSelect } from '../units/components/unit-tree-select';
import { useActiveProblems, useAssignItem, usePeople, useProblemDetail } from './queries';
import { useSupervisionError } from './supervision-parts';

interface Values {
  problem?: string;
  measure?: string;
  unit?: string | null;
  title: string;
  description?: string;
  owner: string;
  reviewer?: string;
  dueDate: Dayjs;
  yellowDays?: number;
}

/** 下达督办: a new item, from a problem (and one of its measures) or standalone. */
export function AssignModal({ problemId, onClose, onAssigned }: { problemId?: string; onClose: () => void; onAssigned: (id: string) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const describe = useSupervisionError();
  const assign = useAssignItem();
  const [form] = Form.useForm<Values>();
  const problem = Form.useWatch('problem', form) ?? null;
  const people = usePeople(true);
  const problems = useActiveProblems(true);
  const detail = useProblemDetail(problem);
  const openMeasures = useMemo(() => (detail.data?.measures ?? []).filter((m) => m.status === 'open'), [detail.data]);

  const submit = (v: Values) =>
    assign.mutate(
      {
        ...(v.problem ? { problem: v.problem } : {}),
        ...(v.measure ? { measure: v.measure } : {}),
        ...(v.unit ? { unit: v.unit } : {}),
        title: v.title.trim(),
        description: v.description?.trim() ?? '',
        owner: v.owner,
        ...(v.reviewer ? { reviewer: v.reviewer.trim() } : {}),
        dueDate: v.dueDate.format('YYYY-MM-DD'),
        ...(v.yellowDays !== undefined && v.yellowDays !== null ? { yellowDays: v.yellowDays } : {}),
      },
      {
        onSuccess: (item) => {
          void message.success(t('supervision.assigned', { number: item.number }));
          onAssigned(item.id);
        },
      },
    );

  return (
    <Modal
      open
      title={t('supervision.assignTitle')}
      okText={t('supervision.assign')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={assign.isPending}
      destroyOnHidden
      mask={{ closable: false }}
      width={640}
    >
      <Form<Values> form={form} layout="vertical" onFinish={submit} initialValues={{ problem: problemId, yellowDays: 3 }} onValuesChange={() => assign.error && assign.reset()}>
        <Form.Item label={t('supervision.fromProblem')} name="problem" extra={t('supervision.fromProblemHint')}>
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            loading={problems.isLoading}
            placeholder={t('supervision.standalone')}
            options={(problems.data ?? []).map((p) => ({ value: p.id, label: `#${p.number} ${p.unit} ${p.title}` }))}
            onChange={() => form.setFieldValue('measure', undefined)}
          />
        </Form.Item>
        {problem ? (
          <Form.Item label={t('supervision.measure')} name="measure">
            <Select allowClear loading={detail.isLoading} placeholder={t('supervision.noMeasure')} options={openMeasures.map((m) => ({ value: m.id, label: `${m.description}（${m.owner.name}，${m.dueDate}）` }))} />
          </Form.Item>
        ) : null}
        <Form.Item label={t('supervision.unit')} name="unit" htmlFor="supervision-assign-unit" rules={problem ? [] : [{ required: true, message: t('supervision.unitRequired') }]} extra={problem ? t('supervision.unitFromProblem') : undefined}>
          <UnitTreeSelect id="supervision-assign-unit" valueField="code" allowClear />
        </Form.Item>
        <Form.Item label={t('supervision.title')} name="title" rules={[{ required: true, whitespace: true, message: t('supervision.titleRequired') }, { max: 200 }]}>
          <Input />
        </Form.Item>
        <Form.Item label={t('supervision.description')} name="description" rules={[{ max: 4000 }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
        <Form.Item label={t('supervision.owner')} name="owner" rules={[{ required: true, message: t('supervision.ownerRequired') }]}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            loading={people.isLoading}
            options={(people.data ?? []).map((p) => ({ value: p.code, label: `${p.name}（${p.code}）` }))}
            notFoundContent={people.isError ? describe(people.error) : undefined}
          />
        </Form.Item>
        <Form.Item label={t('supervision.reviewer')} name="reviewer" extra={t('supervision.reviewerHint')}>
          <Input placeholder={t('supervision.reviewerPlaceholder')} autoComplete="off" />
        </Form.Item>
        <Form.Item
          label={t('supervision.dueDate')}
          name="dueDate"
          rules={[{ required: true, message: t('supervision.dueDateRequired') }]}
        >
          <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isBefore(dayjs(), 'day')} />
        </Form.Item>
        <Form.Item label={t('supervision.yellowDays')} name="yellowDays" extra={t('supervision.yellowDaysHint')}>
          <InputNumber min={0} max={60} precision={0} style={{ width: 160 }} />
        </Form.Item>
      </Form>
      {assign.error ? <Alert type="error" showIcon role="alert" title={describe(assign.error)} /> : null}
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
        {t('supervision.assignHint')}
      </Typography.Paragraph>
    </Modal>
  );
}
