/**
 * test-doubles: a project's own tests that call handlers with an SDK v1 request stub keep
 * testing what they tested.
 *
 *   const result = await handler({ city: 'Oslo' }, { sendRequest: mockSendRequest });
 *     ⇒ const result = await callWithV1Extra({ sendRequest: mockSendRequest }, (ctx) =>
 *         handler({ city: 'Oslo' }, ctx),
 *       );
 *
 * The runtime's driver gives the handler the v2 context made of the stub and answers each question
 * the handler returns through the stub's `sendRequest`, as the push request it was.
 *
 *   const server = { server: { elicitInput }, registerTool } as unknown as McpServer;
 *     ⇒ const server = v1StubServer({ server: { elicitInput }, registerTool }) as unknown as McpServer;
 *
 * A stub server's registered handlers, called by the test, are driven the same way, answered by
 * the stub's own `elicitInput`, `createMessage` and `listRoots`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Node, type ObjectLiteralExpression, type SourceFile } from '../src/ts-morph.js';
import { stubbedHandlerCalls, stubServers, type StubbedCall } from '../src/analysis/test-doubles.js';
import { pending, type PendingDiagnostic } from '../src/diagnostics/diagnostic.js';
import { planImports } from '../src/edit/imports.js';
import { NameAllocator } from '../src/edit/naming.js';
import { applyEdits, identityOffsets, lineStartOf, type TextEdit } from '../src/edit/text-edits.js';
import { runtimeModule } from './handlers/runtime-module.js';
import { defaultRuntimeDir } from './handlers/runtime-placement.js';
import { descriptor } from './registry.js';
import type { Transform, TransformContext, TransformResult } from './types.js';

export const testDoubles: Transform = { ...descriptor('test-doubles'), apply };

const DRIVER = 'callWithV1Extra';
const STUB_SERVER = 'v1StubServer';
/** How the official codemod's finding about a v1 handler-context mock in a test begins. */
const V1_CONTEXT_MOCK = 'This object looks like a v1 handler-context mock';

function apply(sourceFile: SourceFile, context: TransformContext): TransformResult {
  const unchanged: TransformResult = { changed: false, diagnostics: [], handlers: [], mapOffset: identityOffsets };
  if (context.holdBack) return unchanged;
  const calls = stubbedHandlerCalls(sourceFile);
  // Calls inside another's arguments are left to the outer one, which already hands its stub on.
  const outermost = calls.filter(
    (c) =>
      !calls.some(
        (o) => o !== c && o.call.getArguments().some((a) => a.containsRange(c.call.getPos(), c.call.getEnd())),
      ),
  );
  const servers = stubServers(sourceFile).filter(
    (s) => !isWrapped(s) && !outermost.some((c) => c.call.getStart() <= s.getStart() && s.getEnd() <= c.call.getEnd()),
  );
  if (outermost.length === 0 && servers.length === 0) return unchanged;
  const names = new NameAllocator(sourceFile);
  const driver = outermost.length > 0 ? names.imported(DRIVER) : DRIVER;
  const wrapper = servers.length > 0 ? names.imported(STUB_SERVER) : STUB_SERVER;
  const edits: TextEdit[] = [
    ...outermost.map((c) => driven(c, driver, names)),
    ...servers.map((s) => ({ start: s.getStart(), end: s.getEnd(), text: `${wrapper}(${s.getText()})` })),
  ];
  const diagnostics = [
    ...outermost.map(({ call }) =>
      pending(
        'mrtr/v1-extra-driven',
        { call: `${call.getExpression().getText()}(…)` },
        { start: call.getStart(), end: call.getEnd(), anchor: call.getStart() },
      ),
    ),
    ...servers.map((s) =>
      pending('mrtr/v1-stub-server-driven', {}, { start: s.getStart(), end: s.getEnd(), anchor: s.getStart() }),
    ),
  ];
  const runtime = runtimeModule(sourceFile, context.options.runtimeDir ?? runtimeDirOfTests(sourceFile), false);
  const values = [...(outermost.length > 0 ? [DRIVER] : []), ...(servers.length > 0 ? [STUB_SERVER] : [])];
  edits.push(
    ...planImports(sourceFile, runtime.specifier, { values, types: [] }, context.style, new Set(), (n) =>
      names.localOf(n),
    ),
  );
  const text = sourceFile.getFullText();
  // The upgrade's "reshape this v1 context mock" is done by the driver, for the stubs it drives.
  const stubLines = outermost.map(({ stub }) => ({ start: lineStartOf(text, stub.getStart()), end: stub.getEnd() }));
  const settles = (d: PendingDiagnostic) =>
    d.ruleId === 'mrtr/v2-upgrade' &&
    d.data['detail']?.startsWith(V1_CONTEXT_MOCK) === true &&
    stubLines.some((lines) => lines.start <= d.offset && d.offset <= lines.end);
  const applied = applyEdits(text, edits);
  return {
    changed: true,
    text: applied.text,
    diagnostics: diagnostics.map((d) => ({
      ...d,
      offset: applied.mapOffset(d.offset),
      endOffset: applied.mapOffset(d.endOffset),
      anchorOffset: d.anchorOffset === undefined ? undefined : applied.mapOffset(d.anchorOffset),
    })),
    handlers: [],
    mapOffset: applied.mapOffset,
    newFiles: runtime.files,
    settles,
  };
}

/** Already `v1StubServer({ … })`: a second run leaves it. */
function isWrapped(object: ObjectLiteralExpression): boolean {
  const parent = object.getParent();
  return Node.isCallExpression(parent) && parent.getExpression().getText().startsWith(STUB_SERVER);
}

/** `f(a, stub)` ⇒ `callWithV1Extra(stub, (ctx) => f(a, ctx))`; prettier prints the statement afterwards. */
function driven({ call, extra }: StubbedCall, driver: string, names: NameAllocator): TextEdit {
  const ctx = names.parameter('ctx', call);
  const typeArguments = call.getTypeArguments();
  const callee =
    call.getExpression().getText() +
    (typeArguments.length > 0 ? `<${typeArguments.map((t) => t.getText()).join(', ')}>` : '');
  const leading = call
    .getArguments()
    .slice(0, -1)
    .map((a) => a.getText());
  return {
    start: call.getStart(),
    end: call.getEnd(),
    text: `${driver}(${extra.getText()}, (${ctx}) => ${callee}(${[...leading, ctx].join(', ')}))`,
  };
}

/** Tests import the server's modules, so they use the runtime those modules use: `src/`'s when there is one. */
function runtimeDirOfTests(sourceFile: SourceFile): string {
  const file = sourceFile.getFilePath();
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) {
      const src = path.join(dir, 'src');
      return defaultRuntimeDir(existsSync(src) ? path.join(src, path.basename(file)) : file);
    }
    if (path.dirname(dir) === dir) return defaultRuntimeDir(file);
  }
}
