/** Marker placement: once per spot, merged per line, never inside strings, templates or JSX text. */
import { describe, expect, it } from 'vitest';
import { pending } from '../src/diagnostics/diagnostic.js';
import { insertMarkers, isIgnored, readMarkers } from '../src/engine/markers.js';

const flag = (anchor: number, ruleId: Parameters<typeof pending>[0] = 'mrtr/ask-in-loop') =>
  pending(ruleId, { kind: 'elicitation' }, { start: anchor, end: anchor, anchor });

describe('insertMarkers', () => {
  it('puts one marker above the statement, with its indentation', () => {
    const text = 'function f() {\n  for (;;) {\n    await ask();\n  }\n}\n';
    const at = text.indexOf('await');
    expect(insertMarkers(text, [flag(at)]).text).toBe(
      'function f() {\n  for (;;) {\n    /* @mrtr-migrate mrtr/ask-in-loop: elicitation request inside a loop; ' +
        'each iteration needs its own stable key and its answers carried in requestState */\n    await ask();\n ' +
        ' }\n}\n',
    );
  });

  it('merges rules on one line and never adds a marker twice', () => {
    const text = 'x();\nawait ask();\n';
    const at = text.indexOf('await');
    const once = insertMarkers(text, [flag(at), flag(at, 'mrtr/ask-in-try')]).text;
    expect(once.split('\n')[1]).toMatch(/^\/\* @mrtr-migrate mrtr\/ask-in-loop: .* \| mrtr\/ask-in-try: .*\*\/$/);
    const again = insertMarkers(once, [
      flag(once.indexOf('await')),
      flag(once.indexOf('await'), 'mrtr/ask-in-try'),
    ]).text;
    expect(again).toBe(once);
  });

  it('writes {/* */} in JSX children, where a bare comment would render', () => {
    const text = 'const v = (\n  <div>\n    hello world\n  </div>\n);\n';
    const at = text.indexOf('hello');
    expect(insertMarkers(text, [flag(at)], true).text).toContain('    {/* @mrtr-migrate mrtr/ask-in-loop:');
  });

  it('writes nothing inside a string or template literal', () => {
    const text = 'const s = `line one\nline two ${x}\nline three`;\n';
    expect(insertMarkers(text, [flag(text.indexOf('line two'))]).text).toBe(text);
    const quoted = "const q = 'a\\\nb';\n";
    expect(insertMarkers(quoted, [flag(quoted.indexOf('b'))]).text).toBe(quoted);
  });

  it('escapes */ inside messages', () => {
    const text = 'await ask();\n';
    const d = pending('mrtr/v2-upgrade', { detail: 'close */ here' }, { start: 0, end: 0, anchor: 0 });
    expect(insertMarkers(text, [d]).text.split('\n')[0]).toBe('/* @mrtr-migrate mrtr/v2-upgrade: close * / here */');
  });
});

describe('@mrtr-migrate-ignore', () => {
  it('silences the named rule on the line below, and only that rule', () => {
    const text = '// @mrtr-migrate-ignore mrtr/ask-in-loop\nawait ask();\n';
    const at = text.indexOf('await');
    expect(isIgnored(text, flag(at))).toBe(true);
    expect(isIgnored(text, flag(at, 'mrtr/ask-in-try'))).toBe(false);
  });
});

describe('readMarkers', () => {
  it('reads each entry of a marker comment, and skips marker-like text in strings, templates and JSX text', () => {
    const text = [
      '/* @mrtr-migrate mrtr/ask-in-loop: first | mrtr/ask-in-try: second */',
      "const quoted = '/* @mrtr-migrate mrtr/ask-in-loop: not a marker */';",
      'const templated = `/* @mrtr-migrate mrtr/ask-in-loop: nor this */`;',
      'const view = <p>/* @mrtr-migrate mrtr/ask-in-loop: nor this */ {/* @mrtr-migrate mrtr/ask-in-try: this */}</p>;',
    ].join('\n');
    const markers = readMarkers(text, true);
    expect(markers.map((m) => m.entries.map((e) => `${e.ruleId}: ${e.message}`))).toEqual([
      ['mrtr/ask-in-loop: first', 'mrtr/ask-in-try: second'],
      ['mrtr/ask-in-try: this'],
    ]);
    expect(text.slice(markers[0].entries[1].start, markers[0].entries[1].end)).toBe('mrtr/ask-in-try: second');
  });
});
