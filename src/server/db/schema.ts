import type { ColumnType, Generated } from 'kysely';

/** Timestamps come back as Date and go in as Date. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Json = ColumnType<Record<string, unknown>, string, string>;

export interface UnitsTable {
  id: Generated<string>;
  code: string;
  name_zh: string;
  name_en: string;
  kind: string;
  parent_id: string | null;
  peer_class: Generated<string>;
  valid_from: ColumnType<string, string | undefined, string>;
  valid_to: string | null;
  sort_order: Generated<number>;
  active: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  version: Generated<number>;
}

export interface RolesTable {
  code: string;
  name_zh: string;
  name_en: string;
  scope: string;
  permissions: string[];
  built_in: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  version: Generated<number>;
}

export interface UsersTable {
  id: Generated<string>;
  username: string;
  display_name: string;
  unit_id: string | null;
  password_hash: string;
  password_changed_at: Timestamp;
  must_change_password: Generated<boolean>;
  status: Generated<string>;
  locale: Generated<string>;
  locked_until: Timestamp | null;
  last_login_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  version: Generated<number>;
  /** TOTP secret (AES-GCM, field users.totp_secret); set without totp_enrolled_at while enrolling. */
  totp_secret_enc: Buffer | null;
  totp_enrolled_at: Timestamp | null;
  /** The time step of the last accepted code (codes are single-use). */
  totp_last_step: number | null;
}

export interface UserRolesTable {
  user_id: string;
  role_code: string;
}

export interface LoginFailuresTable {
  id: Generated<number>;
  user_id: string;
  at: Timestamp;
  ip: string | null;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
  ended_at: Timestamp | null;
  end_reason: string | null;
}

