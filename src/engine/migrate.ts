/**
 * A whole run: discover files, migrate each one in isolation, and plan the manifest edits the
 * migrated imports need. Returns the plan; the caller decides whether to write it.
 */
import { countAskForms, type AskForms } from './ask-forms.js';
import { existsSync, readFileSync } from 'node:fs';
import { severityOf } from '../diagnostics/diagnostic.js';
import { renderMessage } from '../diagnostics/rules.js';
import path from 'node:path';
import {
  HANDLER_PASS,
  registry,
  selectableIds,
  strategies,
  type TransformDescriptor,
} from '../../transforms/registry.js';
import {
  DEFAULT_REWRITE_OPTIONS,
  type ProjectType,
  type RewriteOptions,
  type StrategyId,
} from '../../transforms/types.js';
import { readEffectConfig } from '../analysis/effect-config.js';
import { FRAMEWORK_SERVER, SERVER_CONSTRUCTION } from '../analysis/input-point-text.js';
import { holdBackFor, servingFacts } from './hold-back.js';
import { statelessDeployment, type StatelessDeployment } from './deployment.js';
import { escapeRegExp } from '../text/regexp.js';
import { screenFile, screenText } from './file-screen.js';
import { carriesAnswers, gatherRunFacts, needsSecondLook, runtimeImports } from './run-facts.js';
import { runtimeFor, STEPS_MODULE, stepsModuleSource } from '../../transforms/handlers/runtime-module.js';
import { localRunner, type FileRunner } from './file-task.js';
import { discoverFiles, type Discovery } from './discover.js';
import { planManifestEdit, nearestManifest, requiredPackages, type ManifestEdit } from './manifest.js';
import type { FileMigration } from './migrate-file.js';

export interface MigrationOptions {
  readonly paths: readonly string[];
  readonly cwd: string;
  readonly ignore?: readonly string[];
  /** Transform ids to run; all of the registry by default. */
  readonly only?: readonly string[];
  readonly rewrite?: RewriteOptions;
  /** Type-check the changed files with the project's tsconfig, before and after (default on). */
  readonly typecheck?: boolean;
  /** Texts to migrate instead of what the disk holds, by absolute path: an editor's unsaved buffers. */
  readonly contents?: ReadonlyMap<string, string>;
  /** Called as files finish; the CLI draws a progress line from it. */
  readonly onProgress?: (done: number, total: number, file: string) => void;
}

export interface MigrationResult {
  readonly root: string;
  readonly discovery: Discovery;
  /** Every scanned file, in discovery order. */
  readonly files: readonly FileMigration[];
  readonly manifests: readonly ManifestEdit[];
  /** New files to create (the runtime module), never one that already exists. */
  readonly created: readonly { readonly path: string; readonly text: string }[];
  readonly asks: AskForms;
}

