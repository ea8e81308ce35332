/**
 * Every report format on one fixture project, compared exactly with golden files after the
 * machine's paths are normalised; SARIF validated against the official 2.1.0 schema and JSON
 * against ours; and the review gate failing with a marker left and passing once it is resolved.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from './helpers/fixtures.js';
import { cli, copyProject, read, write } from './helpers/project.js';

const require = createRequire(import.meta.url);
const expected = path.join(FIXTURES, 'projects', 'reports', 'expected');
const update = process.env.UPDATE_FIXTURES === '1';

function normalised(text: string, dir: string): string {
  return text.replaceAll(pathToFileURL(dir).href, 'file:///PROJECT').replaceAll(dir, '/PROJECT');
}

function golden(name: string, actual: string): void {
  const file = path.join(expected, name);
  if (update) writeFileSync(file, actual);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

// CommonJS packages: loaded with require, as their typings expect.
type AjvLike = { compile(schema: object): ValidateFunction };
const AjvDraft04 = require('ajv-draft-04') as new (options: object) => AjvLike;
const Ajv07 = (require('ajv') as { default: new (options: object) => AjvLike }).default;
const addFormats = (require('ajv-formats') as { default: (ajv: AjvLike) => void }).default;

// The official schema has one pattern that is invalid as a Unicode regular expression.
const sarifValidator = (() => {
  const ajv = new AjvDraft04({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'));
})();

const reportValidator = new Ajv07({ strict: true, allErrors: true }).compile(
  JSON.parse(readFileSync(path.resolve(FIXTURES, '../schema/report.schema.json'), 'utf8')),
);

describe('reports', () => {
  it('writes Markdown, JSON and SARIF that match the golden files', async () => {
    const dir = copyProject('reports');
    for (const name of ['report.md', 'report.json', 'report.sarif']) {
      const run = await cli(dir, '--dry-run', '--report', name, '.');
      expect(run.code).toBe(0);
      golden(name, normalised(read(dir, name), dir));
    }
  });

  it('SARIF validates against the SARIF 2.1.0 schema and carries what code scanning needs', async () => {
    const dir = copyProject('reports');
    await cli(dir, '--dry-run', '--report', 'r.sarif', '.');
    const sarif = JSON.parse(read(dir, 'r.sarif'));
    expect(sarifValidator(sarif), JSON.stringify(sarifValidator.errors)).toBe(true);
    const run = sarif.runs[0];
    expect(run.originalUriBaseIds.SRCROOT.uri).toBe(`${pathToFileURL(dir).href}/`);
    for (const rule of run.tool.driver.rules) {
      expect(rule.shortDescription.text).not.toBe('');
      expect(rule.fullDescription.text).not.toBe('');
      expect(rule.help.text).not.toBe('');
    }
    for (const result of run.results) {
      const location = result.locations[0].physicalLocation;
      expect(location.artifactLocation.uri).not.toMatch(/^\/|^file:/);
      expect(location.artifactLocation.uriBaseId).toBe('SRCROOT');
      expect(Object.keys(location.region)).toEqual(['startLine', 'startColumn', 'endLine', 'endColumn']);
      expect(run.tool.driver.rules[result.ruleIndex].id).toBe(result.ruleId);
      expect(result.partialFingerprints['mrtrMigrate/v1']).toMatch(/^[0-9a-f]{32}$/);
    }
  });

  it('fingerprints survive lines shifting above the finding', async () => {
    const dir = copyProject('reports');
    await cli(dir, '--dry-run', '--report', 'a.sarif', '.');
    write(dir, 'src/helper.ts', `// a new first line\n${read(dir, 'src/helper.ts')}`);
    await cli(dir, '--dry-run', '--report', 'b.sarif', '.');
    const prints = (name: string) =>
      JSON.parse(read(dir, name)).runs[0].results.map((r: { partialFingerprints: object }) => r.partialFingerprints);
    const lines = (name: string) =>
      JSON.parse(read(dir, name)).runs[0].results.map(
        (r: { locations: { physicalLocation: { region: { startLine: number } } }[] }) =>
          r.locations[0].physicalLocation.region.startLine,
      );
    expect(prints('b.sarif')).toEqual(prints('a.sarif'));
    expect(lines('b.sarif')).not.toEqual(lines('a.sarif'));
  });

  it('JSON reports (migrate and review) validate against schema/report.schema.json', async () => {
    const dir = copyProject('reports');
    await cli(dir, '--dry-run', '--report', 'r.json', '.');
    const report = JSON.parse(read(dir, 'r.json'));
    expect(reportValidator(report), JSON.stringify(reportValidator.errors)).toBe(true);
    await cli(dir, 'review', '--report', 'review.json', '.');
    const reviewed = JSON.parse(read(dir, 'review.json'));
    expect(reportValidator(reviewed), JSON.stringify(reportValidator.errors)).toBe(true);
    expect(reportValidator({ ...report, schemaVersion: 2 })).toBe(false);
    const dryRun = JSON.parse((await cli(dir, '--dry-run', '--json', '.')).stdout);
    expect(typeof dryRun.diff).toBe('string');
    expect(reportValidator(dryRun), JSON.stringify(reportValidator.errors)).toBe(true);
  });
});

describe('terminal output', () => {
  it('prints every flag as path:line:col  rule-id  message and a summary', async () => {
    const dir = copyProject('reports');
    const run = await cli(dir, '.');
    golden('terminal.txt', normalised(run.stdout, dir));
  });
});

describe('review gate', () => {
  it('fails while a marker or an SSE-era ask remains, and passes once they are resolved', async () => {
    const dir = copyProject('reports');
    const before = await cli(dir, 'review', '.');
    expect(before.code).toBe(1);
    expect(before.stdout).toContain(
      'src/deploy.ts:12:28  mrtr/unmigrated-ask  elicitation request still pushed to the client',
    );

    await cli(dir, '.');
    const after = await cli(dir, 'review', '--report', 'review.md', '.');
    expect(after.code).toBe(1);
    golden('review.txt', normalised(after.stdout, dir));
    golden('review.md', normalised(read(dir, 'review.md'), dir));

    // The user resolves what is left: the pending row is made idempotent and the marker removed.
    write(dir, 'src/orders.ts', read(dir, 'src/orders.ts').replace(/\/\* @mrtr-migrate [^\n]*\*\/\n/g, ''));
    const clean = await cli(dir, 'review', '.');
    expect(clean.stdout).toBe('mrtr-migrate review: 5 files reviewed, nothing left to migrate\n');
    expect(clean.code).toBe(0);
  });
});

describe('review of ask methods taken as values', () => {
  it('reports an unmarked reference, and not one the migration marked', async () => {
    const dir = copyProject('reports');
    write(
      dir,
      'src/bound.ts',
      "import type { McpServer } from '@modelcontextprotocol/server';\nexport const bind = (server: McpServer) " +
        '=> server.server.elicitInput.bind(server.server);\n',
    );
    const before = await cli(dir, 'review', '.');
    expect(before.stdout).toContain('src/bound.ts:2:44  mrtr/ask-by-reference  `elicitInput` is taken as a value here');
    await cli(dir, '.');
    const after = await cli(dir, 'review', '.');
    expect(read(dir, 'src/bound.ts')).toContain('/* @mrtr-migrate mrtr/ask-by-reference:');
    expect(after.stdout.match(/src\/bound\.ts:\d+:\d+ {2}mrtr\/ask-by-reference/g)).toHaveLength(1);
  });
});

describe('explain', () => {
  it('prints the rule from the catalogue, and lists every rule', async () => {
    const dir = copyProject('reports');
    const one = await cli(dir, 'explain', 'effect-before-guard');
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(
      /^mrtr\/effect-before-guard: A side effect runs again on every round \(warning, marked in the code\)\n\nWhy: /,
    );
    expect(one.stdout).toContain('Before:\n    await db.insert(row);');
    const all = await cli(dir, 'explain');
    expect(all.stdout.split('\n').filter(Boolean).length).toBeGreaterThan(20);
    expect((await cli(dir, 'explain', 'mrtr/nope')).code).toBe(2);
  });

  it("leads from a strategy, or a report's strategy value, to its code and fixtures", async () => {
    const dir = copyProject('reports');
    const steps = await cli(dir, 'explain', 'steps');
    expect(steps.code).toBe(0);
    expect(steps.stdout).toContain('Code: transforms/steps.ts\nFixtures: fixtures/steps/\n');
    expect(steps.stdout).toContain('    mrtr/steps-not-applied\n');
    // `one-round` is what guard-first reports for asks sharing a round.
    const oneRound = await cli(dir, 'explain', 'one-round');
    expect(oneRound.stdout).toMatch(/^guard-first: /);
    expect(oneRound.stdout).toContain('Code: transforms/guard-first.ts');
    const all = await cli(dir, 'explain');
    expect(all.stdout).toMatch(/\nresumable +strategy Resumable handlers\n/);
  });
});
