/**
 * One file's migration as plain data: the request, and the runner that carries it out, whose
 * engine modules are loaded on first use (a tree with nothing to migrate never loads them).
 */
import type { EffectConfigFile } from '../analysis/effect-config.js';
import type { ProjectType, RewriteOptions } from '../../transforms/types.js';
import type { FileMigration } from './migrate-file.js';

export interface FileTask {
  readonly path: string;
  readonly raw: string;
  readonly displayPath: string;
  readonly transformIds: readonly string[];
  readonly projectType: ProjectType;
  readonly rewrite?: RewriteOptions;
  readonly effects: EffectConfigFile;
  /** Transforms to run even though their text test fails (a handler that asks through another file). */
  readonly force?: readonly string[];
}

export type FileRunner = (task: FileTask) => Promise<FileMigration>;

/** A runner for this thread; the engine modules are loaded on first use. */
export async function localRunner(): Promise<FileRunner> {
  const [{ createProject, migrateFile }, { transforms }, { EffectAnalyzer }, { EffectConfig }] = await Promise.all([
    import('./migrate-file.js'),
    import('../../transforms/index.js'),
    import('../analysis/effects.js'),
    import('../analysis/effect-config.js'),
  ]);
  const project = createProject();
  const analyzers = new Map<string, InstanceType<typeof EffectAnalyzer>>();
  // One file at a time: files share the project, and a migration awaits the formatter mid-way.
  let queue: Promise<unknown> = Promise.resolve();
  const runOne = async (task: FileTask): Promise<FileMigration> => {
    const key = JSON.stringify(task.effects);
    let effects = analyzers.get(key);
    if (!effects) analyzers.set(key, (effects = new EffectAnalyzer(new EffectConfig(task.effects))));
    const selected = transforms.filter((t) => task.transformIds.includes(t.id));
    return migrateFile(project, task.path, task.raw, { transforms: selected, projectType: task.projectType, displayPath: task.displayPath, effects, rewrite: task.rewrite, force: task.force });
  };
  return (task) => {
    const result = queue.then(() => runOne(task));
    queue = result.catch(() => undefined);
    return result;
  };
}