export async function migrate(options: MigrationOptions): Promise<MigrationResult> {
  const selection = selectTransforms(options.only);
  const selected = selection.passes;
  const requested = options.rewrite ?? DEFAULT_REWRITE_OPTIONS;
  // Settled once the files are read: a deployment that cannot hold a call defaults to --target native.
  let rewrite: RewriteOptions = requested;
  const discovery = discoverFiles(options.paths, options.cwd, options.ignore ?? []);
  const projectType = detectProjectType(discovery);
  const effects = readEffectConfig(discovery.root);
  const transformIds = selected.map((d) => d.id);
  // One pass per file over its bytes (read as latin1, which the ASCII needles survive): a file
  // that mentions no ask, no v1 import and no handler registration is never looked at again.
  const screen = new RegExp(
    [...selected.flatMap((d) => d.needles), ...REGISTRATION_WORDS, FRAMEWORK_WORD].map(escapeRegExp).join('|'),
  );
  // The engine (ts-morph, the official transforms, prettier) loads only if some file needs it.
  let runner: Promise<FileRunner> | undefined;
  const run: FileRunner = (task) =>
    (runner ??= localRunner({ transformIds, projectType, rewrite, effects })).then((r) => r(task));
  let done = 0;
  const pending: Promise<FileMigration>[] = [];
  // First read everything: which files ask, and which register handlers that may reach them.
  const read: string[] = [];
  const screened: { file: string; bytes: Buffer }[] = [];
  for (const file of discovery.files) {
    const held = options.contents?.get(file);
    const outcome = held === undefined ? screenFile(file, screen) : screenText(held, screen);
    if (outcome.kind === 'unreadable') continue;
    read.push(file);
    if (outcome.kind === 'passed') screened.push({ file, bytes: outcome.bytes });
  }
  const texts = new Map<string, string>();
  const candidates = new Set<string>();
  const asking = new Set<string>();
  const handlerPass = selected.find((d) => d.id === HANDLER_PASS);
  for (const { file, bytes } of screened) {
    const raw = bytes.toString('utf8');
    const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    texts.set(file, raw);
    if (selected.some((d) => d.appliesTo(text, file))) candidates.add(file);
    if (handlerPass?.appliesTo(text, file)) asking.add(file);
  }
  const deployment = requested.target === undefined ? statelessDeployment(discovery.root, texts) : undefined;
  const target = requested.target ?? (deployment ? 'native' : 'any');
  // Held calls are the resumable strategy's form: --target native leaves it out.
  rewrite = {
    ...requested,
    target,
    strategies: selection.strategies.filter((s) => target !== 'native' || s !== 'resumable'),
  };
  // Per package: a FastMCP package beside SDK servers in the same run keeps its own asks.
  const packages = new Map<string, string>();
  const packageOf = (file: string) => {
    const dir = path.dirname(file);
    let found = packages.get(dir);
    if (found === undefined) packages.set(dir, (found = nearestManifest(file, discovery.root) ?? discovery.root));
    return found;
  };
  const byPackage = new Map<string, string[]>();
  for (const [file, text] of texts) {
    const inside = byPackage.get(packageOf(file));
    if (inside) inside.push(text);
    else byPackage.set(packageOf(file), [text]);
  }
  const serving = new Map([...byPackage].map(([dir, inside]) => [dir, servingFacts(inside)]));
  const holdBackOf = (file: string, text: string) => {
    const facts = serving.get(packageOf(file));
    return facts ? holdBackFor(text, facts) : undefined;
  };
  for (const file of read) {
    const displayPath = toDisplayPath(discovery.root, file);
    const raw = texts.get(file);
    // Once some file asks, every file that registers handlers is looked at: its handlers may reach the
    // ask through helpers (imported or not), or it may register handlers passed to it from elsewhere.
    const force =
      raw !== undefined && asking.size > 0 && (REGISTRATION.test(raw) || FRAMEWORK_SERVER.test(raw))
        ? [HANDLER_PASS]
        : undefined;
    const result =
      raw !== undefined && (candidates.has(file) || force)
        ? run({
            path: file,
            raw,
            displayPath,
            force,
            holdBack: holdBackOf(file, raw),
          })
        : Promise.resolve(unchangedFile(file));
    pending.push(
      result.then((migration) => {
        options.onProgress?.(++done, discovery.files.length, displayPath);
        return migration;
      }),
    );
  }
  const firstLook = await Promise.all(pending);
  // Helpers learn who reaches them, and servers that the run's asks need load the runtime.
  const facts = gatherRunFacts(firstLook);
  const files = await Promise.all(
    firstLook.map(async (file) => {
      const raw = texts.get(file.path);
      if (raw === undefined || !needsSecondLook(file, facts)) return file;
      const displayPath = toDisplayPath(discovery.root, file.path);
      return run({
        path: file.path,
        raw,
        displayPath,
        force: [HANDLER_PASS],
        holdBack: holdBackOf(file.path, raw),
        run: facts,
      });
    }),
  );
  // Helpers the second look made native may leave the run with no state to verify: a construction
  // wired only for the first look's held asks is looked at once more, with what the run now needs.
  const settled = gatherRunFacts(files);
  const final =
    settled.usesRuntime === facts.usesRuntime
      ? files
      : await Promise.all(
          files.map(async (file) => {
            const raw = texts.get(file.path);
            if (raw === undefined || file.status !== 'changed' || !SERVER_CONSTRUCTION.test(raw)) return file;
            return run({
              path: file.path,
              raw,
              displayPath: toDisplayPath(discovery.root, file.path),
              force: [HANDLER_PASS],
              holdBack: holdBackOf(file.path, raw),
              run: { ...facts, usesRuntime: settled.usesRuntime, serverWired: settled.serverWired },
            });
          }),
        );
  const created = planNewFiles(final, discovery.root);
  // What the run wrote, checked by the project's own compiler settings before anyone builds it.
  // Loaded only then: a run that changes nothing never loads the compiler.
  const checked =
    options.typecheck === false || !created.files.some((f) => f.status === 'changed')
      ? created.files
      : (await import('./type-errors.js')).withTypeErrors(created.files, created.create, discovery.root, (file) =>
          toDisplayPath(discovery.root, file),
        );
  const reported = deployment ? checked.map((file) => withDeploymentNote(file, deployment, discovery.root)) : checked;
  return {
    root: discovery.root,
    discovery,
    files: reported,
    manifests: planManifests(final, discovery.root),
    created: created.create,
    asks: countAskForms(reported, (file) => texts.get(file)?.replace(/^\uFEFF/, '')),
  };
}

/** Why the run wrote no held call, said on the file that shows where the project is served. */
function withDeploymentNote(file: FileMigration, deployment: StatelessDeployment, root: string): FileMigration {
  if (file.path !== deployment.file) return file;
  const text = file.original;
  const before = text.slice(0, deployment.offset);
  const line = before.split('\n').length;
  const column = deployment.offset - before.lastIndexOf('\n');
  const note = {
    ruleId: 'mrtr/native-by-deployment' as const,
    severity: severityOf('mrtr/native-by-deployment'),
    message: renderMessage('mrtr/native-by-deployment', { how: deployment.how }),
    file: toDisplayPath(root, file.path),
    line,
    column,
    endLine: line,
    endColumn: column,
  };
  return { ...file, diagnostics: [note, ...file.diagnostics] };
}

const FRAMEWORK_WORD = 'fastmcp';

