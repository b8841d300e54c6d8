import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** Instants are ISO-8601 UTC strings; calendar dates are YYYY-MM-DD strings (portable to PostgreSQL). */
export interface CampaignsTable {
  id: Generated<number>;
  code: string;
  name: string;
  district: string;
  street: string;
  timezone: string;
  starts_on: string;
  ends_on: string;
  definition: string;
  definition_hash: string;
  imported_at: string;
}
export interface CommunitiesTable {
  id: Generated<number>;
  campaign_id: number;
  name: string;
  ord: number;
  aliases: string;
}
export interface CompoundsTable {
  id: Generated<number>;
  campaign_id: number;
  community_id: number;
  name: string;
  track: 'coverage' | 'upgrade';
  ord: number;
  category: number | null;
  updated_at: string | null;
}
export interface CompoundAliasesTable {
  id: Generated<number>;
  compound_id: number;
  alias: string;
}
export interface TakeoversTable {
  id: Generated<number>;
  compound_id: number;
  company: string | null;
  nature: '自主' | '外聘';
  start_date: string;
  services: string;
  manager: string | null;
  phone: string | null;
  remarks: string | null;
  recorded_at: string;
  recorded_by: string;
  source_kind: string;
  source_ref: string | null;
  source_chat: string | null;
  superseded_at: string | null;
}
export interface UpgradeActionsTable {
  id: Generated<number>;
  compound_id: number;
  action: string;
  state: string;
  note: string | null;
  updated_at: string | null;
  updated_by: string | null;
  source_kind: string | null;
  source_ref: string | null;
}
export interface DepartmentsTable {
  id: Generated<number>;
  campaign_id: number;
  name: string;
  kind: string;
  duties: string;
  aliases: string;
  ord: number;
}
export interface RoutingRulesTable {
  id: Generated<number>;
  campaign_id: number;
  code: string;
  topic: string;
  department_id: number;
  keywords: string;
  priority: number;
  /** JSON array of colloquial phrasings that seed the routing classifier. */
  phrasings: Generated<string>;
}
/** How a grievance was routed, shown on its card, and the optional model's suggestion when routing was unsure. */
export interface GrievanceRoutesTable {
  grievance_id: number;
  /** rule | learned | classifier | fallback | person */
  method: string;
  /** Why, as people read it: 匹配：电梯, 与 T0012 相似, … */
  reason: string;
  /** 0–100. */
  confidence: number;
  similar_code: string | null;
  /** JSON [{departmentId, confidence}]: the likeliest departments offered as buttons when unsure. */
  candidates: Generated<string>;
  /** null (not asked) | pending | done | failed */
  model_state: string | null;
  model_department_id: number | null;
  model_reason: string | null;
  model_attempts: Generated<number>;
  created_at: string;
  updated_at: string;
}
export interface GrievancesTable {
  id: Generated<number>;
  code: string;
  compound_id: number;
  text: string;
  kind: Generated<string>;
  department_id: number | null;
  rule_code: string | null;
  status: string;
  result: string | null;
  created_at: string;
  created_by: string;
  source_chat: string | null;
  source_ref: string | null;
  accepted_at: string | null;
  resolved_at: string | null;
  accept_due_at: string | null;
  resolve_due_at: string | null;
  updated_at: string | null;
}
export interface GrievanceEventsTable {
  id: Generated<number>;
  grievance_id: number;
  at: string;
  actor: string;
  action: string;
  from_status: string | null;
  to_status: string;
  department_id: number | null;
  note: string | null;
}
export interface PeopleTable {
  id: Generated<number>;
  campaign_id: number;
  name: string;
  title: string;
}
export interface PersonPostsTable {
  id: Generated<number>;
  person_id: number;
  body: string;
  post: string;
  ord: number;
}
export interface RoleBindingsTable {
  id: Generated<number>;
  open_id: string;
  display_name: string | null;
  role: string;
  community_id: number | null;
  department_id: number | null;
  person_id: number | null;
  bound_by: string;
  bound_at: string;
  revoked_at: string | null;
  revoked_by: string | null;
}
export interface BoundChatsTable {
  id: Generated<number>;
  chat_id: string;
  chat_name: string | null;
  unit_kind: string;
  community_id: number | null;
  department_id: number | null;
  bound_by: string;
  bound_at: string;
  revoked_at: string | null;
}
export interface PhasesTable {
  id: Generated<number>;
  campaign_id: number;
  name: string;
  starts_on: string | null;
  ends_on: string;
  ord: number;
}
export interface DeadlinesTable {
  id: Generated<number>;
  campaign_id: number;
  code: string;
  date: string;
  title: string;
  scope: string;
  ord: number;
}
export interface ReportPeriodsTable {
  id: Generated<number>;
  campaign_id: number;
  due_date: string;
  effective_due_date: string;
  closed_at: string | null;
  snapshot: string | null;
}
export interface ReportConfirmationsTable {
  id: Generated<number>;
  period_id: number;
  community_id: number;
  confirmed_by: string;
  confirmed_at: string;
  source_ref: string | null;
}
export interface ReminderLedgerTable {
  id: Generated<number>;
  reminder_key: string;
  kind: string;
  slot_at: string;
  status: string;
  recorded_at: string;
  detail: string | null;
}
export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entity_id: string;
  before: string | null;
  after: string | null;
  source_kind: string;
  source_ref: string | null;
  chat_id: string | null;
  undone_at: string | null;
  undo_of: number | null;
}
export interface CardActionsTable {
  id: Generated<number>;
  nonce: string;
  kind: string;
  payload: string;
  created_for: string | null;
  created_at: string;
  expires_at: string | null;
  consumed_at: string | null;
  consumed_by: string | null;
}
export interface InboxEventsTable {
  id: Generated<number>;
  event_id: string;
  message_id: string | null;
  kind: string;
  payload: string;
  status: string;
  attempts: Generated<number>;
  lease_until: string | null;
  received_at: string;
  processed_at: string | null;
  response: string | null;
  error: string | null;
}
export interface OutboxMessagesTable {
  id: Generated<number>;
  uuid: string;
  op: string;
  target: string;
  target_type: string;
  pace_key: string;
  msg_type: string;
  content: string;
  file_name: string | null;
  file_data: Buffer | null;
  file_key: string | null;
  cause: string;
  status: string;
  attempts: Generated<number>;
  next_attempt_at: string;
  lease_until: string | null;
  created_at: string;
  sent_at: string | null;
  result_message_id: string | null;
  last_error: string | null;
  /** 'p2p' or 'group'; NULL = unknown, treated as a group. */
  chat_type: ColumnType<string | null, string | null | undefined, string | null>;
}
export interface BotMessagesTable {
  message_id: string;
  chat_id: string | null;
  purpose: string | null;
  context: string | null;
  sent_at: string;
  /** 'p2p' or 'group'; NULL = unknown, treated as a group. */
  chat_type: ColumnType<string | null, string | null | undefined, string | null>;
  /** The outbox cause that sent it (`job:<reminder key>|<purpose>`); null for rows from before it was kept. */
  cause: Generated<string | null>;
}
export interface CalendarOverridesTable {
  id: Generated<number>;
  campaign_id: number;
  date: string;
  kind: 'holiday' | 'workday';
  name: string | null;
  created_by: string;
  created_at: string;
  removed_at: string | null;
  removed_by: string | null;
}
/** One request that counted for Lark's quotas (PostgreSQL replicas share the budget through it). */
export interface SendBudgetStampsTable {
  /** 'app', or 'chat:<pace key>'. */
  scope: string;
  /** The database server's clock, in ms since the epoch. */
  at_ms: number;
}

