/**
 * ts-morph, loaded with require. Imported from an ES module instead, Node's loader lexes the
 * 950 KB bundle for export names and compiles the 13 MB of CommonJS behind it without the code
 * cache: about 130 ms of every run. Types come straight from the package.
 */
import { createRequire } from 'node:module';
import type * as TsMorph from 'ts-morph';

export type * from 'ts-morph';

const tsMorph = createRequire(import.meta.url)('ts-morph') as typeof TsMorph;

// The values the project uses, each with its type of the same name; add both to use another.
export const { IndentationText, Node, Project, QuoteKind, ScriptKind, SyntaxKind, ts } = tsMorph;
export type IndentationText = TsMorph.IndentationText;
export type Node<T extends TsMorph.ts.Node = TsMorph.ts.Node> = TsMorph.Node<T>;
export type Project = TsMorph.Project;
export type QuoteKind = TsMorph.QuoteKind;
export type ScriptKind = TsMorph.ScriptKind;
export type SyntaxKind = TsMorph.SyntaxKind;
/** The compiler's types that `ts.X` is written with here (the value `ts` above carries no types). */
export declare namespace ts {
  export type Node = TsMorph.ts.Node;
  export type DiagnosticMessageChain = TsMorph.ts.DiagnosticMessageChain;
  export type DiagnosticWithLocation = TsMorph.ts.DiagnosticWithLocation;
  export type SourceFile = TsMorph.ts.SourceFile;
  export type Statement = TsMorph.ts.Statement;
}
