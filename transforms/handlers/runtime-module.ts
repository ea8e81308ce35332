/**
 * What multi-round handlers need beyond their own file: the runtime module that signs carried
 * answers (copied beside the server file, in its language and module format), and the verify
 * hook wired into the server's construction so forged or expired state is refused by the SDK.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Node, SyntaxKind, ts, type ObjectLiteralExpression, type SourceFile } from '../../src/ts-morph.js';
import type { TextEdit } from '../../src/edit/text-edits.js';
import { isCommonJsFile } from '../../src/edit/imports.js';
import { defaultRuntimeDir } from './runtime-placement.js';
import { shakeRuntime, STATELESS_RUNTIME } from './runtime-shake.js';

export const RUNTIME_MODULE = 'mrtr-request-state';

export { STATELESS_RUNTIME } from './runtime-shake.js';

export interface PlannedFile {
  readonly path: string;
  readonly text: string;
  /** The runtime module, whole: a run cuts it down to what its files import (`runtimeFor`). */
  readonly runtime?: RuntimeShape;
}

/** How the runtime module is written for a project: its language and module format. */
export interface RuntimeShape {
  readonly typed: boolean;
  readonly commonJs: boolean;
}

/**
 * The runtime module holding only what `needs` (the names a run's files import from it) use.
 * Without held calls or `once`, the rounds and `node:async_hooks` go too.
 */
export function runtimeFor(shape: RuntimeShape, needs: ReadonlySet<string>): string {
  const key = `${shape.typed}/${shape.commonJs}/${[...needs].sort().join(',')}`;
  let text = shaped.get(key);
  if (text === undefined) {
    const withRounds = [...needs].some((name) => !STATELESS_RUNTIME.has(name));
    const source = shakeRuntime(runtimeSource(RUNTIME_MODULE), needs, withRounds);
    text = shape.typed ? source : transpile(source, shape.commonJs);
    shaped.set(key, text);
  }
  return text;
}

/** A run writes one module per package, mostly alike: each shape is cut once. */
const shaped = new Map<string, string>();

export interface RuntimeModule {
  /** The runtime module, and the steps module beside it when a handler is written as steps. */
  readonly files: PlannedFile[];
  /** How the server file imports each of them. */
  readonly specifier: string;
  readonly stepsSpecifier: string;
}

export const STEPS_MODULE = 'mrtr-steps';

const templates = new Map<string, string>();

/** A runtime file's TypeScript source, shipped in the package under src/runtime. */
function runtimeSource(name: string): string {
  let template = templates.get(name);
  if (template === undefined) {
    const candidates = ['../../src/runtime', '../../../src/runtime'].map(
      (dir) => new URL(`${dir}/${name}.ts`, import.meta.url),
    );
    const found = candidates.find((url) => existsSync(url));
    if (!found) throw new Error(`the ${name} runtime is missing from the mrtr-migrate package`);
    template = readFileSync(found, 'utf8');
    templates.set(name, template);
  }
  return template;
}

/** The steps module as shipped, for the runtime names it imports. */
export function stepsModuleSource(): string {
  return runtimeSource(STEPS_MODULE);
}

export function runtimeModule(
  sourceFile: SourceFile,
  runtimeDir: string | undefined,
  withSteps: boolean,
): RuntimeModule {
  const serverFile = sourceFile.getFilePath();
  const extension = path.extname(serverFile);
  const commonJs = isCommonJsFile(sourceFile);
  const typed = /\.(ts|tsx|mts|cts)$/.test(extension);
  const runtimeExtension = typed
    ? extension === '.mts'
      ? '.mts'
      : extension === '.cts'
        ? '.cts'
        : '.ts'
    : extension === '.jsx'
      ? '.js'
      : extension;
  const dir = runtimeDir ?? defaultRuntimeDir(serverFile);
  const suffix = importSuffix(sourceFile, runtimeExtension);
  const planned = (name: string, source: string): PlannedFile => ({
    path: path.join(dir, `${name}${runtimeExtension}`),
    text: typed ? source : transpile(source, commonJs),
    ...(name === RUNTIME_MODULE ? { runtime: { typed, commonJs } } : {}),
  });
  // The steps module imports the runtime beside it the way the project imports its own files.
  const steps = runtimeSource(STEPS_MODULE).replace(`'./${RUNTIME_MODULE}.js'`, `'./${RUNTIME_MODULE}${suffix}'`);
  const files = [
    planned(RUNTIME_MODULE, runtimeSource(RUNTIME_MODULE)),
    ...(withSteps ? [planned(STEPS_MODULE, steps)] : []),
  ];
  const specifierOf = (name: string) => {
    const relative = path.relative(path.dirname(serverFile), path.join(dir, name)).split(path.sep).join('/');
    return `${relative.startsWith('.') ? relative : `./${relative}`}${suffix}`;
  };
  return { files, specifier: specifierOf(RUNTIME_MODULE), stepsSpecifier: specifierOf(STEPS_MODULE) };
}

