/**
 * What well-known calls do, by name: the data behind the side-effect analysis. A call is matched
 * by its method name (and for a few APIs by its arguments); project code is followed instead.
 */
export type EffectCategory = 'pure' | 'read' | 'unknown' | 'nondeterministic' | 'outer-mutation' | 'effect';

/** Higher is worse; a statement takes the worst category of anything it runs. */
export const SEVERITY: Readonly<Record<EffectCategory, number>> = {
  pure: 0,
  read: 1,
  unknown: 2,
  nondeterministic: 3,
  'outer-mutation': 4,
  effect: 5,
};

export function worst(a: EffectCategory, b: EffectCategory): EffectCategory {
  return SEVERITY[a] >= SEVERITY[b] ? a : b;
}

/** Whole callee texts with a fixed meaning. */
export const KNOWN_CALLEES: Readonly<Record<string, EffectCategory>> = {
  'Date.now': 'nondeterministic',
  'Math.random': 'nondeterministic',
  'performance.now': 'nondeterministic',
  'crypto.randomUUID': 'nondeterministic',
  'crypto.getRandomValues': 'nondeterministic',
  'crypto.randomBytes': 'nondeterministic',
  randomUUID: 'nondeterministic',
  randomBytes: 'nondeterministic',
  uuid: 'nondeterministic',
  uuidv4: 'nondeterministic',
  v4: 'nondeterministic',
  nanoid: 'nondeterministic',
  ulid: 'nondeterministic',
  String: 'pure',
  Number: 'pure',
  Boolean: 'pure',
  BigInt: 'pure',
  'JSON.stringify': 'pure',
  'JSON.parse': 'pure',
  'Object.keys': 'pure',
  'Object.values': 'pure',
  'Object.entries': 'pure',
  'Object.fromEntries': 'pure',
  'Object.freeze': 'pure',
  'Array.isArray': 'pure',
  'Array.from': 'pure',
  'Array.of': 'pure',
  'Promise.resolve': 'pure',
  'Promise.all': 'pure',
  'Number.parseInt': 'pure',
  'Number.parseFloat': 'pure',
  'Number.isFinite': 'pure',
  parseInt: 'pure',
  parseFloat: 'pure',
  encodeURIComponent: 'pure',
  decodeURIComponent: 'pure',
  encodeURI: 'pure',
  structuredClone: 'pure',
  setTimeout: 'effect',
  setInterval: 'effect',
  fetch: 'read',
};

/** Constructors: `new Date()` differs per round; most others only build a value. */
export const KNOWN_CONSTRUCTORS: Readonly<Record<string, EffectCategory>> = {
  Date: 'nondeterministic',
  URL: 'pure',
  URLSearchParams: 'pure',
  Map: 'pure',
  Set: 'pure',
  Error: 'pure',
  TypeError: 'pure',
  RangeError: 'pure',
  Headers: 'pure',
  Request: 'pure',
  TextEncoder: 'pure',
  TextDecoder: 'pure',
  RegExp: 'pure',
  Intl: 'pure',
};

/** Methods on plain values (strings, arrays, numbers) that only compute. */
export const PURE_METHODS = new Set([
  'toString', 'trim', 'trimStart', 'trimEnd', 'toLowerCase', 'toUpperCase', 'join', 'slice', 'includes',
  'startsWith', 'endsWith', 'toFixed', 'split', 'padStart', 'padEnd', 'replace', 'replaceAll', 'indexOf',
  'lastIndexOf', 'at', 'charAt', 'concat', 'map', 'filter', 'find', 'findIndex', 'some', 'every', 'reduce',
  'flatMap', 'flat', 'keys', 'values', 'entries', 'localeCompare', 'match', 'matchAll', 'test', 'toISOString',
  'getTime', 'toJSON', 'valueOf', 'has', 'get', 'parse', 'safeParse', 'format', 'normalize', 'repeat', 'substring',
  'toLocaleString', 'then', 'getClientCapabilities', 'getClientVersion', 'getServerCapabilities', 'getStore',
]);

/** Methods that change the value they are called on: an effect when that value outlives the round. */
export const MUTATING_METHODS = new Set([
  'push', 'pop', 'shift', 'unshift', 'splice', 'sort', 'reverse', 'fill', 'copyWithin', 'set', 'add', 'delete', 'clear',
]);

