/** A project's own `tsc --noEmit`, through the compiler API: its tsconfig, optionally made stricter. */
import path from 'node:path';
import ts from 'typescript';

/** The strictest settings real projects use, laid over the project's own. */
export const STRICT_PROFILE: ts.CompilerOptions = {
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  erasableSyntaxOnly: true,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  noImplicitOverride: true,
  noPropertyAccessFromIndexSignature: true,
};

/** `file: TS1234 message` for every error, without line numbers: the migration moves lines. */
export function typeErrors(dir: string, overlay: ts.CompilerOptions = {}): string[] {
  const host: ts.ParseConfigFileHost = {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, ' '));
    },
  };
  const parsed = ts.getParsedCommandLineOfConfigFile(
    path.join(dir, 'tsconfig.json'),
    { ...overlay, noEmit: true },
    host,
  );
  if (!parsed) throw new Error(`no tsconfig.json in ${dir}`);
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.category === ts.DiagnosticCategory.Error)
    .map((d) => {
      const file = d.file ? path.relative(dir, d.file.fileName) : '(options)';
      return `${file}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
    });
}

/** The errors in `after` that `before` did not have, counted like a multiset. */
export function newErrors(before: readonly string[], after: readonly string[]): string[] {
  const left = [...before];
  return after.filter((error) => {
    const at = left.indexOf(error);
    if (at === -1) return true;
    left.splice(at, 1);
    return false;
  });
}
