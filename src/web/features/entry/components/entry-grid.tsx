import { CheckOutlined, FunctionOutlined, RollbackOutlined, SaveOutlined, SendOutlined, UndoOutlined, WarningOutlined } from '@ant-design/icons';
import { Alert, App, Badge, Button, Flex, Grid, Input, InputNumber, Table, Tag, Tooltip, Typography, theme } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState, type Dispatch, type SetStateAction } from 'react';
import { useTranslation } from 'react-i18next';
import type { EntryGrid as EntryGridData, EntryRow } from '../../../../server/modules/measurements/measurements.schemas';
import { ApiError } from '../../../app/api-client';
import { useErrorMessage } from '../../../app/errors';
import { formatNumber, noValue } from '../../benchmarking/format';
import { StatusTag } from '../../benchmarking/status-tag';
import { changedValues, currentOf, isRowEditable, noteRequirement, type Edits, type RowEdit } from '../entry-edits';
import { useEntryWorkflow, useSaveEntry, type WorkflowAction } from '../queries';
import { TextReasonModal } from './workflow-modals';

type Problems = Record<string, string>;

/**
 * What the value input shows: the typed text while typing, else the value with the indicator's
 * decimals and thousands separators in the integer part (`1,234,567.891`).
 */
const displayValue =
  (precision: number) =>
  (value: number | string | undefined, info: { userTyping: boolean; input: string }): string => {
    if (info.userTyping) return info.input;
    if (value === undefined || value === '' || Number.isNaN(Number(value))) return '';
    const [whole = '', fraction] = Number(value).toFixed(precision).split('.');
    const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return fraction === undefined ? grouped : `${grouped}.${fraction}`;
  };
// The input parses the text itself (an empty one is "no value"); the cast is antd's documented way.
const ungroupDigits = (text: string | undefined): number => (text ?? '').replace(/,/g, '') as unknown as number;

const problemCodes = ['INDICATOR_DERIVED', 'MEASUREMENT_APPROVED', 'MEASUREMENT_SUBMITTED', 'NOTE_REQUIRED', 'INDICATOR_NOT_ASSIGNED'] as const;
type ProblemCode = (typeof problemCodes)[number];
const isProblemCode = (code: string): code is ProblemCode => (problemCodes as readonly string[]).includes(code);

/** The rows a 422 answer names: `details.problems` of a save, `details.indicators` of a submit. */
function problemsOf(error: unknown): { indicator: string; code: string; message: string }[] {
  if (!(error instanceof ApiError) || typeof error.details !== 'object' || error.details === null) return [];
  const details = error.details as { problems?: unknown; indicators?: unknown };
  if (Array.isArray(details.problems)) {
    return details.problems.filter(
      (p): p is { indicator: string; code: string; message: string } =>
        typeof p === 'object' && p !== null && typeof (p as { indicator?: unknown }).indicator === 'string',
    );
  }
  if (error.code === 'NOTE_REQUIRED' && Array.isArray(details.indicators)) {
    return details.indicators
      .filter((code): code is string => typeof code === 'string')
      .map((indicator) => ({ indicator, code: 'NOTE_REQUIRED_TARGET', message: '' }));
  }
  return [];
}

