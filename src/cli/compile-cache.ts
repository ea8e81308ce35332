/**
 * V8 code cache for the large CommonJS bundles the engine loads (TypeScript's 9 MB compiler in
 * ts-morph): compiling them is a fifth of a typical run. Node 22 has this built in
 * (`module.enableCompileCache`); on older Node the cache is kept here, beside the package, under
 * `node_modules/.cache/mrtr-migrate`. Any failure just means compiling as usual.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

/** Bundles smaller than this compile faster than their cache loads. */
const MIN_SIZE = 1_000_000;

interface CompilingModule {
  _compile: (this: CompilingModule, content: string, filename: string) => unknown;
  exports: unknown;
}

export function enableCompileCache(cacheDir: string): void {
  const builtIn = (Module as unknown as { enableCompileCache?: (dir: string) => unknown }).enableCompileCache;
  if (builtIn) {
    builtIn(cacheDir);
    return;
  }
  const prototype = (Module as unknown as { prototype: CompilingModule }).prototype;
  const compile = prototype._compile;
  const pending: { file: string; script: vm.Script }[] = [];
  prototype._compile = function (this: CompilingModule, content: string, filename: string) {
    if (content.length < MIN_SIZE) return compile.call(this, content, filename);
    try {
      const file = path.join(cacheDir, `${cacheKey(filename)}.v8`);
      let cachedData: Buffer | undefined;
      try {
        cachedData = readFileSync(file);
      } catch {
        cachedData = undefined;
      }
      const script = new vm.Script(Module.wrap(content), { filename, cachedData });
      if (!cachedData || script.cachedDataRejected) pending.push({ file, script });
      const wrapper = script.runInThisContext() as (...args: unknown[]) => unknown;
      return wrapper.call(this.exports, this.exports, createRequire(filename), this, filename, path.dirname(filename));
    } catch {
      return compile.call(this, content, filename);
    }
  };
  // Written at exit, so the functions the run compiled lazily are in the cache too.
  process.once('exit', () => {
    for (const { file, script } of pending) {
      try {
        mkdirSync(path.dirname(file), { recursive: true });
        const temporary = `${file}.${process.pid}.tmp`;
        writeFileSync(temporary, script.createCachedData());
        renameSync(temporary, file);
      } catch {
        // A read-only install just compiles every time.
      }
    }
  });
}

/** A bundle is the same while its path, size and mtime are; V8 also rejects a cache built by another version. */
function cacheKey(filename: string): string {
  const { mtimeMs, size } = statSync(filename);
  return createHash('sha256').update(`${process.version}\0${filename}\0${mtimeMs}\0${size}`).digest('hex').slice(0, 32);
}
