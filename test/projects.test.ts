/**
 * Whole projects, migrated as a user would (`mrtr-migrate <dir>`), then checked the way the
 * project checks itself: its own tsc under its tsconfig and under the strict profile, its own
 * unit tests, and the behaviour harness calling tools through its own server construction.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { getRule, type RuleId } from '../src/diagnostics/rules.js';
import { caseLine, checkScenario, type CaseReport } from './harness/check.js';
import { FIXTURES } from './helpers/fixtures.js';
import { cli, copyProject, git, read, type CliRun } from './helpers/project.js';
import { newErrors, STRICT_PROFILE, typeErrors } from './helpers/typecheck.js';

interface ProjectFixture {
  /** What the user runs the codemod on. */
  readonly migrate: string;
  /** The module whose `createServer()` the project's entry point calls. */
  readonly server?: string;
  /** Strict settings the project cannot take (CommonJS written with `import` cannot take verbatimModuleSyntax). */
  readonly strictProfileExcept?: readonly string[];
  /** Files the run covers that must come out byte-identical (the project's own tests, its settings). */
  readonly untouched?: readonly string[];
  /** A server out of the codemod's reach (a framework's): nothing changes but markers at its asks. */
  readonly leftAsWritten?: boolean;
  /**
   * Every ask ends native (in its handler or a helper that returns the request): no held call and
   * none left as written, proven by serving 2026-07-28 from two processes, the rounds alternating.
   */
  readonly native?: boolean;
  /** Diagnostics the run must raise, as `file rule` lines: reach it cannot prove is said out loud. */
  readonly expectedRules: readonly string[];
}

const PROJECTS = readdirSync(path.join(FIXTURES, 'projects'))
  .filter((name) => {
    try {
      readFileSync(path.join(FIXTURES, 'projects', name, 'fixture.json'));
      return true;
    } catch {
      return false;
    }
  })
  .sort();

function fixtureOf(name: string): ProjectFixture {
  return JSON.parse(readFileSync(path.join(FIXTURES, 'projects', name, 'fixture.json'), 'utf8')) as ProjectFixture;
}

/** The project's own `npm test`; throws with its output when a test fails. */
function ownTests(dir: string): string {
  return execFileSync('npm', ['test', '--silent'], { cwd: dir, encoding: 'utf8', stdio: 'pipe', timeout: 60_000 });
}

it('finds the project fixtures', () => {
  expect(PROJECTS.length).toBeGreaterThanOrEqual(3);
});

