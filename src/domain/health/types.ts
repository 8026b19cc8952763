/** The shapes of health surveillance (issue 7): facts, status rules, follow-up schedules, risk areas. */
export type HealthColour = 'green' | 'yellow' | 'red';
export type FactName = 'temperatureC' | 'fever' | 'symptoms' | 'riskTravelDaysAgo' | 'riskTravelLevel' | 'closeContact' | 'inQuarantine' | 'suspectedCase' | 'confirmedCase' | 'declaredToday';
export interface HealthFacts {
  temperatureC: number | null;      // latest reading today (declaration or gate), raw
  fever: boolean;                    // temperatureC >= the incident's fever threshold (default 37.3)
  symptoms: string[];                // declared symptom codes today
  riskTravelDaysAgo: number | null;  // days since the person last was in a matching risk area (within the look-back), null = none
  riskTravelLevel: 'high' | 'medium' | 'low' | null;
  closeContact: boolean;             // close contact under follow-up (an active exposure window)
  inQuarantine: boolean;
  suspectedCase: boolean;
  confirmedCase: boolean;
  declaredToday: boolean;
}
export type ClauseOp = '=' | '!=' | '>=' | '>' | '<=' | '<' | 'in' | 'nonEmpty' | 'empty' | 'includes';
export interface Clause { fact: FactName; op: ClauseOp; value?: number | string | boolean | string[] | null }
export interface Condition { all?: Clause[]; any?: Clause[] }
export interface StatusRule { code: string; nameZh: string; nameEn: string; status: HealthColour; priority: number; when: Condition; enabled: boolean }
export interface StatusResult {
  status: HealthColour;
  rule: string;                       // the deciding rule's code, or 'DEFAULT_GREEN'
  matched: { rule: string; status: HealthColour; clauses: { fact: FactName; op: ClauseOp; value: unknown; actual: unknown }[] }[]; // every rule that matched, most severe first
  explanation: { zh: string; en: string };  // e.g. "红码：规则「密切接触者」— 密切接触者 = 是" / "Red: rule “Close contact” — close contact = yes"
}
export interface FollowUpSettings { days: number; perDay: number }   // defaults 14 and 2
export interface FollowUpSlot { date: string; slot: number }          // slot 1..perDay
export type FollowUpState = 'done' | 'due' | 'missed' | 'planned' | 'cancelled';
export interface RiskArea { region: string; level: 'high' | 'medium' | 'low'; validFrom: string; validTo: string | null }
export interface TravelStay { region: string; fromDate: string; toDate: string }
