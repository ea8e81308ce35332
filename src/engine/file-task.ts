/**
 * The runner that migrates one file at a time. Its engine modules (ts-morph, the official
 * transforms, prettier) are loaded on first use: a tree with nothing to migrate never loads them.
 */
import type { EffectConfigFile } from '../analysis/effect-config.js';
import type { HoldBack, ProjectType, RewriteOptions, RunFacts } from '../../transforms/types.js';
import type { FileMigration } from './migrate-file.js';

/** What stays the same for every file of a run. */
export interface RunSettings {
  readonly transformIds: readonly string[];
  readonly projectType: ProjectType;
  readonly rewrite?: RewriteOptions;
  readonly effects: EffectConfigFile;
}

export interface FileTask {
  readonly path: string;
  readonly raw: string;
  readonly displayPath: string;
  /** Transforms to run even though their text test fails (a handler that asks through another file). */
  readonly force?: readonly string[];
  /** Leave asks as written: a CommonJS file of a run whose server loads SDK v1 with require(), or a file
   * of a server a framework builds on its own SDK (FastMCP), which only gets markers. */
  readonly holdBack?: HoldBack;
  /** What the first look at every file showed, for a file looked at again. */
  readonly run?: RunFacts;
}

export type FileRunner = (task: FileTask) => Promise<FileMigration>;

/** Files whose formatting may be awaited at once; more only delays the first results. */
const OVERLAPPING_FILES = 16;

export async function localRunner(settings: RunSettings): Promise<FileRunner> {
  const [{ createProject, migrateFile }, { transforms }, { EffectAnalyzer }, { EffectConfig }] = await Promise.all([
    import('./migrate-file.js'),
    import('../../transforms/index.js'),
    import('../analysis/effects.js'),
    import('../analysis/effect-config.js'),
  ]);
  const project = createProject();
  const effects = new EffectAnalyzer(new EffectConfig(settings.effects));
  const selected = transforms.filter((t) => settings.transformIds.includes(t.id));
  const shared = { transforms: selected, projectType: settings.projectType, effects, rewrite: settings.rewrite };
  // migrateFile parses and transforms synchronously, so files share the project safely while
  // their formatting (prettier's config lookups are I/O) overlaps. A few at a time, so files keep
  // finishing (and the progress line moving) while a large tree is still being transformed.
  let formatting = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (formatting >= OVERLAPPING_FILES) await new Promise<void>((resolve) => waiting.push(resolve));
    formatting++;
    try {
      return await migrateFile(project, task.path, task.raw, {
        ...shared,
        displayPath: task.displayPath,
        force: task.force,
        holdBack: task.holdBack,
        run: task.run,
      });
    } finally {
      formatting--;
      waiting.shift()?.();
    }
  };
}