describe.each(PROJECTS)('project %s', (name) => {
  const fixture = fixtureOf(name);
  let before: string;
  let after: string;
  let run: CliRun;

  beforeAll(async () => {
    before = copyProject(name);
    after = copyProject(name, { git: true });
    for (const dir of [before, after])
      symlinkSync(path.resolve(FIXTURES, '../node_modules'), path.join(dir, 'node_modules'));
    run = await cli(after, '--json', fixture.migrate);
  }, 120_000);

  it('migrates, and says what it could not prove', () => {
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as {
      diagnostics: { file: string; ruleId: string }[];
      summary: { asksByForm: { nativeInHandler: number; nativeHelper: number; held: number; leftUnchanged: number } };
    };
    const raised = report.diagnostics.map((d) => `${d.file} ${d.ruleId}`);
    expect(raised.sort()).toEqual([...fixture.expectedRules].sort());
    if (fixture.native) {
      const forms = report.summary.asksByForm;
      expect({ held: forms.held, leftUnchanged: forms.leftUnchanged }).toEqual({ held: 0, leftUnchanged: 0 });
      expect(forms.nativeInHandler + forms.nativeHelper).toBeGreaterThan(0);
    }
    for (const file of fixture.untouched ?? []) expect(read(after, file)).toBe(read(before, file));
    // Every file imports the runtime the same way: the project's habit, whether or not the file had imports.
    const changed = git(after, 'ls-files', '--modified').split('\n').filter(Boolean);
    const suffixes = new Set(
      changed.flatMap((file) =>
        [...read(after, file).matchAll(/mrtr-request-state(\.[cm]?[jt]s)?['"]/g)].map((m) => m[1]),
      ),
    );
    expect(suffixes.size).toBeLessThanOrEqual(1);
  });

  it('leaves review only the spots it marked, and asks it left as written', async () => {
    const report = JSON.parse(run.stdout) as {
      diagnostics: { file: string; ruleId: RuleId }[];
      summary: { asksByForm: { leftUnchanged: number } };
    };
    const review = await cli(after, 'review', '--json', fixture.migrate);
    const findings = (JSON.parse(review.stdout) as { findings: { file: string; ruleId: string }[] }).findings;
    const left = findings.filter((d) => d.ruleId === 'mrtr/unmigrated-ask');
    expect(
      findings
        .filter((d) => !left.includes(d))
        .map((d) => `${d.file} ${d.ruleId}`)
        .sort(),
    ).toEqual(
      report.diagnostics
        .filter((d) => getRule(d.ruleId).marker)
        .map((d) => `${d.file} ${d.ruleId}`)
        .sort(),
    );
    expect(left.length).toBeLessThanOrEqual(report.summary.asksByForm.leftUnchanged);
    expect(review.code).toBe(findings.length > 0 ? 1 : 0);
  });

  it('compiles with no new errors, under its own tsconfig and the strict profile', () => {
    const strict = Object.fromEntries(
      Object.entries(STRICT_PROFILE).filter(([option]) => !fixture.strictProfileExcept?.includes(option)),
    );
    for (const overlay of [{}, strict]) {
      const was = typeErrors(before, overlay);
      expect(newErrors(was, typeErrors(after, overlay))).toEqual([]);
    }
    // The fixtures are written clean: "no new errors" is not hiding old ones.
    expect(typeErrors(before, strict)).toEqual([]);
  }, 120_000);

  it('passes its own unit tests before and after', () => {
    expect(ownTests(before)).toMatch(/# fail 0/);
    expect(ownTests(after)).toMatch(/# fail 0/);
  }, 120_000);

  if (fixture.leftAsWritten) {
    it('is left as written apart from its markers, and review fails while they remain', async () => {
      const changed = git(after, 'ls-files', '--modified', '--others', '--exclude-standard')
        .split('\n')
        .filter(Boolean);
      for (const file of changed)
        expect(read(after, file).replace(/^[ \t]*\/\* @mrtr-migrate [^\n]*\*\/\n/gm, '')).toBe(read(before, file));
      expect(changed.sort()).toEqual([...new Set(fixture.expectedRules.map((r) => r.split(' ')[0]))].sort());
      expect((await cli(after, 'review', fixture.migrate)).code).toBe(1);
    });
    return;
  }

  it('behaves the same on both eras, served from its own construction', async () => {
    const server = fixture.server ?? 'src/server.ts';
    const scenarios = readdirSync(path.join(FIXTURES, 'projects', name, 'scenarios')).sort();
    const reports: CaseReport[] = [];
    for (const scenario of scenarios)
      reports.push(
        ...(await checkScenario(
          {
            name: `${name}/${scenario}`,
            before: path.join(before, server),
            after: path.join(after, server),
            scenario: path.join(FIXTURES, 'projects', name, 'scenarios', scenario),
          },
          { instances: fixture.native ? 2 : 1 },
        )),
      );
    expect(reports.filter((r) => r.verdict.kind !== 'equivalent').map(caseLine)).toEqual([]);
    if (fixture.native) expect(reports.some((r) => r.era === '2026-07-28 two instances')).toBe(true);
    expect(reports.length).toBeGreaterThanOrEqual(3 * scenarios.length);
  }, 180_000);
});

it('keeps a FastMCP package on its own asks in a run that also migrates an SDK package', async () => {
  const parent = copyProject('fastmcp-server');
  cpSync(path.join(FIXTURES, 'projects', 'cross-file'), path.join(parent, 'sdk-server'), { recursive: true });
  const before = read(parent, 'src/confirm.ts');
  expect((await cli(parent, '.')).code).toBe(0);
  // The FastMCP package builds no SDK server: its helper keeps the v1 ask, marked.
  expect(read(parent, 'src/confirm.ts').replace(/^[ \t]*\/\* @mrtr-migrate mrtr\/framework-server[^\n]*\n/m, '')).toBe(
    before,
  );
  expect(read(parent, 'sdk-server/src/confirm.ts')).toMatch(/await elicitAnswer\(\s*ctx,\s*'confirmWithUser',/);
});