export interface KvSettingsTable {
  key: string;
  value: string;
  updated_at: Generated<string>;
}

export interface AssessmentsTable {
  id: Generated<number>;
  campaign_id: number;
  kind: string;
  period: string;
  compound_id: number | null;
  company: string | null;
  scores: string;
  items: string;
  total: number;
  max_total: number;
  pass_mark: number;
  passed: number;
  note: string | null;
  assessed_at: string;
  assessed_by: string;
  source_kind: string;
  source_ref: string | null;
  source_chat: string | null;
  superseded_at: string | null;
}
export interface SubsidiesTable {
  id: Generated<number>;
  campaign_id: number;
  compound_id: number;
  period: string;
  state: string;
  requested_fen: number | null;
  approved_fen: number | null;
  paid_fen: number | null;
  applied_on: string | null;
  applied_by: string | null;
  reviewed_on: string | null;
  reviewed_by: string | null;
  paid_on: string | null;
  paid_by: string | null;
  note: string | null;
  updated_at: string;
  source_kind: string;
  source_ref: string | null;
}
export interface CompanyRecordsTable {
  id: Generated<number>;
  campaign_id: number;
  company: string;
  company_key: string;
  compound_id: number | null;
  text: string;
  recorded_at: string;
  recorded_by: string;
  source_kind: string;
  source_ref: string | null;
  source_chat: string | null;
  withdrawn_at: string | null;
  withdrawn_by: string | null;
}
export interface CompoundDisclosuresTable {
  id: Generated<number>;
  compound_id: number;
  item: string;
  state: string;
  on_date: string | null;
  updated_at: string;
  updated_by: string;
  source_kind: string;
  source_ref: string | null;
  source_chat: string | null;
}
export interface CompoundCommitteesTable {
  id: Generated<number>;
  compound_id: number;
  state: string;
  on_date: string | null;
  updated_at: string;
  updated_by: string;
  source_kind: string;
  source_ref: string | null;
  source_chat: string | null;
}

