/**
 * What a jscodeshift run cannot see, read once per project: jscodeshift hands over one file at a
 * time, but how a file is migrated depends on the others (how the server loads the SDK, whether
 * anything asks at all). The project is the repository, else the nearest package, else the file's
 * directory.
 */
import path from 'node:path';
import { INPUT_POINT_TEXT, V1_REQUIRE } from '../analysis/input-point-text.js';
import { discoverFiles, findRepositoryRoot } from '../engine/discover.js';
import { screenFile } from '../engine/file-screen.js';
import { nearestManifest } from '../engine/manifest.js';

export interface ProjectFacts {
  /** Some file loads SDK v1 with require(). */
  readonly v1Require: boolean;
  /** Some file asks the client for input. */
  readonly asks: boolean;
}

const factsByProject = new Map<string, ProjectFacts>();
const EITHER = new RegExp(`${V1_REQUIRE.source}|${INPUT_POINT_TEXT.source}`);

export function projectFacts(file: string): ProjectFacts {
  const project = projectOf(file);
  let facts = factsByProject.get(project);
  if (!facts) {
    let v1Require = false;
    let asks = false;
    for (const f of discoverFiles([project], project, []).files) {
      const screened = screenFile(f, EITHER);
      if (screened.kind !== 'passed') continue;
      const text = screened.bytes.toString('latin1');
      v1Require ||= V1_REQUIRE.test(text);
      asks ||= INPUT_POINT_TEXT.test(text);
      if (v1Require && asks) break;
    }
    facts = { v1Require, asks };
    factsByProject.set(project, facts);
  }
  return facts;
}

function projectOf(file: string): string {
  const manifest = nearestManifest(file, path.parse(file).root);
  return findRepositoryRoot(path.dirname(file)) ?? path.dirname(manifest ?? file);
}
