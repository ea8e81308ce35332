/**
 * MCP tasks (SDK v1's experimental tasks API): SDK v2 has none of it (SEP-2663 moved tasks to the
 * Extensions Track). A handler that uses them cannot be migrated faithfully; the code that only
 * feeds them (the task store and message queue of the server options) can go.
 */
import { Node, SyntaxKind, type CallExpression } from '../ts-morph.js';
import { stringProperty } from './input-points.js';

export interface TaskUse {
  readonly node: Node;
  /** What the code does with tasks, as the report says it. */
  readonly what: string;
}

const ASK_METHODS = new Set(['elicitation/create', 'sampling/createMessage', 'roots/list']);

/** The first use of tasks under `node`: the request's task store, a `tasks/*` request, an ask run as a task. */
export function taskUse(node: Node): TaskUse | undefined {
  for (const access of node.getDescendantsOfKind(SyntaxKind.PropertyAccessExpression)) {
    if (access.getName() === 'taskStore') return { node: access, what: `\`${access.getText()}\`` };
  }
  for (const object of node.getDescendantsOfKind(SyntaxKind.ObjectLiteralExpression)) {
    const method = stringProperty(object, 'method');
    if (method?.startsWith('tasks/')) return { node: object, what: `the \`${method}\` request` };
    const params = object.getProperty('params');
    const value = params && Node.isPropertyAssignment(params) ? params.getInitializer() : undefined;
    if (
      method &&
      ASK_METHODS.has(method) &&
      value &&
      Node.isObjectLiteralExpression(value) &&
      value.getProperty('task') !== undefined
    )
      return { node: object, what: `\`${method}\` run by the client as a task` };
  }
  return undefined;
}

/** `server.experimental.tasks.registerToolTask(name, config, handlers)` calls. */
export function taskRegistrations(node: Node): CallExpression[] {
  return node.getDescendantsOfKind(SyntaxKind.CallExpression).filter((call) => {
    const callee = call.getExpression();
    return Node.isPropertyAccessExpression(callee) && callee.getName() === 'registerToolTask';
  });
}