export interface ApiTokensTable {
  id: Generated<string>;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: Timestamp;
  expires_at: Timestamp | null;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface PeopleTable {
  id: Generated<string>;
  code: string;
  name: string;
  unit_id: string | null;
  user_id: string | null;
  cadre: Generated<boolean>;
  category: Generated<string>;
  sex: string | null;
  id_type: string | null;
  id_number_enc: Buffer | null;
  id_number_bidx: string | null;
  phone_enc: Buffer | null;
  phone_bidx: string | null;
  photo_enc: Buffer | null;
  site_id: string | null;
  household_id: string | null;
  proxy_person_id: string | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  version: Generated<number>;
}

export interface SettingsTable {
  key: string;
  value: Json;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface AuditLogTable {
  seq: number;
  at: Timestamp;
  actor_id: string | null;
  actor_username: string | null;
  role: string | null;
  ip: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  result: string;
  changes: ColumnType<Record<string, unknown> | null, string | null, never>;
  details: ColumnType<Record<string, unknown> | null, string | null, never>;
  prev_hash: string;
  hash: string;
}

type Numeric = ColumnType<string, number | string, number | string>;
type NullableNumeric = ColumnType<string | null, number | string | null | undefined, number | string | null>;
type Updated = ColumnType<Date, Date | string | undefined, Date | string>;

export interface IndicatorsTable {
  id: Generated<string>;
  code: string;
  name_zh: string;
  name_en: string;
  category: string;
  uom: Generated<string>;
  precision: Generated<number>;
  direction: string;
  band_centre: NullableNumeric;
  band_tolerance: NullableNumeric;
  frequency: Generated<string>;
  aggregation: string;
  formula: string | null;
  scope_text: Generated<string>;
  scope_tag: Generated<string>;
  range_min: NullableNumeric;
  range_max: NullableNumeric;
  owner_unit_id: string | null;
  description: Generated<string>;
  valid_from: ColumnType<string, string | undefined, string>;
  valid_to: string | null;
  created_at: CreatedAt;
  updated_at: Updated;
  version: Generated<number>;
}

export interface IndicatorAssignmentsTable {
  unit_id: string;
  indicator_id: string;
  weight: ColumnType<string, number | string | undefined, number | string>;
  sort_order: Generated<number>;
  created_at: CreatedAt;
}

export interface PeriodsTable {
  period: string;
  locked: boolean;
  changed_at: Timestamp;
  changed_by: string | null;
  reason: string | null;
  version: Generated<number>;
}

export interface MeasurementsTable {
  id: Generated<string>;
  unit_id: string;
  indicator_id: string;
  period: string;
  value: Numeric;
  note: Generated<string>;
  status: Generated<string>;
  source: Generated<string>;
  suspect: Generated<boolean>;
  return_comment: string | null;
  entered_by: string | null;
  approved_by: string | null;
  approved_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: Updated;
  version: Generated<number>;
  source_ref: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface TargetsTable {
  id: Generated<string>;
  unit_id: string;
  indicator_id: string;
  period: string;
  floor: NullableNumeric;
  target: Numeric;
  stretch: NullableNumeric;
  basis: Generated<string>;
  created_at: CreatedAt;
  updated_at: Updated;
  version: Generated<number>;
}

export interface BenchmarksTable {
  id: Generated<string>;
  code: string;
  name_zh: string;
  name_en: Generated<string>;
  kind: string;
  sibling_unit_id: string | null;
  peer_class: Generated<string>;
  source: Generated<string>;
  created_at: CreatedAt;
  updated_at: Updated;
  version: Generated<number>;
}

export interface BenchmarkValuesTable {
  benchmark_id: string;
  indicator_id: string;
  period: string;
  value: Numeric;
  scope_tag: Generated<string>;
  source: Generated<string>;
}

export interface ComparableScopesTable {
  scope_a: string;
  scope_b: string;
}

export interface BenchmarkSelectionsTable {
  unit_id: string;
  indicator_id: string;
  benchmark_id: string | null;
  use_history_best: Generated<boolean>;
  stage: string;
  reason: Generated<string>;
  since_period: string;
  updated_at: Updated;
  version: Generated<number>;
}

export interface BenchmarkStageHistoryTable {
  id: Generated<number>;
  unit_id: string;
  indicator_id: string;
  benchmark_id: string | null;
  stage: string;
  reason: Generated<string>;
  period: string;
  at: Timestamp;
  by_user: string | null;
}

export interface WarningRulesTable {
  id: Generated<string>;
  indicator_id: string;
  unit_id: string | null;
  code: string;
  params: Json;
  hold_periods: Generated<number>;
  notify: Generated<string>;
  mute: ColumnType<unknown[], string | undefined, string>;
  enabled: Generated<boolean>;
  sort_order: Generated<number>;
  created_at: CreatedAt;
  updated_at: Updated;
  version: Generated<number>;
}

type JsonList = ColumnType<unknown[], string | undefined, string>;

export interface WarningsTable {
  id: Generated<string>;
  rule_id: string;
  unit_id: string;
  indicator_id: string;
  state: string;
  since: Timestamp | null;
  last_period: string | null;
  facts: Json;
  held: Generated<number>;
  notified: Generated<boolean>;
  notified_at: Timestamp | null;
  resolved_at: Timestamp | null;
  suspect_points: JsonList;
  confirmed_points: JsonList;
  confirmed_by: string | null;
  confirmed_at: Timestamp | null;
  confirmed_reason: string | null;
  created_at: CreatedAt;
  updated_at: Updated;
  version: Generated<number>;
}

export interface EvaluationSchemesTable {
  id: Generated<string>;
  code: string;
  name_zh: string;
  name_en: Generated<string>;
  aggregation: string;
  item_decimals: Generated<number>;
  total_decimals: Generated<number>;
  grading: Json;
  pay: Json;
  created_at: CreatedAt;
  updated_at: Updated;
  version: Generated<number>;
}

export interface EvaluationSchemeUnitsTable {
  scheme_id: string;
  unit_id: string;
}

export interface EvaluationItemsTable {
  id: Generated<string>;
  scheme_id: string;
  indicator_id: string;
  method: string;
  measure: Generated<string>;
  params: Json;
  weight: Numeric;
  valid_from: ColumnType<string, string | undefined, string>;
  valid_to: string | null;
  sort_order: Generated<number>;
  created_at: CreatedAt;
  updated_at: Updated;
  version: Generated<number>;
}

export interface EvaluationVetoesTable {
  id: Generated<string>;
  scheme_id: string;
  unit_id: string;
  period: string;
  reason: string;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface EvaluationPublicationsTable {
  id: Generated<string>;
  scheme_id: string;
  period: string;
  version: number;
  published_at: Timestamp;
  published_by: string | null;
  results: Json;
}

// The problem loop (migration 20261126T0600-problem-loop.sql).
type UuidList = ColumnType<string[], string[] | undefined, string[]>;
type DateText = ColumnType<string, string, string>;

export interface AttachmentsTable {
  id: Generated<string>;
  file_name: string;
  mime_type: string;
  size_bytes: number;
  sha256: string;
  content: Buffer;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface ProblemsTable {
  id: Generated<string>;
  number: ColumnType<number, never, never>;
  source: string;
  unit_id: string;
  indicator_ids: UuidList;
  warning_id: string | null;
  cause_key: string | null;
  title: string;
  description: Generated<string>;
  cause_analysis: Generated<string>;
  severity: Generated<string>;
  status: Generated<string>;
  gap_period: string | null;
  verify_periods: Generated<number>;
  verification: ColumnType<Record<string, unknown>, string | undefined, string>;
  raised_by: string | null;
  raised_at: Timestamp;
  closed_at: Timestamp | null;
  closed_by: string | null;
  close_reason: string | null;
  created_at: CreatedAt;
  updated_at: Updated;
  version: Generated<number>;
}

export interface MeasuresTable {
  id: Generated<string>;
  problem_id: string;
  description: string;
  owner_person_id: string;
  co_unit_ids: UuidList;
  due_date: DateText;
  progress: Generated<number>;
  status: Generated<string>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Updated;
  version: Generated<number>;
}

export interface MeasureUpdatesTable {
  id: Generated<string>;
  measure_id: string;
  note: string;
  progress: number | null;
  attachment_ids: UuidList;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface SupervisionItemsTable {
  id: Generated<string>;
  number: ColumnType<number, never, never>;
  problem_id: string | null;
  measure_id: string | null;
  unit_id: string;
  title: string;
  description: Generated<string>;
  owner_person_id: string;
  supervisor_user_id: string;
  reviewer_user_id: string | null;
  due_date: DateText;
  yellow_days: Generated<number>;
  state: Generated<string>;
  light: Generated<string>;
  escalated_at: Timestamp | null;
  closed_at: Timestamp | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Updated;
  version: Generated<number>;
}

export interface SupervisionEventsTable {
  id: Generated<string>;
  seq: ColumnType<number, never, never>;
  item_id: string;
  action: string;
  from_state: string | null;
  to_state: string | null;
  note: Generated<string>;
  attachment_ids: UuidList;
  created_by: string | null;
  created_at: Timestamp;
}

export interface NotificationsTable {
  id: Generated<string>;
  user_id: string;
  kind: string;
  title: string;
  body: Generated<string>;
  link: string | null;
  ref_id: string | null;
  dedupe_key: string;
  created_at: Timestamp;
  read_at: Timestamp | null;
}

export interface NoticesTable {
  id: Generated<string>;
  kind: string;
  period: string;
  recipient_user_id: string | null;
  title: string;
  content: Json;
  published_at: Timestamp;
}

export interface NoticeReadsTable {
  notice_id: string;
  user_id: string;
  read_at: Timestamp;
}

// Energy (migration 20261126T0800-energy.sql).
type Float = number;

export interface MetersTable {
  id: Generated<string>;
  key: ColumnType<number, never, never>;
  code: string;
  name_zh: string;
  name_en: Generated<string>;
  carrier: string;
  kind: string;
  uom: string;
  unit_id: string;
  parent_id: string | null;
  rollover: Float | null;
  multiplier: Generated<Float>;
  interval_minutes: Generated<number>;
  formula: ColumnType<{ meter: string; sign: 1 | -1 }[], string | undefined, string>;
  valid_from: ColumnType<string, string | undefined, string>;
  valid_to: string | null;
  active: Generated<boolean>;
  sort_order: Generated<number>;
  created_at: CreatedAt;
  updated_at: Updated;
  version: Generated<number>;
}

export interface MeterReplacementsTable {
  id: Generated<string>;
  meter_id: string;
  at: Timestamp;
  old_final: Float;
  new_initial: Float;
  note: Generated<string>;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface ReadingBatchesTable {
  id: Generated<string>;
  source: string;
  file_name: string | null;
  received: Generated<number>;
  accepted: Generated<number>;
  duplicates: Generated<number>;
  rejected: Generated<number>;
  created_by: string | null;
  created_at: Timestamp;
}

export interface MeterReadingsTable {
  meter_key: number;
  at: Timestamp;
  value: Float;
  received_at: Timestamp;
  batch_id: string | null;
}

export interface EnergyDailyTable {
  meter_id: string;
  day: ColumnType<string, string, string>;
  consumption: Float | null;
  intervals_expected: Generated<number>;
  intervals_received: Generated<number>;
  quality_score: number | null;
  findings: ColumnType<unknown[], string | undefined, string>;
  suspect: Generated<boolean>;
  confirmed_by: string | null;
  confirmed_at: Timestamp | null;
  confirmed_reason: string | null;
  computed_at: Timestamp;
}

export interface EnergyRecomputeQueueTable {
  meter_id: string;
  day: ColumnType<string, string, string>;
  queued_at: CreatedAt;
}

export interface ProductionDailyTable {
  unit_id: string;
  day: ColumnType<string, string, string>;
  product: string;
  quantity: Float;
  uom: Generated<string>;
  source: Generated<string>;
  updated_by: string | null;
  updated_at: Timestamp;
}

export interface EnergyFeedsTable {
  indicator_id: string;
  unit_id: string;
  meter_id: string;
  created_at: CreatedAt;
}

export interface DB {
  sites: SitesTable;
  grid_cells: GridCellsTable;
  buildings: BuildingsTable;
  households: HouseholdsTable;
  health_statuses: HealthStatusesTable;
  abnormal_cases: AbnormalCasesTable;
  health_incidents: HealthIncidentsTable;
  health_incident_sites: HealthIncidentSitesTable;
  health_incident_units: HealthIncidentUnitsTable;
  health_declarations: HealthDeclarationsTable;
  health_reminders: HealthRemindersTable;
  risk_areas: RiskAreasTable;
  travel_records: TravelRecordsTable;
  return_screenings: ReturnScreeningsTable;
  health_rules: HealthRulesTable;
  health_status_contests: HealthStatusContestsTable;
  case_follow_ups: CaseFollowUpsTable;
  exposures: ExposuresTable;
  quarantines: QuarantinesTable;
  quarantine_follow_ups: QuarantineFollowUpsTable;
  quarantine_supports: QuarantineSupportsTable;
  quarantine_notes: QuarantineNotesTable;
  transfers: TransfersTable;
  transfer_people: TransferPeopleTable;
  supplies: SuppliesTable;
  supply_purchases: SupplyPurchasesTable;
  supply_quotes: SupplyQuotesTable;
  supply_movements: SupplyMovementsTable;
  supply_points: SupplyPointsTable;
  donations: DonationsTable;
  volunteers: VolunteersTable;
  health_briefings: HealthBriefingsTable;
  health_purges: HealthPurgesTable;
  passes: PassesTable;
  pass_sites: PassSitesTable;
  checkpoints: CheckpointsTable;
  devices: DevicesTable;
  visits: VisitsTable;
  block_list: BlockListTable;
  vehicles: VehiclesTable;
  vehicle_sites: VehicleSitesTable;
  duty_shifts: DutyShiftsTable;
  duty_assignments: DutyAssignmentsTable;
  duty_handovers: DutyHandoversTable;
  gate_events: GateEventsTable;
  meters: MetersTable;
  meter_replacements: MeterReplacementsTable;
  reading_batches: ReadingBatchesTable;
  meter_readings: MeterReadingsTable;
  energy_daily: EnergyDailyTable;
  energy_recompute_queue: EnergyRecomputeQueueTable;
  production_daily: ProductionDailyTable;
  energy_feeds: EnergyFeedsTable;
  attachments: AttachmentsTable;
  problems: ProblemsTable;
  measures: MeasuresTable;
  measure_updates: MeasureUpdatesTable;
  supervision_items: SupervisionItemsTable;
  supervision_events: SupervisionEventsTable;
  notifications: NotificationsTable;
  notices: NoticesTable;
  notice_reads: NoticeReadsTable;
  warning_rules: WarningRulesTable;
  warnings: WarningsTable;
  indicators: IndicatorsTable;
  indicator_assignments: IndicatorAssignmentsTable;
  periods: PeriodsTable;
  measurements: MeasurementsTable;
  targets: TargetsTable;
  benchmarks: BenchmarksTable;
  benchmark_values: BenchmarkValuesTable;
  comparable_scopes: ComparableScopesTable;
  benchmark_selections: BenchmarkSelectionsTable;
  benchmark_stage_history: BenchmarkStageHistoryTable;
  units: UnitsTable;
  roles: RolesTable;
  users: UsersTable;
  user_roles: UserRolesTable;
  login_failures: LoginFailuresTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  people: PeopleTable;
  settings: SettingsTable;
  audit_log: AuditLogTable;
  evaluation_schemes: EvaluationSchemesTable;
  evaluation_scheme_units: EvaluationSchemeUnitsTable;
  evaluation_items: EvaluationItemsTable;
  evaluation_vetoes: EvaluationVetoesTable;
  evaluation_publications: EvaluationPublicationsTable;
  competitions: CompetitionsTable;
  competition_participants: CompetitionParticipantsTable;
  competition_items: CompetitionItemsTable;
  competition_events: CompetitionEventsTable;
  piece_rates: PieceRatesTable;
  quality_prices: QualityPricesTable;
  team_outputs: TeamOutputsTable;
  team_member_points: TeamMemberPointsTable;
  ideas: IdeasTable;
  idle_assets: IdleAssetsTable;
}

// Result orientation, the rest (migration 20261126T0700-results-extras.sql). Numerics are strings.
type JsonArray = ColumnType<unknown[], string | undefined, string>;

export interface CompetitionsTable {
  id: Generated<string>;
  code: string;
  name_zh: string;
  name_en: Generated<string>;
  description: Generated<string>;
  period_from: DateText;
  period_to: DateText;
  status: Generated<string>;
  aggregation: Generated<string>;
  prizes: JsonArray;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Updated;
  version: Generated<number>;
}

export interface CompetitionParticipantsTable {
  competition_id: string;
  unit_id: string;
}

export interface CompetitionItemsTable {
  id: Generated<string>;
  competition_id: string;
  indicator_id: string;
  method: string;
  params: ColumnType<Record<string, unknown>, string | undefined, string>;
  weight: Numeric;
  sort_order: Generated<number>;
}

export interface CompetitionEventsTable {
  id: Generated<string>;
  competition_id: string;
  unit_id: string;
  event_date: DateText;
  points: Numeric;
  category: string;
  reason: string;
  created_by: string | null;
  created_at: Timestamp;
}

export interface PieceRatesTable {
  id: Generated<string>;
  team_unit_id: string;
  product: string;
  uom: string;
  rate: Numeric;
  valid_from: DateText;
  valid_to: string | null;
  created_at: CreatedAt;
  updated_at: Updated;
  version: Generated<number>;
}

export interface QualityPricesTable {
  id: Generated<string>;
  product: string;
  grade: string;
  price: Numeric;
  valid_from: DateText;
  valid_to: string | null;
  created_at: CreatedAt;
  updated_at: Updated;
  version: Generated<number>;
}

export interface TeamOutputsTable {
  id: Generated<string>;
  team_unit_id: string;
  period: string;
  product: string;
  grade: string;
  quantity: Numeric;
  entered_by: string | null;
  created_at: CreatedAt;
  updated_at: Updated;
  version: Generated<number>;
}

export interface TeamMemberPointsTable {
  id: Generated<string>;
  team_unit_id: string;
  period: string;
  person_id: string;
  points: Numeric;
  entered_by: string | null;
  created_at: CreatedAt;
  updated_at: Updated;
  version: Generated<number>;
}

export interface IdeasTable {
  id: Generated<string>;
  number: ColumnType<number, never, never>;
  unit_id: string;
  submitter_person_id: string | null;
  submitter_user_id: string | null;
  title: string;
  description: Generated<string>;
  category: string;
  status: Generated<string>;
  reviewer_user_id: string | null;
  review_note: Generated<string>;
  benefit_yuan: NullableNumeric;
  submitted_at: Timestamp;
  adopted_at: Timestamp | null;
  implemented_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: Updated;
  version: Generated<number>;
}

export interface IdleAssetsTable {
  id: Generated<string>;
  code: string;
  name: string;
  kind: string;
  unit_id: string;
  original_value: Numeric;
  book_value: Numeric;
  idle_since: DateText;
  disposal_route: string;
  plan: JsonArray;
  owner_person_id: string | null;
  status: Generated<string>;
  proceeds: NullableNumeric;
  disposed_on: string | null;
  note: Generated<string>;
  created_at: CreatedAt;
  updated_at: Updated;
  version: Generated<number>;
}

// Site access control (migration 20261126T1000-access.sql).
type JsonValue<T> = ColumnType<T, string | undefined | null, string | null>;
/** A time window of a pass: ISO weekdays (Monday = 1) and local times HH:MM. */
export type PassWindow = { days: number[]; from: string; to: string };
/** An opening window of a checkpoint, local times HH:MM; may run past midnight. */
export type OpeningWindow = { from: string; to: string };

export interface SitesTable {
  id: Generated<string>;
  code: string;
  name_zh: string;
  name_en: string | null;
  kind: string;
  access_level: Generated<string>;
  unit_id: string | null;
  temperature_mode: Generated<string>;
  fever_threshold_c: ColumnType<string, number | string | undefined, number | string>;
  household_quota_days: number | null;
  household_quota_count: Generated<number>;
  capacity: number | null;
  created_at: CreatedAt;
  updated_at: Updated;
  version: Generated<number>;
}

export interface GridCellsTable {
  id: Generated<string>;
  site_id: string;
  code: string;
  name: string;
  worker_person_id: string | null;
  created_at: CreatedAt;
  updated_at: Updated;
  version: Generated<number>;
}

export interface BuildingsTable {
  id: Generated<string>;
  site_id: string;
  grid_cell_id: string | null;
  code: string;
  name: string;
  created_at: CreatedAt;
  updated_at: Updated;
  version: Generated<number>;
}

export interface HouseholdsTable {
  id: Generated<string>;
  site_id: string;
  building_id: string | null;
  code: string;
  created_at: CreatedAt;
  updated_at: Updated;
  version: Generated<number>;
}

export interface HealthStatusesTable {
  person_id: string;
  status: string;
  rule: Generated<string>;
  facts: ColumnType<Record<string, unknown>, string | undefined, string>;
  since: Generated<Date>;
  updated_at: Updated;
  incident_id: string | null;
}

export interface AbnormalCasesTable {
  id: Generated<string>;
  number: Generated<number>;
  person_id: string;
  source: string;
  reason: string;
  source_ref: string | null;
  temperature_c: NullableNumeric;
  site_id: string | null;
  status: Generated<string>;
  opened_at: Timestamp;
  created_at: CreatedAt;
  updated_at: Updated;
  version: Generated<number>;
  incident_id: string | null;
  classification: Generated<string>;
  note: string | null;
  opened_by: string | null;
  outcome: string | null;
  closed_at: Timestamp | null;
  closed_by: string | null;
  closure_note: string | null;
}

export interface PassesTable {
  id: Generated<string>;
  number: Generated<number>;
  person_id: string;
  token_hash: string;
  token_enc: Buffer;
  valid_from: DateText;
  valid_to: DateText;
  windows: JsonValue<PassWindow[] | null>;
  essential: Generated<boolean>;
  status: Generated<string>;
  status_reason: string | null;
  status_changed_at: Timestamp | null;
  status_changed_by: string | null;
  visit_id: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Updated;
  version: Generated<number>;
}

export interface PassSitesTable {
  pass_id: string;
  site_id: string;
}

export interface CheckpointsTable {
  id: Generated<string>;
  code: string;
  name_zh: string;
  name_en: string | null;
  site_id: string;
  opening_hours: JsonValue<OpeningWindow[] | null>;
  vehicles: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: Updated;
  version: Generated<number>;
}

export interface DevicesTable {
  id: Generated<string>;
  checkpoint_id: string;
  name: string;
  token_hash: string;
  created_by: string | null;
  created_at: CreatedAt;
  last_seen_at: Timestamp | null;
  revoked_at: Timestamp | null;
  revoked_by: string | null;
}

export interface VisitsTable {
  id: Generated<string>;
  number: Generated<number>;
  visitor_person_id: string;
  host_person_id: string;
  site_id: string;
  starts_at: Timestamp;
  ends_at: Timestamp;
  purpose: Generated<string>;
  plate: string | null;
  status: Generated<string>;
  decided_by: string | null;
  decided_at: Timestamp | null;
  decision_note: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Updated;
  version: Generated<number>;
}

export interface BlockListTable {
  id: Generated<string>;
  person_id: string | null;
  id_number_bidx: string | null;
  phone_bidx: string | null;
  site_id: string | null;
  reason: string;
  valid_to: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  removed_at: Timestamp | null;
  removed_by: string | null;
}

export interface VehiclesTable {
  id: Generated<string>;
  plate: string;
  owner_person_id: string | null;
  kind: Generated<string>;
  note: Generated<string>;
  created_at: CreatedAt;
  updated_at: Updated;
  version: Generated<number>;
}

export interface VehicleSitesTable {
  vehicle_id: string;
  site_id: string;
  valid_to: string | null;
}

export interface DutyShiftsTable {
  id: Generated<string>;
  site_id: string;
  code: string;
  name: string;
  /** time of day, 'HH:MM:SS' */
  starts: string;
  ends: string;
  created_at: CreatedAt;
  updated_at: Updated;
  version: Generated<number>;
}

export interface DutyAssignmentsTable {
  id: Generated<string>;
  checkpoint_id: string;
  shift_id: string;
  date: DateText;
  person_id: string;
  created_at: CreatedAt;
}

export interface DutyHandoversTable {
  id: Generated<string>;
  checkpoint_id: string;
  shift_id: string | null;
  date: DateText;
  note: string;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface GateEventsTable {
  id: Generated<string>;
  idempotency_key: string;
  checkpoint_id: string;
  site_id: string;
  device_id: string | null;
  guard_user_id: string | null;
  person_id: string | null;
  pass_id: string | null;
  credential: string;
  direction: string;
  decision: string;
  reason: string | null;
  temperature_c: NullableNumeric;
  plate: string | null;
  disinfected: boolean | null;
  offline: Generated<boolean>;
  at: Timestamp;
  recorded_at: Generated<Date>;
}

// Health surveillance (issue 7): 20261126T1100-health.sql.
type Bytes = Buffer;
type Made = ColumnType<Date, Date | string | undefined, Date | string>;

export interface HealthIncidentsTable {
  id: Generated<string>;
  name: string;
  start_date: string;
  status: Generated<string>;
  declaration_due_time: Generated<string>;
  fever_threshold_c: ColumnType<string, number | string | undefined, number | string>;
  follow_up_days: Generated<number>;
  follow_up_per_day: Generated<number>;
  travel_lookback_days: Generated<number>;
  retention_days: Generated<number>;
  closed_at: Timestamp | null;
  closed_by: string | null;
  purge_due_at: Timestamp | null;
  purged_at: Timestamp | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Updated;
  version: Generated<number>;
}
export interface HealthIncidentSitesTable { incident_id: string; site_id: string }
export interface HealthIncidentUnitsTable { incident_id: string; unit_id: string }

export interface HealthDeclarationsTable {
  id: Generated<string>;
  incident_id: string;
  person_id: string;
  date: string;
  temperature_c: NullableNumeric;
  symptoms: ColumnType<string[], string[] | undefined, string[]>;
  location_enc: Bytes | null;
  risk_area_contact: Generated<boolean>;
  case_contact: Generated<boolean>;
  status: string;
  declared_by: string | null;
  on_behalf: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: Updated;
  version: Generated<number>;
}

export interface HealthRemindersTable {
  id: Generated<string>;
  incident_id: string;
  person_id: string;
  date: string;
  sent_by: string | null;
  sent_at: Made;
}

export interface RiskAreasTable {
  id: Generated<string>;
  region: string;
  level: string;
  valid_from: string;
  valid_to: string | null;
  source: string | null;
  created_at: CreatedAt;
  updated_at: Updated;
  version: Generated<number>;
}

export interface TravelRecordsTable {
  id: Generated<string>;
  incident_id: string;
  person_id: string;
  region: string;
  address_enc: Bytes | null;
  from_date: string;
  to_date: string;
  transport: string;
  transport_no: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Updated;
  version: Generated<number>;
}

export interface ScreeningItem { travelRecordId: string; checked: boolean; note: string | null }
export interface ReturnScreeningsTable {
  id: Generated<string>;
  incident_id: string;
  person_id: string;
  return_date: string;
  status: Generated<string>;
  items: JsonValue<ScreeningItem[]>;
  note: string | null;
  reviewer_id: string | null;
  decided_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: Updated;
  version: Generated<number>;
}

export interface HealthRulesTable {
  code: string;
  name_zh: string;
  name_en: string;
  status: string;
  priority: Generated<number>;
  condition: ColumnType<Record<string, unknown>, string, string>;
  enabled: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: Updated;
  version: Generated<number>;
}

export interface HealthStatusContestsTable {
  id: Generated<string>;
  incident_id: string | null;
  person_id: string;
  status: string;
  rule: string;
  facts: ColumnType<Record<string, unknown>, string | undefined, string>;
  reason: string;
  submitted_by: string | null;
  submitted_at: Made;
  decision: string | null;
  new_status: string | null;
  valid_until: string | null;
  decision_note: string | null;
  reviewer_id: string | null;
  decided_at: Timestamp | null;
  version: Generated<number>;
}

export interface CaseFollowUpsTable {
  id: Generated<string>;
  case_id: string;
  at: Timestamp;
  checked_by: string | null;
  temperature_c: NullableNumeric;
  condition: string;
  action: string | null;
  created_at: CreatedAt;
}

export interface ExposuresTable {
  id: Generated<string>;
  incident_id: string;
  case_id: string | null;
  source_person_id: string;
  contact_person_id: string;
  date: string;
  type: string;
  certainty: Generated<string>;
  close: Generated<boolean>;
  note: string | null;
  active: Generated<boolean>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Updated;
  version: Generated<number>;
}

export interface QuarantinesTable {
  id: Generated<string>;
  incident_id: string;
  person_id: string;
  place: Generated<string>;
  facility: string | null;
  start_date: string;
  planned_end: string;
  last_exposure: string | null;
  per_day: Generated<number>;
  status: Generated<string>;
  released_at: Timestamp | null;
  released_by: string | null;
  release_temperature_c: NullableNumeric;
  release_note: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Updated;
  version: Generated<number>;
}

export interface QuarantineFollowUpsTable {
  id: Generated<string>;
  quarantine_id: string;
  date: string;
  slot: number;
  cancelled: Generated<boolean>;
  done_at: Timestamp | null;
  done_by: string | null;
  temperature_c: NullableNumeric;
  condition: string | null;
  note: string | null;
}

export interface QuarantineSupportsTable {
  id: Generated<string>;
  quarantine_id: string;
  kind: string;
  request: string;
  requested_at: Timestamp;
  delivered_at: Timestamp | null;
  delivered_by: string | null;
  delivery_note: string | null;
}

export interface QuarantineNotesTable {
  id: Generated<string>;
  quarantine_id: string;
  kind: Generated<string>;
  text: string;
  at: Timestamp;
  written_by: string | null;
}

export interface TransfersTable {
  id: Generated<string>;
  incident_id: string;
  at: Timestamp;
  vehicle: string;
  driver: string;
  from_place: string;
  to_place: string;
  disinfected: Generated<boolean>;
  disinfected_at: Timestamp | null;
  note: string | null;
  created_by: string | null;
  created_at: CreatedAt;
}
export interface TransferPeopleTable { transfer_id: string; person_id: string; case_id: string | null }

export interface SuppliesTable {
  id: Generated<string>;
  code: string;
  name_zh: string;
  name_en: string | null;
  unit_label: string;
  kind: string;
  created_at: CreatedAt;
  updated_at: Updated;
  version: Generated<number>;
}

export interface SupplyPurchasesTable {
  id: Generated<string>;
  supply_id: string;
  date: string;
  quantity: Numeric;
  chosen_quote_id: string | null;
  reason: string | null;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface SupplyQuotesTable {
  id: Generated<string>;
  purchase_id: string;
  supplier: string;
  unit_price: Numeric;
  note: string | null;
}

export interface SupplyMovementsTable {
  id: Generated<string>;
  supply_id: string;
  date: string;
  kind: string;
  quantity: Numeric;
  purchase_id: string | null;
  unit_id: string | null;
  checkpoint_id: string | null;
  note: string | null;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface SupplyPointsTable {
  id: Generated<string>;
  site_id: string;
  name: string;
  location: string | null;
  goods: string | null;
  opening_hours: JsonValue<PassWindow[]>;
  phone: string | null;
  active: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: Updated;
  version: Generated<number>;
}

export interface DonationsTable {
  id: Generated<string>;
  donor: string;
  amount: Numeric;
  date: string;
  purpose: string | null;
  note: string | null;
  incident_id: string | null;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface VolunteersTable {
  id: Generated<string>;
  person_id: string;
  site_id: string | null;
  task: string;
  available: string | null;
  active: Generated<boolean>;
  incident_id: string | null;
  created_at: CreatedAt;
  updated_at: Updated;
  version: Generated<number>;
}

export interface HealthBriefingsTable {
  incident_id: string;
  date: string;
  figures: ColumnType<Record<string, unknown>, string, string>;
  generated_at: Made;
}

export interface HealthPurgesTable {
  id: Generated<string>;
  incident_id: string;
  dry_run: boolean;
  counts: ColumnType<Record<string, unknown>, string, string>;
  run_by: string | null;
  run_at: Made;
}