/** The month's values of a unit: typed in, checked, saved, and moved through review. */
export function EntryGridPanel({
  grid,
  edits,
  setEdits,
  fetching,
}: {
  grid: EntryGridData;
  edits: Edits;
  setEdits: Dispatch<SetStateAction<Edits>>;
  fetching: boolean;
}) {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  const screens = Grid.useBreakpoint();
  const { message, modal } = App.useApp();
  const describeError = useErrorMessage();
  const save = useSaveEntry();
  const workflow = useEntryWorkflow();
  const [problems, setProblems] = useState<Problems>({});
  const [reasonDialog, setReasonDialog] = useState<'return' | 'reopen' | null>(null);
  const locale = i18n.language;
  const { unit, period } = grid;

  const changes = changedValues(grid, edits);
  const dirty = changes.length > 0;
  const canEdit = grid.canEnter && !grid.locked;
  const count = (status: EntryRow['status']) => grid.rows.filter((row) => row.status === status).length;
  const drafts = count('draft') + count('returned');
  const submitted = count('submitted');
  const approved = count('approved');
  const returnComments = [...new Set(grid.rows.filter((row) => row.status === 'returned' && row.returnComment).map((row) => row.returnComment!))];

  const edit = (row: EntryRow, patch: Partial<RowEdit>) => {
    setEdits((previous) => ({ ...previous, [row.indicator]: { ...currentOf(row, previous), ...patch } }));
    if (problems[row.indicator]) {
      setProblems(({ [row.indicator]: _gone, ...rest }) => rest);
    }
  };

  const problemText = (problem: { code: string; message: string }, row: EntryRow | undefined): string => {
    if (problem.code === 'NOTE_REQUIRED_TARGET') return t('entry.noteRequiredTarget');
    if (problem.code === 'NOTE_REQUIRED' && row) {
      return t('entry.noteRequiredRange', { min: formatNumber(row.rangeMin, locale), max: formatNumber(row.rangeMax, locale) });
    }
    return isProblemCode(problem.code) ? t(`entry.problems.${problem.code}`) : problem.message;
  };

  const showProblems = (error: unknown) => {
    const found = problemsOf(error);
    if (found.length > 0) {
      setProblems(
        Object.fromEntries(found.map((p) => [p.indicator, problemText(p, grid.rows.find((row) => row.indicator === p.indicator))])),
      );
    }
    void message.error(describeError(error));
  };

  const onSave = () => {
    // What the server would refuse anyway: out-of-range values without a note.
    const local: Problems = {};
    for (const change of changes) {
      const row = grid.rows.find((candidate) => candidate.indicator === change.indicator);
      if (row && noteRequirement(row, { value: change.value, note: change.note }) === 'range') {
        local[row.indicator] = problemText({ code: 'NOTE_REQUIRED', message: '' }, row);
      }
    }
    if (Object.keys(local).length > 0) {
      setProblems(local);
      void message.error(t('errors.NOTE_REQUIRED'));
      return;
    }
    save.mutate(
      { unit, period, values: changes },
      {
        onSuccess: () => {
          setEdits({});
          setProblems({});
          void message.success(t('entry.saved', { count: changes.length }));
        },
        onError: showProblems,
      },
    );
  };

  const run = (action: WorkflowAction, done: (count: number) => string, after?: () => void) =>
    workflow.mutate(action, {
      onSuccess: (result) => {
        setProblems({});
        after?.();
        void message.success(done(result.changed));
      },
      onError: showProblems,
    });

  const columns: TableColumnsType<EntryRow> = [
    {
      key: 'indicator',
      title: t('entry.indicator'),
      fixed: screens.md ? 'left' : undefined,
      width: screens.md ? 200 : 140,
      render: (_v, row) => (
        <Flex vertical gap={2}>
          <span style={{ fontWeight: 500 }}>{locale === 'en-US' && row.nameEn ? row.nameEn : row.nameZh}</span>
          <Typography.Text type="secondary" style={{ fontSize: token.fontSizeSM }}>
            {row.indicator}
            {row.uom ? ` · ${row.uom}` : ''}
            {row.derived ? (
              <Tooltip title={t('entry.derivedHint', { formula: row.formula ?? '' })}>
                <Tag icon={<FunctionOutlined aria-hidden />} color="blue" style={{ marginInlineStart: 4, cursor: 'help' }}>
                  {t('benchmarking.formulaTag')}
                </Tag>
              </Tooltip>
            ) : null}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      key: 'value',
      title: t('entry.value'),
      width: 170,
      align: 'right',
      render: (_v, row) => {
        const current = currentOf(row, edits);
        const problem = problems[row.indicator];
        if (!isRowEditable(grid, row)) {
          return (
            <Flex gap={4} justify="flex-end" align="center">
              {row.suspect ? (
                <Tooltip title={t('entry.suspect')}>
                  <WarningOutlined aria-label={t('entry.suspect')} style={{ color: token.colorWarning }} />
                </Tooltip>
              ) : null}
              <span className="num" style={{ fontWeight: row.derived ? undefined : 500 }}>
                {formatNumber(row.value, locale, row.precision)}
              </span>
            </Flex>
          );
        }
        return (
          <Flex vertical gap={2} align="flex-end">
            <InputNumber<number>
              aria-label={`${t('entry.value')} ${row.indicator}`}
              value={current.value}
              onChange={(value) => edit(row, { value: typeof value === 'number' ? value : null })}
              precision={row.precision}
              formatter={displayValue(row.precision)}
              parser={ungroupDigits}
              controls={false}
              status={problem ? 'error' : undefined}
              prefix={
                row.suspect ? (
                  <Tooltip title={t('entry.suspect')}>
                    <WarningOutlined aria-label={t('entry.suspect')} style={{ color: token.colorWarning }} />
                  </Tooltip>
                ) : undefined
              }
              styles={{ input: { textAlign: 'right', fontVariantNumeric: 'tabular-nums' } }}
              style={{ width: 150 }}
            />
          </Flex>
        );
      },
    },
    {
      key: 'target',
      title: t('entry.target'),
      width: 110,
      align: 'right',
      render: (_v, row) => <span className="num">{formatNumber(row.target, locale, row.precision)}</span>,
    },
    {
      key: 'note',
      title: t('entry.note'),
      width: 260,
      render: (_v, row) => {
        if (row.derived) return null;
        const current = currentOf(row, edits);
        const requirement = noteRequirement(row, current);
        const problem = problems[row.indicator];
        const editable = isRowEditable(grid, row);
        return (
          <Flex vertical gap={2}>
            {editable ? (
              <Flex gap={4} align="center">
                <span aria-hidden style={{ color: token.colorError, visibility: requirement ? 'visible' : 'hidden' }}>
                  *
                </span>
                <Input
                  aria-label={`${t('entry.note')} ${row.indicator}`}
                  aria-required={requirement !== null}
                  value={current.note}
                  maxLength={1000}
                  placeholder={requirement ? t('entry.noteRequired') : undefined}
                  status={problem || requirement === 'range' ? 'error' : requirement ? 'warning' : undefined}
                  onChange={(event) => edit(row, { note: event.target.value })}
                />
              </Flex>
            ) : (
              <Typography.Text>{row.note || <Typography.Text type="secondary">{noValue}</Typography.Text>}</Typography.Text>
            )}
            {problem ? (
              <Typography.Text type="danger" role="alert" style={{ fontSize: token.fontSizeSM }}>
                {problem}
              </Typography.Text>
            ) : editable && requirement === 'range' ? (
              <Typography.Text type="danger" style={{ fontSize: token.fontSizeSM }}>
                {t('entry.noteRequiredRange', { min: formatNumber(row.rangeMin, locale), max: formatNumber(row.rangeMax, locale) })}
              </Typography.Text>
            ) : editable && requirement === 'target' ? (
              <Typography.Text type="warning" style={{ fontSize: token.fontSizeSM }}>
                {t('entry.noteRequiredTarget')}
              </Typography.Text>
            ) : null}
          </Flex>
        );
      },
    },
    {
      key: 'status',
      title: t('entry.status'),
      width: 110,
      render: (_v, row) =>
        row.derived ? null : row.status === 'returned' && row.returnComment ? (
          <Tooltip title={row.returnComment}>
            <span>
              <StatusTag status={row.status} />
            </span>
          </Tooltip>
        ) : (
          <StatusTag status={row.status} />
        ),
    },
    {
      key: 'range',
      title: t('entry.range'),
      width: 120,
      align: 'right',
      render: (_v, row) =>
        row.rangeMin === null && row.rangeMax === null ? (
          <Typography.Text type="secondary">{noValue}</Typography.Text>
        ) : (
          <Typography.Text type="secondary" className="num">
            {formatNumber(row.rangeMin, locale)} ~ {formatNumber(row.rangeMax, locale)}
          </Typography.Text>
        ),
    },
  ];

  return (
    <Flex vertical gap={12}>
      {grid.locked ? <Alert type="warning" showIcon title={t('entry.locked')} description={t('entry.lockedHint', { period })} /> : null}
      {returnComments.length > 0 && !grid.locked ? (
        <Alert
          type="error"
          showIcon
          title={t('entry.returnedTitle')}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 18 }}>
              {returnComments.map((comment) => (
                <li key={comment}>{comment}</li>
              ))}
            </ul>
          }
        />
      ) : null}
      {!grid.canEnter && !grid.canApprove ? <Alert type="info" showIcon title={t('entry.readOnly')} /> : null}
      {grid.canEnter && grid.canApprove && !grid.locked ? <Alert type="info" showIcon title={t('entry.approverHint')} /> : null}
      <Flex gap={8} wrap align="center">
        {grid.canEnter ? (
          <>
            <Button type="primary" icon={<SaveOutlined aria-hidden />} disabled={!canEdit || !dirty} loading={save.isPending} onClick={onSave}>
              {t('entry.save')}
            </Button>
            {dirty ? (
              <Button icon={<UndoOutlined aria-hidden />} onClick={() => { setEdits({}); setProblems({}); }}>
                {t('entry.discard')}
              </Button>
            ) : null}
            <Tooltip title={dirty ? t('entry.saveFirst') : undefined}>
              <Button
                icon={<SendOutlined aria-hidden />}
                disabled={!canEdit || dirty || drafts === 0}
                loading={workflow.isPending && workflow.variables?.action === 'submit'}
                onClick={() => run({ action: 'submit', unit, period }, (n) => (grid.canApprove ? t('entry.approvedDone', { count: n }) : t('entry.submitted', { count: n })))}
              >
                {t('entry.submit')}
              </Button>
            </Tooltip>
          </>
        ) : null}
        {grid.canApprove ? (
          <>
            <Badge count={grid.locked ? 0 : submitted} size="small" title={t('entry.pending', { count: submitted })}>
              <Button
                icon={<CheckOutlined aria-hidden />}
                disabled={grid.locked || submitted === 0 || dirty}
                loading={workflow.isPending && workflow.variables?.action === 'approve'}
                onClick={() =>
                  void modal.confirm({
                    title: t('entry.approve'),
                    content: t('entry.approveConfirm', { count: submitted }),
                    okText: t('entry.approve'),
                    cancelText: t('common.cancel'),
                    onOk: () => run({ action: 'approve', unit, period }, (n) => t('entry.approvedDone', { count: n })),
                  })
                }
              >
                {t('entry.approve')}
              </Button>
            </Badge>
            <Button icon={<RollbackOutlined aria-hidden />} disabled={grid.locked || submitted === 0 || dirty} onClick={() => setReasonDialog('return')}>
              {t('entry.return')}
            </Button>
            <Button disabled={grid.locked || approved === 0 || dirty} onClick={() => setReasonDialog('reopen')}>
              {t('entry.reopen')}
            </Button>
          </>
        ) : null}
        {dirty ? <Typography.Text type="warning">{t('entry.unsaved', { count: changes.length })}</Typography.Text> : null}
      </Flex>
      <Table<EntryRow>
        rowKey="indicator"
        size="small"
        columns={columns}
        dataSource={grid.rows}
        loading={fetching || save.isPending}
        pagination={false}
        scroll={{ x: 'max-content' }}
        rowClassName={(row) => (problems[row.indicator] ? 'row-problem' : '')}
        locale={{ emptyText: t('benchmarking.noIndicators') }}
      />
      {reasonDialog ? (
        <TextReasonModal
          kind={reasonDialog}
          pending={workflow.isPending}
          onClose={() => setReasonDialog(null)}
          onSubmit={(text) =>
            reasonDialog === 'return'
              ? run({ action: 'return', unit, period, comment: text }, (n) => t('entry.returnedDone', { count: n }), () => setReasonDialog(null))
              : run({ action: 'reopen', unit, period, reason: text }, (n) => t('entry.reopenedDone', { count: n }), () => setReasonDialog(null))
          }
        />
      ) : null}
    </Flex>
  );
}
