/** The command-line options that choose what a run does: -t, --list, --style, the effect options. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from './helpers/fixtures.js';
import { cli, copyProject, read, write } from './helpers/project.js';

const CONFIRM_OUTPUT_LINE = "const result = inputResponse(ctx.mcpReq.inputResponses, 'confirm');";

describe('usage', () => {
  it('--list, --version, unknown transforms and options', async () => {
    const dir = copyProject('basic');
    const list = await cli(dir, '--list');
    const lines = list.stdout.trimEnd().split('\n');
    expect(lines.map((line) => line.split(' ')[0])).toEqual([
      'v1-to-v2',
      'registration',
      'guard-first',
      'multi-round',
      'steps',
      'native-helpers',
      'resumable',
      'serving',
      'test-doubles',
    ]);
    expect(lines.slice(2, -2).every((line) => / strategy: \S/.test(line))).toBe(true);
    expect((await cli(dir, '--version')).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const unknown = await cli(dir, '-t', 'nope', '.');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      'available: v1-to-v2, registration, guard-first, multi-round, steps, native-helpers, resumable, serving, ' +
        'test-doubles',
    );
    // The pass that runs the strategies is not a -t value: the strategies are.
    expect((await cli(dir, '-t', 'handlers', '.')).code).toBe(2);
    expect((await cli(dir, '--frobnicate')).code).toBe(2);
  });

  it('--runtime-dir puts the runtime module where the user says, imported from there', async () => {
    const dir = copyProject('basic');
    expect((await cli(dir, '--runtime-dir', 'lib/mcp', '.')).code).toBe(0);
    expect(read(dir, 'lib/mcp/mrtr-request-state.ts').length).toBeGreaterThan(0);
    expect(read(dir, 'src/helper.ts')).toContain("from '../lib/mcp/mrtr-request-state.js';");
  });

  it('-t with a strategy rewrites only the handlers that strategy takes, and says what it left', async () => {
    const dir = copyProject('basic');
    const run = await cli(dir, '-t', 'v1-to-v2,guard-first', '--json', '.');
    expect(run.code).toBe(0);
    expect(read(dir, 'src/deploy.ts')).toContain(CONFIRM_OUTPUT_LINE);
    // The helper's ask needs the resumable strategy: it keeps its code, and the report says why.
    expect(read(dir, 'src/helper.ts')).toContain('await server.server.elicitInput(');
    expect(read(dir, 'src/helper.ts')).not.toContain('askElicit(');
    const report = JSON.parse(run.stdout);
    expect(report.handlers).toEqual([
      expect.objectContaining({ handler: 'tool deploy', strategy: 'guard-first' }),
      expect.objectContaining({
        handler: 'tool drop-table',
        strategy: 'left-unchanged',
        reasons: ['needs the resumable strategy, which -t left out'],
      }),
    ]);
    expect(report.diagnostics).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          ruleId: 'mrtr/strategy-not-selected',
          severity: 'warning',
          message: expect.stringContaining('helper `confirmAction` needs the `resumable` strategy'),
        }),
        expect.objectContaining({
          ruleId: 'mrtr/strategy-not-selected',
          message: expect.stringContaining('handler `tool drop-table`'),
        }),
      ]),
    );
    expect(report.files).toEqual(
      expect.arrayContaining([{ path: 'src/deploy.ts', status: 'changed', transforms: ['v1-to-v2', 'guard-first'] }]),
    );

    const resumableOnly = await cli(dir, '-t', 'resumable', '--json', '.');
    expect(read(dir, 'src/helper.ts')).toMatch(/await askElicit\(\s*'confirmAction',/);
    // The helper asks through the runtime now, and the other file's server construction loads it.
    expect(JSON.parse(resumableOnly.stdout).files).toEqual([
      { path: 'src/deploy.ts', status: 'changed', transforms: ['resumable'] },
      { path: 'src/helper.ts', status: 'changed', transforms: ['resumable'] },
    ]);
    expect(read(dir, 'src/deploy.ts')).toContain('{ requestState: { verify: verifyRequestState } }');
  });

  it('--target native writes no held call: what needs one is left as written, marked as an error', async () => {
    const dir = copyProject('basic');
    // Asks in a loop and a try block return the request; a Promise.all over a list still needs a held call.
    write(dir, 'src/shapes.ts', read(path.join(FIXTURES, 'resumable'), 'loop-and-try-v1.input.ts'));
    const run = await cli(dir, '--target', 'native', '--json', '.');
    expect(read(dir, 'src/deploy.ts')).toContain(CONFIRM_OUTPUT_LINE);
    // The helper returns the request to its caller: native, so --target native takes it.
    const helper = read(dir, 'src/helper.ts');
    expect(helper).toContain("await elicitAnswer(\n      ctx,\n      'confirmAction',");
    const shapes = read(dir, 'src/shapes.ts');
    expect(shapes).not.toMatch(/\bask(Elicit|Url|Sampling|Roots)\(/);
    expect(shapes.match(/await elicitAnswer\(ctx, /g)).toHaveLength(2);
    expect(shapes.match(/server\.server\.createMessage\(/g)).toHaveLength(1);
    const report = JSON.parse(run.stdout);
    expect(report.summary.asksByForm).toEqual({ nativeInHandler: 3, nativeHelper: 1, held: 0, leftUnchanged: 1 });
    const refusedReason = ['asks where only a held call could serve it, which --target native refuses'];
    expect(report.handlers).toContainEqual(
      expect.objectContaining({ handler: 'tool batch', strategy: 'left-unchanged', reasons: refusedReason }),
    );
    for (const name of ['resolve-paths', 'guarded'])
      expect(report.handlers).toContainEqual(
        expect.objectContaining({ handler: `tool ${name}`, strategy: 'native-helpers', carriesAnswers: true }),
      );
    expect(report.handlers).toContainEqual(
      expect.objectContaining({ handler: 'tool drop-table', strategy: 'native-helpers' }),
    );
    const refused = report.diagnostics.filter((d: { ruleId: string }) => d.ruleId === 'mrtr/held-refused');
    expect(refused.map((d: { severity: string; file: string }) => `${d.severity} ${d.file}`)).toEqual([
      'error src/shapes.ts',
    ]);
    // The run writes what it can; review fails until the asks are rewritten by hand.
    expect(run.code).toBe(0);
    expect((await cli(dir, 'review', '.')).code).toBe(1);
  });

  it('defaults to --target native where a call cannot wait between rounds, and says why', async () => {
    const dir = copyProject('http-express-stateless');
    write(dir, 'src/shapes.ts', read(path.join(FIXTURES, 'resumable'), 'loop-and-try-v1.input.ts'));
    const run = await cli(dir, '--json', '--dry-run', '.');
    const report = JSON.parse(run.stdout);
    expect(report.summary.asksByForm.held).toBe(0);
    expect(report.diagnostics).toContainEqual(
      expect.objectContaining({
        ruleId: 'mrtr/native-by-deployment',
        file: 'src/index.ts',
        message: expect.stringContaining('a stateless Streamable HTTP route'),
      }),
    );
    expect(report.diagnostics.filter((d: { ruleId: string }) => d.ruleId === 'mrtr/held-refused')).toHaveLength(1);
    // Said outright, --target any holds them as before.
    const any = JSON.parse((await cli(dir, '--json', '--dry-run', '--target', 'any', '.')).stdout);
    expect(any.summary.asksByForm.held).toBeGreaterThan(0);
    expect(any.diagnostics.map((d: { ruleId: string }) => d.ruleId)).not.toContain('mrtr/native-by-deployment');
  });

  it('-t steps without multi-round splits dependent handlers into steps', async () => {
    const dir = copyProject('basic');
    write(dir, 'src/book.ts', read(path.join(FIXTURES, 'multi-round'), 'booking-v1.input.ts'));
    const run = await cli(dir, '-t', 'v1-to-v2,steps', '--json', 'src/book.ts');
    expect(run.code).toBe(0);
    expect(read(dir, 'src/book.ts')).toContain('.incompleteStep(');
    expect(JSON.parse(run.stdout).handlers).toEqual([
      expect.objectContaining({ handler: 'tool book', strategy: 'steps' }),
    ]);
    // With multi-round in, --style decides, as without -t.
    const guarded = copyProject('basic');
    write(guarded, 'src/book.ts', read(path.join(FIXTURES, 'multi-round'), 'booking-v1.input.ts'));
    await cli(guarded, '-t', 'v1-to-v2,steps,multi-round', 'src/book.ts');
    expect(read(guarded, 'src/book.ts')).toContain('collectedAnswers(');
  });

  it('-t runs only the named transforms', async () => {
    const dir = copyProject('basic');
    await cli(dir, '-t', 'v1-to-v2', '.');
    expect(read(dir, 'src/deploy.ts')).toContain("from '@modelcontextprotocol/server'");
    expect(read(dir, 'src/deploy.ts')).toContain('await server.server.elicitInput(');
  });
});

describe('--style', () => {
  const twoQuestions = `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';

export function createServer() {
  const server = new McpServer({ name: 'two', version: '1.0.0' });
  server.registerTool('pick', {}, async () => {
    const first = await server.server.elicitInput({
      message: 'First?',
      requestedSchema: { type: 'object', properties: { a: { type: 'string' } } },
    });
    const second = await server.server.elicitInput({
      message: \`After \${String(first.content?.a)}?\`,
      requestedSchema: { type: 'object', properties: { b: { type: 'string' } } },
    });
    return { content: [{ type: 'text', text: String(second.content?.b) }] };
  });
  return server;
}
`;

  it('writes dependent questions as steps with --style steps, and as guards by default', async () => {
    const dir = copyProject('basic');
    write(dir, 'src/pick.ts', twoQuestions);
    const steps = await cli(dir, '--json', '--style', 'steps', 'src/pick.ts');
    expect(steps.code).toBe(0);
    const migrated = read(dir, 'src/pick.ts');
    expect(migrated).toContain("return toolSteps<CallToolResult>(ctx, 'tool pick')");
    expect(migrated).toContain(".incompleteStep('b', async (step, { first }) => {");
    expect(migrated).toContain('.endStep(async ({ second }) => {');
    expect(read(dir, 'src/mrtr-steps.ts')).toContain('export function toolSteps<Result>');
    expect(migrated).toContain("import { toolSteps } from './mrtr-steps.js';");
    const report = JSON.parse(steps.stdout);
    expect(report.handlers[0]).toMatchObject({ strategy: 'steps', keys: ['a', 'b'] });

    const other = copyProject('basic');
    write(other, 'src/pick.ts', twoQuestions);
    expect((await cli(other, 'src/pick.ts')).code).toBe(0);
    expect(read(other, 'src/pick.ts')).toContain("await collectedAnswers(ctx, 'tool pick')");
    expect((await cli(other, '--style', 'phases', 'src/pick.ts')).code).toBe(2);
  });
});

describe('side effects', () => {
  const handler = (before: string) => `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
declare function audit(event: string): Promise<void>;

export function createServer() {
  const server = new McpServer({ name: 'fx', version: '1.0.0' });
  server.registerTool('go', {}, async () => {
    ${before}
    const answer = await server.server.elicitInput({
      message: 'Go?',
      requestedSchema: { type: 'object', properties: {} },
    });
    return { content: [{ type: 'text', text: answer.action }] };
  });
  return server;
}
`;

  it('carries an effect above the guard, or flags it, moves it, or leaves the handler (per option)', async () => {
    const dir = copyProject('basic');
    write(dir, 'src/fx.ts', handler("await audit('go');"));
    const carried = JSON.parse((await cli(dir, '--dry-run', '--json', 'src/fx.ts')).stdout) as {
      diff: string;
      diagnostics: { ruleId: string; severity: string; line: number }[];
    };
    expect(carried.diff).toContain("+    await onceEffect(ctx, 'audit', () => audit('go'));");
    expect(carried.diagnostics.map((d) => [d.ruleId, d.severity, d.line])).toEqual([['mrtr/carried-once', 'info', 18]]);
    const flagged = await cli(dir, '--dry-run', '--no-carry-effects', 'src/fx.ts');
    // Positions refer to the migrated text, in dry runs and real runs alike.
    expect(flagged.stderr).toContain(
      'src/fx.ts:17:11  mrtr/unknown-call-before-guard  `audit(...)` runs again on every round',
    );
    expect(flagged.stdout).not.toContain('onceEffect');

    write(
      dir,
      'src/moved.ts',
      handler("sent.push('go');").replace('declare function', 'const sent: string[] = [];\ndeclare function'),
    );
    expect((await cli(dir, '--fix-effects', 'src/moved.ts')).code).toBe(0);
    const moved = read(dir, 'src/moved.ts');
    expect(moved.indexOf("sent.push('go');")).toBeGreaterThan(moved.indexOf('return inputRequired('));
    expect(moved).toContain(
      '/* @mrtr-migrate mrtr/effect-moved-below-guard: moved below the `elicitation` guard by --fix-effects',
    );

    const safe = await cli(dir, '--max-risk', 'safe', 'src/fx.ts');
    expect(safe.code).toBe(0);
    expect(read(dir, 'src/fx.ts')).toContain('mrtr/risk-above-max');
    expect(read(dir, 'src/fx.ts')).toContain('await server.server.elicitInput(');
    expect((await cli(dir, '--max-risk', 'careless', 'src/fx.ts')).code).toBe(2);
  });

  it('reads mrtr-migrate.config.json and the package.json key', async () => {
    const dir = copyProject('basic');
    write(dir, 'src/fx.ts', handler("await audit('go');"));
    write(dir, 'mrtr-migrate.config.json', JSON.stringify({ effects: { pure: ['audit'] } }));
    const run = await cli(dir, '--json', '--dry-run', 'src/fx.ts');
    const report = JSON.parse(run.stdout);
    expect(report.diagnostics).toEqual([]);
    expect(report.handlers[0].risk).toBe('safe');

    const other = copyProject('basic');
    write(other, 'src/fx.ts', handler("await audit('go');"));
    const manifest = JSON.parse(read(other, 'package.json'));
    write(
      other,
      'package.json',
      JSON.stringify({ ...manifest, 'mrtr-migrate': { effects: { effectful: ['audit'] } } }, null, 2),
    );
    const effectful = await cli(other, '--dry-run', '--no-carry-effects', 'src/fx.ts');
    expect(effectful.stderr).toContain('mrtr/effect-before-guard');
  });
});
