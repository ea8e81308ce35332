/** What a rule of the catalogue says: its severity, whether it marks the code, and its texts. */
export type Severity = 'error' | 'warning' | 'info';

export interface RuleDefinition {
  readonly id: string;
  readonly severity: Severity;
  /** Whether a `/* @mrtr-migrate … *\/` marker is written into the code at the spot. */
  readonly marker: boolean;
  /** One line, used in summaries and SARIF `shortDescription`. */
  readonly title: string;
  /** Message template; `{{name}}` placeholders are filled from the diagnostic's data. */
  readonly message: string;
  /** Why it matters under MRTR. */
  readonly why: string;
  /** What to do about it. */
  readonly fix: string;
  /** A short before/after, for `explain`, SARIF help and the README. */
  readonly example?: { readonly before: string; readonly after: string };
}