/** Grievance counts per community, status and overdue instant (src/domain/grievance-tallies.ts). */
export interface GrievanceTalliesTable {
  community_id: number;
  status: string;
  overdue_at: string;
  n: number;
}

export interface Database {
  campaigns: CampaignsTable;
  communities: CommunitiesTable;
  compounds: CompoundsTable;
  compound_aliases: CompoundAliasesTable;
  takeovers: TakeoversTable;
  upgrade_actions: UpgradeActionsTable;
  departments: DepartmentsTable;
  routing_rules: RoutingRulesTable;
  grievance_routes: GrievanceRoutesTable;
  grievances: GrievancesTable;
  grievance_events: GrievanceEventsTable;
  grievance_tallies: GrievanceTalliesTable;
  people: PeopleTable;
  person_posts: PersonPostsTable;
  role_bindings: RoleBindingsTable;
  bound_chats: BoundChatsTable;
  phases: PhasesTable;
  deadlines: DeadlinesTable;
  report_periods: ReportPeriodsTable;
  report_confirmations: ReportConfirmationsTable;
  reminder_ledger: ReminderLedgerTable;
  audit_log: AuditLogTable;
  card_actions: CardActionsTable;
  inbox_events: InboxEventsTable;
  outbox_messages: OutboxMessagesTable;
  bot_messages: BotMessagesTable;
  kv_settings: KvSettingsTable;
  send_budget_stamps: SendBudgetStampsTable;
  calendar_overrides: CalendarOverridesTable;
  assessments: AssessmentsTable;
  subsidies: SubsidiesTable;
  company_records: CompanyRecordsTable;
  compound_disclosures: CompoundDisclosuresTable;
  compound_committees: CompoundCommitteesTable;
}

export type CompoundRow = Selectable<CompoundsTable>;
export type CommunityRow = Selectable<CommunitiesTable>;
export type TakeoverRow = Selectable<TakeoversTable>;
export type NewTakeover = Insertable<TakeoversTable>;
export type GrievanceRow = Selectable<GrievancesTable>;
export type RoleBindingRow = Selectable<RoleBindingsTable>;
export type InboxEventRow = Selectable<InboxEventsTable>;
export type OutboxMessageRow = Selectable<OutboxMessagesTable>;
export type NewOutboxMessage = Insertable<OutboxMessagesTable>;
