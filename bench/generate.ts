/**
 * A deterministic synthetic monorepo: `files` realistic TypeScript modules (imports, classes,
 * async functions, zod schemas, ~150 lines each), of which `handlers` hold SSE-era handlers of
 * the shapes mrtr-migrate rewrites, some asking through helpers in other files.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface TreeShape {
  readonly files: number;
  readonly handlers: number;
  /** Extra files that never ask; used to show cost follows affected files, not repository size. */
  readonly extraUnaffected?: number;
}

/** Mulberry32: a small seeded generator, so every run builds the same tree. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  'order',
  'invoice',
  'customer',
  'ledger',
  'shipment',
  'account',
  'report',
  'session',
  'catalog',
  'payment',
  'profile',
  'metric',
];

function ordinaryModule(index: number, rand: () => number): string {
  const noun = WORDS[index % WORDS.length];
  const Noun = noun[0].toUpperCase() + noun.slice(1);
  const lines: string[] = [
    "import { z } from 'zod';",
    "import { readFile } from 'node:fs/promises';",
    `import { format${Noun} } from './format-${index % 7}.js';`,
    '',
    `export const ${Noun}Schema${index} = z.object({`,
    '  id: z.string(),',
    '  amount: z.number().nonnegative(),',
    '  tags: z.array(z.string()).default([]),',
    '  createdAt: z.string().datetime(),',
    '});',
    '',
    `export type ${Noun}${index} = z.infer<typeof ${Noun}Schema${index}>;`,
    '',
    `export class ${Noun}Service${index} {`,
    `  private readonly cache = new Map<string, ${Noun}${index}>();`,
    '',
    '  constructor(private readonly baseUrl: string) {}',
    '',
  ];
  const methods = 6 + Math.floor(rand() * 4);
  for (let m = 0; m < methods; m++) {
    lines.push(
      `  async load${m}(id: string): Promise<${Noun}${index} | undefined> {`,
      '    const cached = this.cache.get(id);',
      '    if (cached) return cached;',
      `    const response = await fetch(\`\${this.baseUrl}/${noun}s/\${id}?v=${m}\`);`,
      '    if (!response.ok) return undefined;',
      `    const parsed = ${Noun}Schema${index}.safeParse(await response.json());`,
      '    if (!parsed.success) return undefined;',
      '    this.cache.set(id, parsed.data);',
      '    return parsed.data;',
      '  }',
      '',
      `  summarize${m}(items: readonly ${Noun}${index}[]): string {`,
      '    const total = items.reduce((sum, item) => sum + item.amount, 0);',
      `    return \`\${items.length} ${noun}s, total \${total.toFixed(2)} (\${format${Noun}(total)})\`;`,
      '  }',
      '',
    );
  }
  lines.push(
    '}',
    '',
    `export async function read${Noun}Config${index}(file: string): Promise<Record<string, unknown>> {`,
  );
  lines.push(
    '  const text = await readFile(file, "utf8");',
    '  return JSON.parse(text) as Record<string, unknown>;',
    '}',
    '',
  );
  return lines.join('\n');
}

/** Handler files, cycling through the shapes the transforms handle (and one they mark). */
function handlerModule(index: number): { file: string; helper?: { file: string; text: string } } {
  const shapes = [
    `    const result = await server.server.elicitInput({
      message: \`Deploy \${args.target}?\`,
      requestedSchema: { type: 'object', properties: { confirm: { type: 'boolean' } }, required: ['confirm'] },
    });
    if (result.action !== 'accept') return { content: [{ type: 'text', text: 'Cancelled.' }] };`,
    `    const summary = await server.server.createMessage({
      messages: [{ role: 'user', content: { type: 'text', text: \`Summarize \${args.target}\` } }],
      maxTokens: 100,
    });
    if (summary.content.type !== 'text') return { content: [{ type: 'text', text: 'No summary.' }] };`,
    `    const { roots } = await server.server.listRoots();
    if (roots.length === 0) return { content: [{ type: 'text', text: 'No roots.' }] };`,
    `    const route = await server.server.elicitInput({
      message: 'Where to?',
      requestedSchema: { type: 'object', properties: { to: { type: 'string' } }, required: ['to'] },
    });
    if (route.action !== 'accept') return { content: [{ type: 'text', text: 'Cancelled.' }] };
    const date = await server.server.elicitInput({
      message: \`When to \${String(route.content?.to)}?\`,
      requestedSchema: { type: 'object', properties: { date: { type: 'string' } }, required: ['date'] },
    });
    if (date.action !== 'accept') return { content: [{ type: 'text', text: 'Cancelled.' }] };`,
    `    if (!(await confirmWithUser${index}(server, \`Run \${args.target}?\`))) return { content: [{ type: ` +
      `'text', text: 'Cancelled.' }] };`,
  ];
  const shape = index % shapes.length;
  const usesHelper = shape === 4;
  const file = [
    "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
    "import { z } from 'zod';",
    usesHelper ? `import { confirmWithUser${index} } from './helpers/confirm-${index}.js';` : '',
    '',
    `export function register${index}(server: McpServer): void {`,
    `  server.registerTool('task-${index}', { description: 'Task ${index}', inputSchema: { target: z.string() } ` +
      `}, async (args) => {`,
    shapes[shape],
    `    return { content: [{ type: 'text', text: \`done \${args.target}\` }] };`,
    '  });',
    '}',
    '',
  ].join('\n');
  const helper = usesHelper
    ? {
        file: `helpers/confirm-${index}.ts`,
        text: [
          "import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
          '',
          `export async function confirmWithUser${index}(server: McpServer, message: string): Promise<boolean> {`,
          '  if (!server.server.getClientCapabilities()?.elicitation) return true;',
          "  const r = await server.server.elicitInput({ message, requestedSchema: { type: 'object', " +
            "properties: { ok: { type: 'boolean' } } } });",
          "  return r.action === 'accept';",
          '}',
          '',
        ].join('\n'),
      }
    : undefined;
  return { file, helper };
}

export function generateTree(root: string, shape: TreeShape): void {
  const rand = random(20261121);
  const total = shape.files + (shape.extraUnaffected ?? 0);
  const handlerEvery = Math.floor(shape.files / shape.handlers);
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  };
  write(
    path.join(root, 'package.json'),
    '{\n  "name": "bench-monorepo",\n  "private": true,\n  "type": "module",\n  "dependencies": {\n    ' +
      '"@modelcontextprotocol/sdk": "^1.32.0",\n    "zod": "^4.2.0"\n  }\n}\n',
  );
  let handlers = 0;
  for (let i = 0; i < total; i++) {
    const dir = path.join(root, 'packages', `pkg-${Math.floor(i / 100)}`, 'src');
    if (i < shape.files && i % handlerEvery === 0 && handlers < shape.handlers) {
      const { file, helper } = handlerModule(handlers);
      write(path.join(dir, `tools-${i}.ts`), file);
      if (helper) write(path.join(dir, helper.file), helper.text);
      handlers++;
    } else {
      write(path.join(dir, `module-${i}.ts`), ordinaryModule(i, rand));
    }
    if (i % 100 === 0)
      for (let f = 0; f < 7; f++)
        write(
          path.join(dir, `format-${f}.ts`),
          `export function format${WORDS.map((w) => w[0].toUpperCase() + w.slice(1)).join('')}(n: number): ` +
            `string {\n  return n.toFixed(2);\n}\n`,
        );
  }
}
