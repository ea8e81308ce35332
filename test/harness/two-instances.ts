/**
 * Two instances of a migrated server behind one URL, as a load balancer with no session affinity
 * runs them: each its own process (instance.ts), both signing with the same key. The calls that
 * ask (`tools/call`, `prompts/get`, `resources/read`) alternate between them, so every retry of a
 * round reaches the instance that did not see the round before: a held call is never there to
 * resume, and whatever the first instance ran before its ask runs again unless the code carried it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { EffectRecord } from '../../fixtures/_support/effects.js';
import type { InstanceMessage, InstanceRequest } from './instance.js';
import { normalize, ScriptedClient, type Observation } from './observe.js';
import { describeError, invoke, v2Client } from './run-cases.js';
import type { Answer, Call } from './scenario.js';

const INSTANCE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'instance.ts');
const ALTERNATING = new Set(['tools/call', 'prompts/get', 'resources/read']);

interface Instance {
  readonly url: URL;
  readonly child: ChildProcess;
  request(message: InstanceRequest): void;
  effects(): Promise<EffectRecord[]>;
}

export interface Instances {
  /** One case on 2026-07-28, its asking calls alternating between the instances. */
  run(call: Call, answers: readonly Answer[]): Promise<Observation>;
  close(): Promise<void>;
}

/** Starts `count` instances of the module at `file`, each in its own process. */
export async function startInstances(file: string, count = 2): Promise<Instances> {
  const instances = await Promise.all(Array.from({ length: count }, () => startInstance(file)));
  return {
    run: (call, answers) => runAlternating(instances, call, answers),
    close: async () => {
      await Promise.all(
        instances.map(
          (i) =>
            new Promise<void>((resolve) => {
              if (i.child.exitCode !== null) return resolve();
              i.child.once('exit', () => resolve());
              i.child.disconnect();
            }),
        ),
      );
    },
  };
}

function startInstance(file: string): Promise<Instance> {
  const child = spawn(process.execPath, ['--import', 'tsx', INSTANCE, file], {
    cwd: process.cwd(),
    env: process.env,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += String(chunk)));
  const waiting: ((effects: EffectRecord[]) => void)[] = [];
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`instance of ${file} exited with ${code}: ${stderr}`)));
    child.on('message', (message: InstanceMessage) => {
      if (message.type === 'effects') {
        waiting.shift()?.(message.effects);
        return;
      }
      resolve({
        url: new URL('/mcp', `http://127.0.0.1:${message.port}`),
        child,
        request: (m) => child.send(m),
        effects: () =>
          new Promise((done) => {
            waiting.push(done);
            child.send({ type: 'effects' } satisfies InstanceRequest);
          }),
      });
    });
  });
}

async function runAlternating(
  instances: readonly Instance[],
  call: Call,
  answers: readonly Answer[],
): Promise<Observation> {
  for (const instance of instances) instance.request({ type: 'case' });
  const scripted = new ScriptedClient(answers);
  const recorded: EffectRecord[] = [];
  // Rounds are sequential, so taking every instance's effects before each request keeps their order.
  const collect = async () => {
    for (const instance of instances) recorded.push(...(await instance.effects()));
  };
  let turn = 0;
  const transport = new StreamableHTTPClientTransport(new URL('http://mrtr-instances.invalid/mcp'), {
    fetch: async (url, init) => {
      await collect();
      const method = methodOf(init?.body);
      const instance = instances[method && ALTERNATING.has(method) ? turn++ % instances.length : 0];
      const target = new URL(new URL(String(url)).pathname, instance.url);
      return fetch(target, init);
    },
  });
  const client = v2Client(scripted, true);
  let outcome: Observation['outcome'];
  try {
    await client.connect(transport);
    outcome = { result: normalize(await invoke(client, call)) };
  } catch (error) {
    outcome = { error: describeError(error) };
  } finally {
    await client.close();
  }
  await collect();
  return { outcome, questions: scripted.questions, effects: recorded };
}

function methodOf(body: unknown): string | undefined {
  if (typeof body !== 'string') return undefined;
  try {
    const message = JSON.parse(body) as { method?: unknown };
    return typeof message.method === 'string' ? message.method : undefined;
  } catch {
    return undefined;
  }
}