const REGISTRATION_WORDS = [
  'registerTool',
  'registerPrompt',
  'registerResource',
  'setRequestHandler',
  '.tool(',
  '.prompt(',
  '.resource(',
];
const REGISTRATION = new RegExp(REGISTRATION_WORDS.map(escapeRegExp).join('|'));

function readOrEmpty(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** A file no transform applies to; its text is read again only if someone asks for it. */
function unchangedFile(file: string): FileMigration {
  let text: string | undefined;
  const decoded = () => (text ??= readOrEmpty(file));
  return {
    path: file,
    status: 'unchanged',
    get original() {
      return decoded();
    },
    get output() {
      return decoded();
    },
    diagnostics: [],
    handlers: [],
    appliedTransforms: [],
    newFiles: [],
  };
}

/**
 * The runtime module is written once per directory and is the user's afterwards: an identical
 * copy is left alone, a changed one is kept and noted on the file that needed it.
 */
function planNewFiles(
  files: FileMigration[],
  root: string,
): { files: FileMigration[]; create: { path: string; text: string }[] } {
  const create = new Map<string, string>();
  const kept = new Map<string, string>();
  // The runtime holds what the run's files import from it, and what the steps module beside it does.
  const needs = new Set(files.flatMap((file) => runtimeImports(file.status === 'changed' ? file.output : '')));
  if (files.some((file) => file.newFiles.some((f) => path.basename(f.path).startsWith(STEPS_MODULE))))
    for (const name of runtimeImports(stepsModuleSource())) needs.add(name);
  // Native asks reached more than once in a call carry their answers: signed state, and the rounds that bind it.
  if (files.some((file) => file.status === 'changed' && carriesAnswers(file))) needs.add('verifyRequestState');
  for (const file of files) {
    for (const planned of file.newFiles) {
      if (create.has(planned.path) || kept.has(planned.path)) continue;
      const text = planned.runtime ? runtimeFor(planned.runtime, needs) : planned.text;
      if (!existsSync(planned.path)) create.set(planned.path, text);
      else if (readFileSync(planned.path, 'utf8') !== text) kept.set(planned.path, file.path);
    }
  }
  const noted = files.map((file) => {
    const notes = [...kept].filter(([, owner]) => owner === file.path);
    if (notes.length === 0) return file;
    const extra = notes.map(([keptPath]) => ({
      ruleId: 'mrtr/runtime-kept' as const,
      severity: severityOf('mrtr/runtime-kept'),
      message: renderMessage('mrtr/runtime-kept', { file: path.basename(keptPath) }),
      file: toDisplayPath(root, file.path),
      line: 1,
      column: 1,
      endLine: 1,
      endColumn: 1,
    }));
    return { ...file, diagnostics: [...file.diagnostics, ...extra] };
  });
  return { files: noted, create: [...create].map(([p, text]) => ({ path: p, text })) };
}

export interface Selection {
  readonly passes: readonly TransformDescriptor[];
  /** The strategies the handler pass may use; all of them unless `-t` names some. */
  readonly strategies: readonly StrategyId[];
}

/** `-t` ids: a pass by its id, or a strategy, which runs the handler pass with that strategy. */
export function selectTransforms(only: readonly string[] | undefined): Selection {
  if (!only || only.length === 0) return { passes: registry, strategies: strategies.map((s) => s.id) };
  const unknown = only.filter((id) => !selectableIds.includes(id));
  if (unknown.length > 0)
    throw new UsageError(`unknown transform ${unknown.join(', ')}; available: ${selectableIds.join(', ')}`);
  const chosen = strategies.filter((s) => only.includes(s.id)).map((s) => s.id);
  const passes = registry.filter((t) => only.includes(t.id) || (t.id === HANDLER_PASS && chosen.length > 0));
  return { passes, strategies: chosen };
}

export class UsageError extends Error {}

export function toDisplayPath(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

function planManifests(files: readonly FileMigration[], root: string): ManifestEdit[] {
  const needs = new Map<string, Set<string>>();
  for (const file of files) {
    if (file.status !== 'changed') continue;
    const manifest = nearestManifest(file.path, root);
    if (!manifest) continue;
    const set = needs.get(manifest) ?? new Set<string>();
    requiredPackages(file.output).forEach((p) => set.add(p));
    needs.set(manifest, set);
  }
  return [...needs].flatMap(([manifest, packages]) => planManifestEdit(manifest, [...packages]) ?? []);
}

/** As the official codemod decides: declared v2 packages first, else which v1 subpaths the code imports. */
function detectProjectType(discovery: Discovery): ProjectType {
  const manifest = discovery.files[0] ? nearestManifest(discovery.files[0], discovery.root) : undefined;
  if (manifest) {
    try {
      const json = JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, Record<string, string> | undefined>;
      const deps = { ...json.dependencies, ...json.devDependencies };
      const client = '@modelcontextprotocol/client' in deps;
      const server = '@modelcontextprotocol/server' in deps;
      if (client && server) return 'both';
      if (client) return 'client';
      if (server) return 'server';
    } catch {
      // An unreadable manifest tells us nothing; fall through to the imports.
    }
  }
  return 'server';
}
