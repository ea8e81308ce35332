/**
 * What a jscodeshift run cannot see, read once per project: jscodeshift hands over one file at a
 * time, but how a file is migrated depends on the others (how the server loads the SDK). The
 * project is the repository, else the nearest package, else the file's directory.
 */
import path from 'node:path';
import { FRAMEWORK_SERVER, SERVER_CONSTRUCTION, V1_REQUIRE } from '../analysis/input-point-text.js';
import { servingFacts, type ServingFacts } from '../engine/hold-back.js';
import { discoverFiles, findRepositoryRoot } from '../engine/discover.js';
import { screenFile } from '../engine/file-screen.js';
import { nearestManifest } from '../engine/manifest.js';

export type ProjectFacts = ServingFacts;

const factsByProject = new Map<string, ProjectFacts>();

// Only files that can change the facts are read in full.
const SERVING_WORDS = new RegExp([V1_REQUIRE, FRAMEWORK_SERVER, SERVER_CONSTRUCTION].map((r) => r.source).join('|'));

export function projectFacts(file: string): ProjectFacts {
  const project = projectOf(file);
  let facts = factsByProject.get(project);
  if (!facts) {
    const texts: string[] = [];
    for (const f of discoverFiles([project], project, []).files) {
      const screened = screenFile(f, SERVING_WORDS);
      if (screened.kind === 'passed') texts.push(screened.bytes.toString('utf8'));
    }
    facts = servingFacts(texts);
    factsByProject.set(project, facts);
  }
  return facts;
}

function projectOf(file: string): string {
  const manifest = nearestManifest(file, path.parse(file).root);
  return findRepositoryRoot(path.dirname(file)) ?? path.dirname(manifest ?? file);
}
