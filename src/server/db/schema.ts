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

export interface DB {
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
}
