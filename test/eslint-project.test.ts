/**
 * The plugin as an editor runs it: ESLint's Node API with the `recommended` config, loaded as
 * users load it (`mrtr-migrate/eslint`, the built package), on projects migrated with the CLI.
 * Its problems are the report's flagged spots one to one; marking them reviewed settles `review`;
 * and what is typed into a migrated file afterwards is caught, and fixed as the CLI would fix it.
 */
import { symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import { getRule, type RuleId } from '../src/diagnostics/rules.js';
import { isFoundInCode } from '../src/engine/markers.js';
import { FIXTURES } from './helpers/fixtures.js';
import { cli, copyInstalledPackage, copyProject, read } from './helpers/project.js';

interface ReportedSpot {
  readonly file: string;
  readonly ruleId: string;
  readonly line: number;
}

const FLAGGED = 'mrtr-migrate/flagged-spot';

async function lintWith(dir: string, fix = false): Promise<ESLint> {
  const { default: mrtr } = await import('mrtr-migrate/eslint');
  return new ESLint({
    cwd: dir,
    fix,
    overrideConfigFile: true,
    overrideConfig: [
      { ignores: ['**/node_modules/**'] },
      { files: ['**/*.{ts,mts,cts,tsx}'], languageOptions: { parser: tseslint.parser } },
      mrtr.configs.recommended,
    ],
  });
}

/** Every problem as `file rule line`, flagged spots under the catalogue rule their marker names. */
function spotsOf(dir: string, results: readonly ESLint.LintResult[]): string[] {
  return results.flatMap((result) =>
    result.messages
      .filter((m) => m.ruleId?.startsWith('mrtr-migrate/'))
      .map((m) => {
        const file = path.relative(dir, result.filePath);
        const rule = m.ruleId === FLAGGED ? /\((mrtr\/[\w-]+)\)\n/.exec(m.message)?.[1] : m.ruleId;
        return `${file} ${rule} ${m.line}`;
      }),
  );
}

function markerSpots(report: { diagnostics: readonly ReportedSpot[] }): string[] {
  return report.diagnostics
    .filter((d) => getRule(d.ruleId as RuleId).marker)
    .map((d) => `${d.file} ${d.ruleId} ${d.line}`);
}

/** Applies one "mark reviewed" suggestion per file at a time, linting again in between, until none is left. */
async function markEverythingReviewed(dir: string): Promise<number> {
  const eslint = await lintWith(dir);
  let applied = 0;
  for (let pass = 0; pass < 50; pass++) {
    const results = await eslint.lintFiles(['.']);
    let changed = false;
    for (const result of results) {
      const suggestion = result.messages.find((m) => m.ruleId === FLAGGED)?.suggestions?.[0];
      if (!suggestion) continue;
      const text = read(dir, path.relative(dir, result.filePath));
      const [start, end] = suggestion.fix.range;
      writeFileSync(result.filePath, text.slice(0, start) + suggestion.fix.text + text.slice(end));
      applied++;
      changed = true;
    }
    if (!changed) return applied;
  }
  throw new Error('mark-reviewed suggestions did not settle');
}

const PROJECTS = ['batch-cleanup', 'cloudflare-agent', 'dispatch-table', 'late-registration', 'service-locator'];

describe.each(PROJECTS)('the plugin on migrated project %s', (name) => {
  let dir: string;
  let report: { diagnostics: ReportedSpot[] };

  beforeAll(async () => {
    dir = copyProject(name, { git: true });
    symlinkSync(path.resolve(FIXTURES, '../node_modules'), path.join(dir, 'node_modules'));
    const run = await cli(dir, '--json', '--allow-dirty', '.');
    expect(run.code).toBe(0);
    report = JSON.parse(run.stdout) as typeof report;
  }, 120_000);

  it("reports the report's flagged spots one to one: same rule, same line", async () => {
    const results = await (await lintWith(dir)).lintFiles(['.']);
    const spots = spotsOf(dir, results);
    expect(markerSpots(report).length).toBeGreaterThan(0);
    expect(spots.sort()).toEqual(markerSpots(report).sort());
  });

  it('settles review once every spot is marked reviewed, but for what review finds in the code itself', async () => {
    expect((await cli(dir, 'review', '.')).code).toBe(1);
    const inCode = report.diagnostics.filter((d) => isFoundInCode(d.ruleId as RuleId));
    expect(await markEverythingReviewed(dir)).toBe(markerSpots(report).length - inCode.length);
    const review = await cli(dir, 'review', '--json', '.');
    const left = (JSON.parse(review.stdout) as { findings: ReportedSpot[] }).findings;
    expect(left.map((d) => `${d.file} ${d.ruleId}`)).toEqual(inCode.map((d) => `${d.file} ${d.ruleId}`));
    expect(review.code).toBe(inCode.length > 0 ? 1 : 0);
  });
});

describe('after the migration, what is typed into a migrated file', () => {
  const TYPED = [
    '',
    'export function registerRollbackTool(server: McpServer): void {',
    "  server.registerTool('rollback', { inputSchema: z.object({ service: z.string() }) }, " +
      'async ({ service }, ctx) => {',
    '    const answer = await ctx.mcpReq.elicitInput({',
    '      message: `Roll ${service} back?`,',
    "      requestedSchema: { type: 'object', properties: { confirm: { type: 'boolean' } }, required: ['confirm'] },",
    '    });',
    "    if (answer.action !== 'accept' || answer.content?.confirm !== true) {",
    "      return { content: [{ type: 'text', text: 'Kept.' }] };",
    '    }',
    "    return { content: [{ type: 'text', text: `Rolled ${service} back.` }] };",
    '  });',
    '}',
    '',
  ].join('\n');
  const FILE = 'src/tools/deploy.ts';
  let edited: string;
  let byCli: string;

  beforeAll(async () => {
    for (const copy of ['editor', 'cli']) {
      const dir = copyProject('late-registration', { git: true });
      symlinkSync(path.resolve(FIXTURES, '../node_modules'), path.join(dir, 'node_modules'));
      expect((await cli(dir, '--allow-dirty', '.')).code).toBe(0);
      writeFileSync(path.join(dir, FILE), read(dir, FILE) + TYPED);
      if (copy === 'editor') edited = dir;
      else byCli = dir;
    }
    expect((await cli(byCli, '--allow-dirty', FILE)).code).toBe(0);
  }, 120_000);

  it('a new SSE-era ask is reported, and its fix is the text mrtr-migrate gives on that file', async () => {
    const [result] = await (await lintWith(edited)).lintFiles([FILE]);
    const pushed = result.messages.filter((m) => m.ruleId === 'mrtr-migrate/no-push-request');
    expect(pushed.map((m) => [m.line, m.message])).toEqual([
      [
        read(edited, FILE).split('\n').indexOf('    const answer = await ctx.mcpReq.elicitInput({') + 1,
        'elicitation request still pushed to the client; it fails on protocol revision 2026-07-28',
      ],
    ]);
    const [fixed] = await (await lintWith(edited, true)).lintFiles([FILE]);
    expect(fixed.output).toBe(read(byCli, FILE));
    expect(fixed.output).toMatch(/return inputRequired\(/);
    // The fixed file asks nothing more of the editor but what the migration had already flagged there.
    expect(fixed.messages.map((m) => m.ruleId)).toEqual([FLAGGED]);
  });

  it('a new effect above a guard is reported, with the codemod flag message', async () => {
    const text = read(byCli, FILE).replace(
      "    const answer = inputResponse(ctx.mcpReq.inputResponses, 'confirm');\n",
      '    await notifyOwners(`Rolling ${service} back`);\n' +
        "    const answer = inputResponse(ctx.mcpReq.inputResponses, 'confirm');\n",
    );
    expect(text).toContain('notifyOwners');
    const [result] = await (await lintWith(byCli)).lintText(text, { filePath: path.join(byCli, FILE) });
    expect(
      result.messages.filter((m) => m.ruleId === 'mrtr-migrate/no-effect-before-guard').map((m) => m.message),
    ).toEqual([
      '`notifyOwners(...)` runs again on every round, before the `confirm` guard, and the analysis cannot see ' +
        'what it does',
    ]);
  });
});

/**
 * Published servers. Beyond the report's markers the editor also shows what `review` finds in the code
 * (asks left pushing, here in task tools v2 cannot register), and capability reads in files the
 * migration left alone, which it does not look at.
 */
describe.each([
  { name: '@modelcontextprotocol/server-everything', unseen: ['dist/tools/simulate-research-query.js 167'] },
  { name: '@modelcontextprotocol/server-filesystem', unseen: [] },
  { name: '@upstash/context7-mcp', unseen: [] },
])('the plugin on $name, migrated as a user would', ({ name, unseen }) => {
  it("reports the report's flagged spots and review's findings one to one", async () => {
    const dir = copyInstalledPackage(name, { git: true });
    const run = await cli(dir, '--json', 'dist');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { diagnostics: ReportedSpot[] };
    const review = JSON.parse((await cli(dir, 'review', '--json', 'dist')).stdout) as { findings: ReportedSpot[] };
    const results = await (await lintWith(dir)).lintFiles(['dist']);
    const spots = spotsOf(dir, results);
    expect(spots.filter((s) => / mrtr\//.test(s)).sort()).toEqual(markerSpots(report).sort());
    expect(spots.filter((s) => s.includes('mrtr-migrate/no-push-request')).sort()).toEqual(
      review.findings
        .filter((d) => d.ruleId === 'mrtr/unmigrated-ask' || d.ruleId === 'mrtr/ask-by-reference')
        .map((d) => `${d.file} mrtr-migrate/no-push-request ${d.line}`)
        .sort(),
    );
    expect(spots.filter((s) => s.includes('mrtr-migrate/no-stale-capabilities')).sort()).toEqual(
      unseen.map((spot) => spot.replace(' ', ' mrtr-migrate/no-stale-capabilities ')),
    );
    expect(spots.filter((s) => s.includes('mrtr-migrate/no-effect-before-guard'))).toEqual([]);
  }, 180_000);
});
