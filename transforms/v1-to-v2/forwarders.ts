/**
 * A project's own registration forwarder, generic over a raw shape with SDK v1's names:
 *
 *   function registerWriteTool<Shape extends ZodRawShapeCompat>(name: string, shape: Shape, cb: ToolCallback<Shape>) {
 *     server.registerTool(name, { inputSchema: shape }, cb);
 *   }
 *
 * v2 exports neither `ZodRawShapeCompat` nor a `ToolCallback` over a raw shape, so the official
 * transforms leave a missing name and handlers that no longer fit. The shape becomes zod's own
 * (`z.ZodRawShape`), the callback's schema the object built from it (`ToolCallback<z.ZodObject<Shape>>`),
 * and the registration passes that object (`inputSchema: z.object(shape)`).
 */
import { Node, SyntaxKind, type SourceFile, type TypeParameterDeclaration } from '../../src/ts-morph.js';
import { pending, type PendingDiagnostic } from '../../src/diagnostics/diagnostic.js';

const V1_SHAPES = new Set(['ZodRawShapeCompat']);
const CALLBACKS: Readonly<Record<string, string>> = { ToolCallback: 'inputSchema', PromptCallback: 'argsSchema' };

/** Rewrites each such forwarder in place; returns the names of those it changed. */
export function upgradeShapeForwarders(sourceFile: SourceFile): string[] {
  const generics = sourceFile
    .getDescendantsOfKind(SyntaxKind.TypeParameter)
    .filter((p) => V1_SHAPES.has(p.getConstraint()?.getText() ?? ''));
  if (generics.length === 0) return [];
  const z = zodNamespace(sourceFile);
  return generics.flatMap((generic) => upgrade(generic, z));
}

/** The forwarders the file still has at their new places, for the report. */
export function upgradedForwarders(sourceFile: SourceFile, names: readonly string[]): PendingDiagnostic[] {
  return sourceFile
    .getDescendantsOfKind(SyntaxKind.TypeParameter)
    .filter((p) => /\.ZodRawShape$/.test(p.getConstraint()?.getText() ?? ''))
    .flatMap((p) => {
      const owner = p.getParentOrThrow();
      const name =
        (Node.isFunctionDeclaration(owner) || Node.isMethodDeclaration(owner) ? owner.getName() : undefined) ??
        owner.getParentIfKind(SyntaxKind.VariableDeclaration)?.getName();
      if (!name || !names.includes(name)) return [];
      return [pending('mrtr/shape-forwarder-upgraded', { name }, { start: owner.getStart(), end: owner.getStart() })];
    });
}

function upgrade(generic: TypeParameterDeclaration, z: string): string[] {
  const owner = generic.getParent();
  if (
    !Node.isFunctionDeclaration(owner) &&
    !Node.isArrowFunction(owner) &&
    !Node.isFunctionExpression(owner) &&
    !Node.isMethodDeclaration(owner)
  )
    return [];
  const shape = generic.getName();
  generic.getConstraintOrThrow().replaceWithText(`${z}.ZodRawShape`);
  // `ToolCallback<Shape>` ⇒ `ToolCallback<z.ZodObject<Shape>>`, and which config key then takes the object.
  const keys = new Set<string>();
  for (const reference of owner.getDescendantsOfKind(SyntaxKind.TypeReference)) {
    const key = CALLBACKS[reference.getTypeName().getText()];
    const [argument] = reference.getTypeArguments();
    if (!key || argument?.getText() !== shape) continue;
    argument.replaceWithText(`${z}.ZodObject<${shape}>`);
    keys.add(key);
  }
  // `{ inputSchema: shape }` where `shape: Shape` is a parameter ⇒ `{ inputSchema: z.object(shape) }`.
  const shapeParameters = new Set(
    owner
      .getParameters()
      .filter((p) => p.getTypeNode()?.getText() === shape)
      .map((p) => p.getName()),
  );
  for (const assignment of owner.getDescendantsOfKind(SyntaxKind.PropertyAssignment)) {
    const value = assignment.getInitializer();
    if (!keys.has(assignment.getName()) || !value || !Node.isIdentifier(value) || !shapeParameters.has(value.getText()))
      continue;
    value.replaceWithText(`${z}.object(${value.getText()})`);
  }
  const name =
    (Node.isFunctionDeclaration(owner) || Node.isMethodDeclaration(owner) ? owner.getName() : undefined) ??
    owner.getParentIfKind(SyntaxKind.VariableDeclaration)?.getName();
  return [name ?? 'a forwarder'];
}

/** The local name of zod's `z`, imported when the file has none. */
function zodNamespace(sourceFile: SourceFile): string {
  for (const declaration of sourceFile.getImportDeclarations()) {
    if (!/^zod(\/v4)?$/.test(declaration.getModuleSpecifierValue())) continue;
    const named = declaration.getNamedImports().find((n) => n.getName() === 'z');
    if (named) return named.getAliasNode()?.getText() ?? 'z';
    const namespace = declaration.getNamespaceImport();
    if (namespace) return namespace.getText();
  }
  sourceFile.addImportDeclaration({ moduleSpecifier: 'zod', namedImports: ['z'] });
  return 'z';
}
