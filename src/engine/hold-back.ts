/**
 * Which files keep their asks as written. A server that loads SDK v1 with require() stays on v1,
 * so its CommonJS helpers do too. A server FastMCP builds stays on FastMCP's SDK v1: the files
 * that import FastMCP, and every file of a project that builds no SDK server of its own, are left
 * alone apart from a marker at each ask.
 */
import type { HoldBack } from '../../transforms/types.js';
import {
  COMMONJS,
  FRAMEWORK_IMPORT,
  FRAMEWORK_SERVER,
  SERVER_CONSTRUCTION,
  V1_REQUIRE,
} from '../analysis/input-point-text.js';

export interface ServingFacts {
  /** Some file loads SDK v1 with require(). */
  readonly v1Require: boolean;
  /** A framework builds the project's server, and no file builds one with the SDK. */
  readonly frameworkOnly: boolean;
}

export function servingFacts(texts: Iterable<string>): ServingFacts {
  let v1Require = false;
  let framework = false;
  let sdk = false;
  for (const text of texts) {
    v1Require ||= V1_REQUIRE.test(text);
    framework ||= FRAMEWORK_SERVER.test(text);
    sdk ||= SERVER_CONSTRUCTION.test(text);
  }
  return { v1Require, frameworkOnly: framework && !sdk };
}

export function holdBackFor(text: string, facts: ServingFacts): HoldBack | undefined {
  if (facts.frameworkOnly || FRAMEWORK_IMPORT.test(text)) return 'framework';
  return facts.v1Require && COMMONJS.test(text) ? 'commonjs-v1' : undefined;
}