/** Method names that write, send, charge or publish, across SDK, ORM, queue, mail and payment clients. */
export const EFFECT_METHODS = new Set([
  // generic SDK verbs
  'create', 'update', 'delete', 'remove', 'destroy', 'insert', 'upsert', 'save', 'send', 'post', 'put', 'patch', 'add',
  'write', 'charge', 'refund', 'capture', 'cancel', 'publish', 'emit', 'enqueue', 'dispatch', 'submit', 'reserve',
  'book', 'schedule', 'notify', 'sendMail', 'sendEmail', 'sendMessage', 'sendToQueue', 'produce', 'trigger',
  'increment', 'decrement', 'register', 'provision', 'deploy', 'execute', 'commit', 'transfer', 'approve', 'archive',
  // prisma / sequelize / typeorm / mongodb
  'createMany', 'updateMany', 'deleteMany', 'bulkCreate', 'bulkWrite', 'insertOne', 'insertMany', 'updateOne',
  'deleteOne', 'replaceOne', 'findOneAndUpdate', 'findOneAndDelete', 'findOneAndReplace', 'softDelete', '$executeRaw',
  '$executeRawUnsafe', '$transaction', 'del',
  // redis
  'set', 'setex', 'setnx', 'incr', 'incrby', 'decr', 'decrby', 'hset', 'hdel', 'lpush', 'rpush', 'sadd', 'srem', 'zadd',
  'expire', 'xadd', 'mset',
  // fs
  'writeFile', 'writeFileSync', 'appendFile', 'appendFileSync', 'mkdir', 'mkdirSync', 'rm', 'rmSync', 'rmdir',
  'unlink', 'unlinkSync', 'rename', 'renameSync', 'copyFile', 'copyFileSync', 'truncate', 'createWriteStream',
  // child_process
  'exec', 'execSync', 'execFile', 'execFileSync', 'spawn', 'spawnSync', 'fork',
  // MCP notifications and logging
  'sendLoggingMessage', 'sendNotification', 'notification', 'sendResourceUpdated', 'sendResourceListChanged',
  'sendToolListChanged', 'sendPromptListChanged', 'log',
]);

/** Method names that only read. */
export const READ_METHODS = new Set([
  'get', 'find', 'findMany', 'findUnique', 'findFirst', 'findOne', 'findAll', 'findByPk', 'findBy', 'findById', 'count',
  'countDocuments', 'aggregate', 'list', 'read', 'readFile', 'readFileSync', 'readdir', 'readdirSync', 'stat', 'statSync',
  'access', 'exists', 'existsSync', 'lookup', 'search', 'retrieve', 'load', 'describe', 'select', 'head', 'hget', 'mget',
  'smembers', 'lrange', 'zrange', '$queryRaw', '$queryRawUnsafe', 'getItem', 'fetch',
]);

/** HTTP clients whose verb is the method name. */
export const HTTP_CLIENTS = /^(axios|got|ky|superagent|request|undici|http|https|client|api|httpClient)$/;
export const HTTP_WRITE_VERBS = new Set(['post', 'put', 'patch', 'delete', 'del']);
export const HTTP_READ_VERBS = new Set(['get', 'head', 'options']);

/** SQL passed to `query`/`execute`: its first keyword decides. */
export function classifySql(sql: string): EffectCategory {
  const keyword = /^\s*(?:\/\*[\s\S]*?\*\/\s*)?(\w+)/.exec(sql)?.[1]?.toUpperCase();
  if (!keyword) return 'unknown';
  if (keyword === 'SELECT' || keyword === 'SHOW' || keyword === 'EXPLAIN' || keyword === 'DESCRIBE') return 'read';
  if (keyword === 'WITH') return /\b(INSERT|UPDATE|DELETE|MERGE)\b/i.test(sql) ? 'effect' : 'read';
  return 'effect';
}

/** Namespaces whose calls only build values (zod schemas, path helpers, console output). */
export const PURE_NAMESPACES = /^(z|path|console|util|Math|JSON|Object|Array|Number|String|Reflect|Symbol|url|querystring)$/;
