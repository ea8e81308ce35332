/** A project's own test files: their mocks and stubs are not the server's asks. */
import type { SourceFile } from '../ts-morph.js';

const TEST_FILE = /(^|[\\/])(__tests__|tests?)[\\/]|\.(test|spec)\.[cm]?[jt]sx?$/;

export function isTestFile(sourceFile: SourceFile): boolean {
  return isTestPath(sourceFile.getFilePath());
}

export function isTestPath(filePath: string): boolean {
  return TEST_FILE.test(filePath);
}
