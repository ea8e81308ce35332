/**
 * Fixture pairs, found automatically: `fixtures/<id>/<scenario>.input.<ext>` with its
 * `.output.<ext>` and `.report.json` (diagnostics and handler outcomes). The folder names a
 * strategy (`guard-first`, `steps`…) or a pass (`handlers` for what no one strategy owns); the
 * registry runs up to and including that pass, as a real run would.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createProject, migrateFile, type FileMigration } from '../../src/engine/migrate-file.js';
import { transforms } from '../../transforms/index.js';
import { HANDLER_PASS, strategyOf } from '../../transforms/registry.js';
import { DEFAULT_REWRITE_OPTIONS, type RewriteOptions } from '../../transforms/types.js';

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures');

export interface FixturePair {
  /** The folder: a strategy or a pass. */
  readonly transform: string;
  /** The pass the folder exercises. */
  readonly pass: string;
  readonly scenario: string;
  readonly input: string;
  readonly output: string;
  readonly report: string;
  /** `<scenario>.options.json`: rewrite options for this fixture (`fixEffects`, `maxRisk`). */
  readonly options: RewriteOptions;
}

export function findFixtures(): FixturePair[] {
  const pairs: FixturePair[] = [];
  for (const transform of readdirSync(FIXTURES).sort()) {
    const pass = passOf(transform);
    if (transform.startsWith('_') || !pass) continue;
    const dir = path.join(FIXTURES, transform);
    for (const file of readdirSync(dir).sort()) {
      const match = /^(.*)\.input\.(\w+)$/.exec(file);
      if (!match) continue;
      const [, scenario, ext] = match;
      pairs.push({
        transform,
        pass,
        scenario,
        input: path.join(dir, file),
        output: path.join(dir, `${scenario}.output.${ext}`),
        report: path.join(dir, `${scenario}.report.json`),
        // The runtime module sits beside the fixtures, as one package's copy would.
        options: {
          ...DEFAULT_REWRITE_OPTIONS,
          runtimeDir: dir,
          ...JSON.parse(readIfExists(path.join(dir, `${scenario}.options.json`)) ?? '{}'),
        },
      });
    }
  }
  return pairs;
}

/** The pass a fixture folder exercises: its own id, or the handler pass for a strategy's folder. */
export function passOf(folder: string): string | undefined {
  if (transforms.some((t) => t.id === folder)) return folder;
  return strategyOf(folder) ? HANDLER_PASS : undefined;
}

export function transformsUpTo(id: string) {
  const index = transforms.findIndex((t) => t.id === id);
  return transforms.slice(0, index + 1);
}

export async function runFixture(pair: FixturePair, text = readFileSync(pair.input, 'utf8')): Promise<FileMigration> {
  const displayPath = path.relative(FIXTURES, pair.input).split(path.sep).join('/');
  // As in a project run, where the engine sends the handler pass every file that registers handlers reaching asks.
  const force = pair.pass === HANDLER_PASS ? [HANDLER_PASS] : [];
  // A test file's fixture (`x.test.input.ts`) is migrated under the name it stands for (`x.test.ts`).
  const file = /\.(test|spec)$/.test(pair.scenario) ? pair.input.replace(/\.input(\.\w+)$/, '$1') : pair.input;
  return migrateFile(createProject(), file, text, {
    transforms: transformsUpTo(pair.pass),
    projectType: 'server',
    displayPath,
    rewrite: pair.options,
    force,
  });
}

/** What a fixture's `.report.json` pins down besides the output text. */
export function reportOf(result: FileMigration): object {
  return {
    status: result.status,
    transforms: result.appliedTransforms,
    newFiles: result.newFiles.map((f) => path.relative(FIXTURES, f.path).split(path.sep).join('/')),
    handlers: result.handlers.map(({ handler, strategy, risk, keys, line }) => ({
      handler,
      line,
      strategy,
      risk,
      keys,
    })),
    diagnostics: result.diagnostics.map(({ ruleId, line, column, message }) => ({ ruleId, line, column, message })),
  };
}

export function readIfExists(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}