/** The file's own habit: `.js` suffixes on relative imports (ESM, NodeNext), or none (bundlers). */
function importSuffix(sourceFile: SourceFile, runtimeExtension: string): string {
  const own = sourceFile
    .getImportDeclarations()
    .map((d) => d.getModuleSpecifierValue())
    .filter((s) => s.startsWith('.'));
  // A file that imports nothing of its own follows the files beside it.
  const relatives = own.length > 0 ? own : siblingImports(path.dirname(sourceFile.getFilePath()));
  const bare = relatives.length > 0 && relatives.every((s) => !/\.[cm]?[jt]sx?$/.test(s));
  if (bare && !isCommonJsFile(sourceFile)) return '';
  // allowImportingTsExtensions, or Node's type stripping: the file imports sources by their own name.
  if (relatives.length > 0 && relatives.every((s) => /\.[cm]?tsx?$/.test(s))) return runtimeExtension;
  return { '.mts': '.mjs', '.cts': '.cjs', '.ts': '.js' }[runtimeExtension] ?? runtimeExtension;
}

const siblings = new Map<string, string[]>();
const RELATIVE_IMPORT = /\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]/g;

/** The relative import specifiers of a few source files in `dir`. */
function siblingImports(dir: string): string[] {
  let found = siblings.get(dir);
  if (found) return found;
  found = [];
  try {
    const files = readdirSync(dir).filter((f) => /\.[cm]?[jt]sx?$/.test(f) && !f.startsWith(RUNTIME_MODULE));
    for (const file of files.slice(0, 20)) {
      for (const match of readFileSync(path.join(dir, file), 'utf8').matchAll(RELATIVE_IMPORT)) found.push(match[1]);
    }
  } catch {
    // An unreadable directory says nothing about the project's habit.
  }
  siblings.set(dir, found);
  return found;
}

// The types went with the transpile: a project that checks its JavaScript (checkJs) would see only implicit anys.
const UNCHECKED = '// @ts-nocheck\n';

function transpile(source: string, commonJs: boolean): string {
  return (
    UNCHECKED +
    ts.transpileModule(source, {
      compilerOptions: {
        target: ts.ScriptTarget.ES2022,
        module: commonJs ? ts.ModuleKind.CommonJS : ts.ModuleKind.ESNext,
        verbatimModuleSyntax: false,
      },
    }).outputText
  );
}

/**
 * `new McpServer(info)` ⇒ `new McpServer(info, { requestState: { verify: verifyRequestState } })`,
 * merged into an options object that is already there. Returns no edits when the file has no
 * construction (or every one already configures requestState).
 */
/**
 * A property added as the object is written: on a line of its own in an object laid out one
 * property per line (after the trailing comma, if the object has one), else after the last.
 */
function appendProperty(object: ObjectLiteralExpression, property: string): TextEdit {
  const last = object.getProperties().at(-1);
  if (!last) return { start: object.getStart() + 1, end: object.getStart() + 1, text: ` ${property} ` };
  const text = object.getSourceFile().getFullText();
  const close = object.getEnd() - 1;
  const between = text.slice(last.getEnd(), close);
  if (!between.includes('\n')) return { start: last.getEnd(), end: last.getEnd(), text: `, ${property}` };
  const lineStart = text.lastIndexOf('\n', last.getStart()) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
  const comma = between.indexOf(',');
  if (comma === -1) return { start: last.getEnd(), end: last.getEnd(), text: `,\n${indent}${property}` };
  const at = last.getEnd() + comma + 1;
  return { start: at, end: at, text: `\n${indent}${property},` };
}

export function wireVerify(sourceFile: SourceFile, verifyName: () => string): { edits: TextEdit[]; found: boolean } {
  const edits: TextEdit[] = [];
  let found = false;
  for (const construction of sourceFile.getDescendantsOfKind(SyntaxKind.NewExpression)) {
    const name = construction.getExpression().getText();
    if (name !== 'McpServer' && name !== 'Server') continue;
    const [info, options] = construction.getArguments();
    if (!info) continue;
    found = true;
    const hook = `requestState: { verify: ${verifyName()} }`;
    if (!options) {
      edits.push({ start: info.getEnd(), end: info.getEnd(), text: `, { ${hook} }` });
    } else if (Node.isObjectLiteralExpression(options) && !options.getProperty('requestState')) {
      edits.push(appendProperty(options, hook));
    }
  }
  return { edits, found };
}
