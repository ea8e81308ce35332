/**
 * "Could not verify `inputSchema` is a schema object": the official transforms say this of every
 * schema held in a variable. Where the variable is a `const` built by a schema constructor the
 * analysis can see (`z.object({…})`, `z.strictObject(…)`, `v.object(…)`), there is nothing to
 * verify, and the advice is noise a user would have to read and dismiss.
 */
import { Node, SyntaxKind, type SourceFile } from '../../src/ts-morph.js';
import { valueOf } from '../../src/analysis/resolve.js';

const UNVERIFIED = /^Could not verify `(\w+)` is a schema object/;
const SCHEMA_OBJECT =
  /\.(object|strictObject|looseObject|passthrough|strict|extend|merge|pick|omit|partial|describe)\(/;

/** Whether the advice at `line` is about a property whose value is known to be a schema object. */
export function verifiedSchemaObject(sourceFile: SourceFile, message: string, line: number): boolean {
  const property = UNVERIFIED.exec(message)?.[1];
  if (!property) return false;
  return sourceFile.getDescendantsOfKind(SyntaxKind.PropertyAssignment).some((assignment) => {
    if (assignment.getName() !== property) return false;
    const value = assignment.getInitializer();
    if (!value || value.getStartLineNumber() !== line) return false;
    // `inputSchema: z.object(shape)`: built right there (a forwarder this pass upgraded).
    if (Node.isCallExpression(value)) return SCHEMA_OBJECT.test(value.getText().split('\n')[0]);
    if (!Node.isIdentifier(value)) return false;
    const declaration = valueOf(value);
    const init = declaration && Node.isVariableDeclaration(declaration) ? declaration.getInitializer() : undefined;
    return init !== undefined && Node.isCallExpression(init) && SCHEMA_OBJECT.test(init.getText().split('\n')[0]);
  });
}
