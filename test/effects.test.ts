/**
 * The side-effect analysis on labelled snippets: each line is one statement that runs before a
 * guard, with the category a careful reviewer would give it. Known limits are pinned as
 * `false-positive:` / `false-negative:` cases so a change in them is noticed.
 */
import { Node, Project, SyntaxKind } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { EffectConfig } from '../src/analysis/effect-config.js';
import type { EffectCategory } from '../src/analysis/effect-catalogue.js';
import { EffectAnalyzer } from '../src/analysis/effects.js';

const PRELUDE = `
import { writeFile, readFile } from 'node:fs/promises';
import { execSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
declare const prisma: any; declare const pool: any; declare const redis: any; declare const axios: any;
declare const knex: any; declare const stripe: any; declare const queue: any; declare const logger: any;
declare const ctx: any; declare const server: any; declare function vendorScore(x: string): number;
let counter = 0;
const cache = new Map<string, string>();
const registry: string[] = [];
function pureHelper(s: string) { return s.trim(); }
function writesHelper(s: string) { registry.push(s); }
function deepWrites(s: string) { writesHelper(s); }
async function saveDraft(d: string) { await prisma.draft.create({ data: { d } }); }
// @mrtr-migrate-pure
function knownPure(s: string) { registry.push(s); }
declare function store(): { at: number | string }[];
declare function loadRows(): string[];
declare const settings: { items: string[] };
declare const holds: { current: Set<string> };
function overloaded(n: number): number;
function overloaded(n: number) { return n; }
const shapes = { bodiless(n: number): number; } as unknown as { bodiless(n: number): number };
const { bodiless } = shapes;
`;

const cases: [string, EffectCategory][] = [
  // effects
  ["await fetch('https://x', { method: 'POST' });", 'effect'],
  ["await fetch('https://x', { method: 'DELETE' });", 'effect'],
  ["await axios.post('https://x', {});", 'effect'],
  ['await prisma.user.create({ data: {} });', 'effect'],
  ['await prisma.user.deleteMany({});', 'effect'],
  ["await pool.query('INSERT INTO t VALUES (1)');", 'effect'],
  ['await pool.query(`UPDATE t SET a = ${1}`);', 'effect'],
  ["await knex('t').insert({ a: 1 });", 'effect'],
  ["await redis.incr('n');", 'effect'],
  ["await redis.publish('c', 'm');", 'effect'],
  ["await writeFile('/tmp/x', 'y');", 'effect'],
  ["execSync('ls');", 'effect'],
  ['await stripe.paymentIntents.create({ amount: 1 });', 'effect'],
  ["await queue.add('job', {});", 'effect'],
  ["await ctx.mcpReq.notify({ method: 'notifications/message' });", 'effect'],
  ["await server.sendLoggingMessage({ level: 'info', data: 'x' });", 'effect'],
  ["await saveDraft('x');", 'effect'],
  // outer mutation
  ['counter++;', 'outer-mutation'],
  ["cache.delete('k');", 'outer-mutation'],
  ['counter += 2;', 'outer-mutation'],
  ["cache.set('k', 'v');", 'outer-mutation'],
  ["registry.push('x');", 'outer-mutation'],
  ["writesHelper('x');", 'outer-mutation'],
  ["deepWrites('x');", 'outer-mutation'],
  // objects the function did not create: returned by a call, a parameter, a property of something outer
  ['const log = store(); log.push({ at: 1 });', 'outer-mutation'],
  ['const rows = loadRows(); rows.length = 0;', 'outer-mutation'],
  ["const { items } = settings; items.push('x');", 'outer-mutation'],
  ["const held = holds.current; held.add('seat');", 'effect'],
  ['const held = holds.current; held.clear();', 'outer-mutation'],
  ['function tag(o: string[]) { o.length = 0; }\ntag(registry);', 'outer-mutation'],
  ["function audit(entry: string) { const log = store(); log.push({ at: entry }); }\naudit('x');", 'outer-mutation'],
  ['const late = overloaded(1);', 'pure'],
  ['const later = bodiless(1);', 'unknown'],
  // non-determinism (the statement's value is used after the ask in the test harness below)
  ['const id = randomUUID();', 'nondeterministic'],
  ['const at = Date.now();', 'nondeterministic'],
  ['const when = new Date();', 'nondeterministic'],
  ['const r = Math.random();', 'nondeterministic'],
  // reads
  ["const page = await fetch('https://x');", 'read'],
  ["const p = await axios.get('https://x');", 'read'],
  ['const users = await prisma.user.findMany();', 'read'],
  ["const rows = await pool.query('SELECT * FROM t');", 'read'],
  ["const v = await redis.get('k');", 'read'],
  ["const text = await readFile('/tmp/x', 'utf8');", 'read'],
  // unknown
  ["const s = vendorScore('x');", 'unknown'],
  ['const h = new Worker();', 'unknown'],
  // pure
  ["const name = pureHelper(' x ');", 'pure'],
  ["const parts = ['a', 'b'].map((p) => p.toUpperCase());", 'pure'],
  ['const local = new Map<string, string>();', 'pure'],
  ["const list: string[] = []; list.push('x');", 'pure'],
  ["const copy = registry.slice(); copy.push('x');", 'pure'],
  ["const words = 'a b'.split(' '); words.reverse();", 'pure'],
  ['const flags = { a: true }; flags.a = false;', 'pure'],
  ["console.error('asked');", 'pure'],
  ['const json = JSON.stringify({ a: 1 });', 'pure'],
  ["const fixed = new Date('2020-01-01');", 'pure'],
  ["knownPure('x');", 'pure'],
  ["const u = new URL('https://x');", 'pure'],
  ["if (!'x'.startsWith('y')) { throw new Error('bad'); }", 'pure'],
];

