/**
 * A scenario declaration: what to call on the server, and scripts of client answers. Each
 * script is one case; answers are consumed in order as the server asks.
 */
export type { Answer } from '../../src/verify/scripted-client.js';
import type { Answer } from '../../src/verify/scripted-client.js';

export type Call =
  | { readonly tool: string; readonly arguments?: Record<string, unknown> }
  | { readonly prompt: string; readonly arguments?: Record<string, string> }
  | { readonly resource: string };

export interface Scenario {
  readonly call: Call;
  /** Case name ⇒ answers. */
  readonly scripts: Readonly<Record<string, readonly Answer[]>>;
}

export function defineScenario(scenario: Scenario): Scenario {
  return scenario;
}
