/**
 * What a jscodeshift run cannot see, read once per project: jscodeshift hands over one file at a
 * time, but how a file is migrated depends on the others (how the server loads the SDK). The
 * project is the repository, else the nearest package, else the file's directory.
 */
import path from 'node:path';
import { V1_REQUIRE } from '../analysis/input-point-text.js';
import { discoverFiles, findRepositoryRoot } from '../engine/discover.js';
import { screenFile } from '../engine/file-screen.js';
import { nearestManifest } from '../engine/manifest.js';

export interface ProjectFacts {
  /** Some file loads SDK v1 with require(). */
  readonly v1Require: boolean;
}

const factsByProject = new Map<string, ProjectFacts>();

export function projectFacts(file: string): ProjectFacts {
  const project = projectOf(file);
  let facts = factsByProject.get(project);
  if (!facts) {
    let v1Require = false;
    for (const f of discoverFiles([project], project, []).files) {
      if (screenFile(f, V1_REQUIRE).kind !== 'passed') continue;
      v1Require = true;
      break;
    }
    facts = { v1Require };
    factsByProject.set(project, facts);
  }
  return facts;
}

function projectOf(file: string): string {
  const manifest = nearestManifest(file, path.parse(file).root);
  return findRepositoryRoot(path.dirname(file)) ?? path.dirname(manifest ?? file);
}
