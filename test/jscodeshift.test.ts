/**
 * The jscodeshift face: run by the real jscodeshift CLI, in its default Babel mode and with
 * --no-babel, every fixture input comes out exactly as the fixture output says.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { HANDLER_PASS } from '../transforms/registry.js';
import { findFixtures, FIXTURES } from './helpers/fixtures.js';
import { cli, copyProject, read } from './helpers/project.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pairs = findFixtures().filter((p) => p.pass === HANDLER_PASS);

/** Fixture options as jscodeshift CLI flags, which it hands to the transform. */
function flagsFor(options: (typeof pairs)[number]['options']): string[] {
  return [
    ...(options.fixEffects ? ['--fixEffects'] : []),
    ...(options.carryEffects === false ? ['--carryEffects=false'] : []),
    ...(options.maxRisk !== 'review' ? [`--maxRisk=${options.maxRisk}`] : []),
    ...(options.style !== 'guard' ? [`--style=${options.style}`] : []),
    ...(options.strategies ? [`--strategies=${options.strategies.join(',')}`] : []),
  ];
}

const groups = [
  ...new Map(
    pairs.map((p) => [
      flagsFor(p.options).join(' '),
      pairs.filter((q) => flagsFor(q.options).join(' ') === flagsFor(p.options).join(' ')),
    ]),
  ).values(),
];

describe.each([
  ['babel', []],
  ['no-babel', ['--no-babel']],
] as const)('jscodeshift (%s)', (_mode, modeFlags) => {
  it.each(groups.map((g) => [flagsFor(g[0].options).join(' ') || 'default options', g] as const))(
    'gives the same output as mrtr-migrate on every fixture (%s)',
    (_label, group) => {
      const flags = [...modeFlags, ...flagsFor(group[0].options)];
      // The copies keep the fixture tree's layout: what a call does is read through its imports.
      const dir = mkdtempSync(path.join(tmpdir(), 'mrtr-jscodeshift-'));
      onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
      cpSync(path.join(FIXTURES, '_support'), path.join(dir, '_support'), { recursive: true });
      const copies = group.map((pair) => {
        mkdirSync(path.join(dir, pair.transform), { recursive: true });
        const copy = path.join(dir, pair.transform, path.basename(pair.input).replace('.input.', '.'));
        copyFileSync(pair.input, copy);
        return { pair, copy };
      });
      const result = spawnSync(
        process.execPath,
        [
          path.join(root, 'node_modules/jscodeshift/bin/jscodeshift.js'),
          ...flags,
          '-t',
          path.join(root, 'transforms/jscodeshift/mrtr-migrate.cjs'),
          '--extensions=ts,mjs',
          '--parser=ts',
          '--fail-on-error',
          ...copies.map((c) => c.copy),
        ],
        { encoding: 'utf8' },
      );
      expect(result.stderr).not.toContain('ERR');
      expect(result.status).toBe(0);
      for (const { pair, copy } of copies)
        expect([pair.scenario, readFileSync(copy, 'utf8')]).toEqual([pair.scenario, readFileSync(pair.output, 'utf8')]);
    },
  );
});

function jscodeshift(args: readonly string[]) {
  const result = spawnSync(
    process.execPath,
    [
      path.join(root, 'node_modules/jscodeshift/bin/jscodeshift.js'),
      '--no-babel',
      '-t',
      path.join(root, 'transforms/jscodeshift/mrtr-migrate.cjs'),
      '--fail-on-error',
      ...args,
    ],
    { encoding: 'utf8' },
  );
  expect(result.stderr).not.toContain('ERR');
  expect(result.status).toBe(0);
  return result.stdout;
}

describe('what jscodeshift cannot see of the project', () => {
  it(
    'holds back the asks of a CommonJS helper whose server loads SDK v1 with require(), as a project run ' + 'does',
    async () => {
      const alone = copyProject('commonjs-v1');
      const project = copyProject('commonjs-v1');
      // Given one file at a time, the helper alone says nothing about how its server loads the SDK.
      jscodeshift(['--extensions=cjs', path.join(alone, 'src/confirm.cjs')]);
      jscodeshift(['--extensions=cjs', path.join(alone, 'src/server.cjs')]);
      expect((await cli(project, 'src')).code).toBe(0);
      expect(read(alone, 'src/confirm.cjs')).toBe(read(path.join(FIXTURES, 'projects/commonjs-v1'), 'src/confirm.cjs'));
      for (const file of ['src/confirm.cjs', 'src/server.cjs'])
        expect([file, read(alone, file)]).toEqual([file, read(project, file)]);
    },
  );

  it('leaves the asks of a project FastMCP serves as written, with their markers, as a project run does', async () => {
    const alone = copyProject('fastmcp-server');
    const project = copyProject('fastmcp-server');
    // The helper alone does not say that FastMCP builds its server: the project around it does.
    jscodeshift(['--extensions=ts', '--parser=ts', path.join(alone, 'src/confirm.ts')]);
    expect((await cli(project, 'src')).code).toBe(0);
    expect(read(alone, 'src/confirm.ts')).toBe(read(project, 'src/confirm.ts'));
    expect(read(alone, 'src/confirm.ts')).toContain('/* @mrtr-migrate mrtr/framework-server: ');
    expect(read(alone, 'src/confirm.ts')).toContain('await server.elicitInput({');
  });

  it('creates the runtime module the migrated code imports, except under --dry, and never replaces one', async () => {
    const scenario = 'booking-v1';
    const dir = mkdtempSync(path.join(tmpdir(), 'mrtr-jscodeshift-runtime-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const input = path.join(FIXTURES, 'multi-round', `${scenario}.input.ts`);
    const file = path.join(dir, 'booking.ts');
    const runtime = path.join(dir, 'mrtr-request-state.ts');
    copyFileSync(input, file);

    expect(jscodeshift(['--dry', '--extensions=ts', '--parser=ts', file])).toContain(`would create ${runtime}`);
    expect(existsSync(runtime)).toBe(false);

    jscodeshift(['--extensions=ts', '--parser=ts', file]);
    expect(read(dir, 'booking.ts')).toContain("from './mrtr-request-state.js'");
    expect(read(dir, 'mrtr-request-state.ts')).toBe(
      readFileSync(path.join(root, 'src/runtime/mrtr-request-state.ts'), 'utf8'),
    );

    copyFileSync(input, file);
    writeFileSync(runtime, '// the user copy\n');
    expect(jscodeshift(['--extensions=ts', '--parser=ts', file])).toContain('mrtr/runtime-kept');
    expect(read(dir, 'mrtr-request-state.ts')).toBe('// the user copy\n');
  });
});