function categoryOf(statementText: string, config = new EffectConfig()): EffectCategory {
  const project = new Project({ useInMemoryFileSystem: true, compilerOptions: { strict: true } });
  const file = project.createSourceFile(
    'case.ts',
    `${PRELUDE}\nexport async function handler() {\n${statementText}\n}\n`,
  );
  const fn = file.getFunctionOrThrow('handler');
  const analyzer = new EffectAnalyzer(config);
  let category: EffectCategory = 'pure';
  for (const statement of fn.getStatements()) {
    const finding = analyzer.classify(statement, fn);
    if (finding && finding.category !== 'pure') category = finding.category;
  }
  return category;
}

describe('categories', () => {
  it.each(cases)('%s ⇒ %s', (statement, expected) => {
    expect(categoryOf(statement)).toBe(expected);
  });
});

describe('the config teaches the analysis', () => {
  it('marks callees and modules pure or effectful', () => {
    const config = new EffectConfig({
      effects: { pure: ['vendorScore', 'module:node:fs/promises'], effectful: ['pureHelper'] },
    });
    expect(categoryOf("const s = vendorScore('x');", config)).toBe('pure');
    expect(categoryOf("await writeFile('/tmp/x', 'y');", config)).toBe('pure');
    expect(categoryOf("const n = pureHelper('x');", config)).toBe('effect');
    expect(categoryOf("logger.info('x');", new EffectConfig({ effects: { pure: ['logger.*'] } }))).toBe('pure');
  });
});

describe('known limits', () => {
  it('false-positive: a helper changing its parameter is outer mutation, even on an object the caller owns', () => {
    const text = "function fill(o: string[]) { o.push('x'); }\nconst mine: string[] = [];\nfill(mine);";
    expect(categoryOf(text)).toBe('outer-mutation');
  });

  it('a Set.add on a local set is pure', () => {
    expect(categoryOf("const seen = new Set<string>(); seen.add('x');")).toBe('pure');
  });

  it('false-negative: an effect behind a call through a function value is only unknown', () => {
    expect(categoryOf("const f = vendorScore; f('x');")).toBe('unknown');
  });
});

it('every statement of the prelude parses', () => {
  const project = new Project({ useInMemoryFileSystem: true });
  const file = project.createSourceFile('p.ts', PRELUDE);
  expect(file.getDescendantsOfKind(SyntaxKind.FunctionDeclaration).length).toBeGreaterThan(3);
  expect(Node.isSourceFile(file)).toBe(true);
});
