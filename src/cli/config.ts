import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildRegistry } from '../formats/registry.js';
import { makeZone } from '../formats/zone.js';
import { parseFailOns } from './failOn.js';
import type { InputFormat } from './inputFormats.js';
import { parseJsonFields, validateAnalyzeArgs, type RawAnalyzeArgs } from './options.js';
import { UsageError } from './usageError.js';

/**
 * logscan.config.json (in the current directory, or --config FILE): per-site
 * defaults for analyze options, under the options' camelCase names, and
 * per-input-glob formats. Every key is checked before any input is read;
 * an error names the file, the key and what was expected. The command line
 * wins over the config: an option given there replaces the config's value
 * (for --json-field, name by name).
 */
export const DEFAULT_CONFIG = 'logscan.config.json';

type Kind = 'string' | 'number' | 'boolean' | 'strings' | 'fieldMap';

/** The keys a config may hold, with the shape each takes. Keys starting with "//" are comments. */
export const CONFIG_KEYS: Record<string, Kind> = {
  logFormat: 'string',
  jsonField: 'fieldMap',
  tz: 'string',
  status: 'string',
  by: 'strings',
  top: 'number',
  since: 'string',
  until: 'string',
  rawPaths: 'boolean',
  output: 'string',
  events: 'boolean',
  strict: 'boolean',
  maxLineBytes: 'number',
  lang: 'string',
  delimiter: 'string',
  bom: 'boolean',
  window: 'string',
  rules: 'string',
  bruteForceCount: 'number',
  bruteForceUsers: 'number',
  bruteForceIps: 'number',
  bruteForceWindow: 'string',
  failOn: 'strings',
  formats: 'string', // checked on its own, below
};

const EXPECTED: Record<Kind, string> = {
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
  strings: 'a string or a list of strings',
  fieldMap: 'an object of NAME: "dotted.path" strings, e.g. {"requestId": "ctx.rid"}',
};

export interface LoadedConfig {
  file: string;
  args: RawAnalyzeArgs;
  /** logFormat and jsonField per input glob, before the command line is merged in. */
  formats: { match: string; logFormat?: string; jsonField?: Record<string, string>; origin: string }[];
  dir: string;
}

const camel = (k: string) => k.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

function shapeOk(kind: Kind, v: unknown): boolean {
  switch (kind) {
    case 'string': return typeof v === 'string';
    case 'number': return typeof v === 'number' && Number.isFinite(v);
    case 'boolean': return typeof v === 'boolean';
    case 'strings': return typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
    case 'fieldMap': return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');
  }
}

/** Finds the config: --config FILE, else logscan.config.json in the current directory; --no-config: none. */
export function findConfig(option: string | false | undefined, cwd = process.cwd()): string | undefined {
  if (option === false) return undefined;
  if (option !== undefined) {
    if (option.trim() === '') throw new UsageError('--config: expected a file name, got ""');
    if (!existsSync(option)) throw new UsageError(`--config: cannot read "${option}": no such file`);
    return option;
  }
  const here = path.join(cwd, DEFAULT_CONFIG);
  return existsSync(here) ? here : undefined;
}

export function loadConfig(file: string): LoadedConfig {
  const name = file;
  const fail = (key: string, what: string) => new UsageError(`${name}: "${key}": ${what}`);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8').replace(/^\ufeff/, ''));
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ? `cannot read it (${(e as Error).message})` : `not valid JSON: ${(e as Error).message}`;
    throw new UsageError(`${name}: ${why}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new UsageError(`${name}: expected a JSON object of settings, e.g. {"tz": "Asia/Tokyo", "failOn": ["cause:brute_force>0"]}`);
  const dir = path.dirname(path.resolve(file));
  const args: Record<string, unknown> = {};
  let formats: LoadedConfig['formats'] = [];
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    if (key.startsWith('//')) continue;
    if (!Object.hasOwn(CONFIG_KEYS, key)) {
      const hint = Object.hasOwn(CONFIG_KEYS, camel(key)) ? `; did you mean "${camel(key)}"?` : `; keys: ${Object.keys(CONFIG_KEYS).join(', ')}`;
      throw fail(key, `unknown key${hint}`);
    }
    if (key === 'formats') {
      formats = checkFormats(value, name);
      continue;
    }
    const kind = CONFIG_KEYS[key];
    if (!shapeOk(kind, value)) throw fail(key, `expected ${EXPECTED[kind]}, got ${JSON.stringify(value)}`);
    args[key] = value;
  }
  const raw = toRaw(args, dir);
  checkValues(raw, name, formats);
  return { file: name, args: raw, formats, dir };
}

/** Config values in the shape the command line gives them. */
function toRaw(args: Record<string, unknown>, dir: string): RawAnalyzeArgs {
  const raw: Record<string, unknown> = { ...args };
  const list = (v: unknown) => (typeof v === 'string' ? [v] : v);
  if (args.by !== undefined) raw.by = list(args.by);
  if (args.failOn !== undefined) raw.failOn = list(args.failOn);
  if (args.jsonField !== undefined) raw.jsonField = Object.entries(args.jsonField as Record<string, string>).map(([k, v]) => `${k}=${v}`);
  // A rules file is found next to the config, wherever logscan runs.
  if (typeof args.rules === 'string') raw.rules = path.resolve(dir, args.rules);
  return raw as RawAnalyzeArgs;
}

function checkFormats(value: unknown, name: string): LoadedConfig['formats'] {
  const example = '[{"match": "/var/log/app/*.log", "logFormat": "combined"}]';
  if (!Array.isArray(value)) throw new UsageError(`${name}: "formats": expected a list such as ${example}`);
  return value.map((entry, i) => {
    const key = `formats[${i}]`;
    const fail = (what: string) => new UsageError(`${name}: "${key}": ${what}`);
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw fail(`expected an object such as ${JSON.stringify(JSON.parse(example)[0])}`);
    const e = entry as Record<string, unknown>;
    for (const k of Object.keys(e)) if (!['match', 'logFormat', 'jsonField'].includes(k) && !k.startsWith('//')) throw fail(`unknown key "${k}"; keys: match, logFormat, jsonField`);
    if (typeof e.match !== 'string' || e.match.trim() === '') throw fail('"match" must be a glob string, e.g. "/var/log/app/*.log"');
    if (e.logFormat !== undefined && typeof e.logFormat !== 'string') throw fail(`"logFormat": expected a string, got ${JSON.stringify(e.logFormat)}`);
    if (e.jsonField !== undefined && !shapeOk('fieldMap', e.jsonField)) throw fail(`"jsonField": expected ${EXPECTED.fieldMap}`);
    if (e.logFormat === undefined && e.jsonField === undefined) throw fail('give "logFormat" or "jsonField" (or both)');
    return { match: e.match, logFormat: e.logFormat as string | undefined, jsonField: e.jsonField as Record<string, string> | undefined, origin: `${name}: "${key}"` };
  });
}

const stripOption = (msg: string) => msg.replace(/^--[a-z-]+:\s*/, '');

/** Each value through the same checks as its option, the error naming the config key. */
function checkValues(raw: RawAnalyzeArgs, name: string, formats: LoadedConfig['formats']): void {
  for (const [key, value] of Object.entries(raw)) {
    try {
      if (key === 'failOn') parseFailOns(value as string[], `${name}: "failOn"`);
      else if (key === 'logFormat' || key === 'jsonField') buildRegistry({ zone: makeZone('UTC'), [key === 'logFormat' ? 'logFormat' : 'jsonFields']: key === 'logFormat' ? value : parseJsonFields(value as string[]) });
      else validateAnalyzeArgs({ inputs: ['-'], [key]: value });
    } catch (e) {
      if (key === 'failOn') throw e;
      throw new UsageError(`${name}: "${key}": ${stripOption((e as Error).message)}`);
    }
  }
  for (const f of formats) {
    try {
      buildRegistry({ zone: makeZone('UTC'), logFormat: f.logFormat, jsonFields: parseJsonFields(Object.entries(f.jsonField ?? {}).map(([k, v]) => `${k}=${v}`)) });
    } catch (e) {
      throw new UsageError(`${f.origin}: ${stripOption((e as Error).message)}`);
    }
  }
}

/**
 * Config values under the command line's: an option given on the command
 * line replaces the config's; --json-field entries replace the config's
 * entries of the same name. `keys` limits which config keys a command takes.
 */
export function mergeConfig(cli: RawAnalyzeArgs, config: LoadedConfig | undefined, keys?: readonly string[]): RawAnalyzeArgs {
  if (!config) return cli;
  const merged: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config.args)) if (!keys || keys.includes(k)) merged[k] = v;
  for (const [k, v] of Object.entries(cli)) if (v !== undefined) merged[k] = v;
  const cfgFields = keys && !keys.includes('jsonField') ? [] : config.args.jsonField ?? [];
  merged.jsonField = [...cfgFields, ...(cli.jsonField ?? [])];
  const out = merged as RawAnalyzeArgs;
  if (!keys || keys.includes('formats')) out.inputFormats = inputFormats(cli, config);
  return out;
}

function inputFormats(cli: RawAnalyzeArgs, config: LoadedConfig): InputFormat[] {
  return config.formats.map((f) => ({
    match: f.match,
    base: config.dir,
    // --log-format on the command line applies to every input.
    logFormat: cli.logFormat ?? f.logFormat ?? config.args.logFormat,
    jsonFields: parseJsonFields([
      ...(config.args.jsonField ?? []),
      ...Object.entries(f.jsonField ?? {}).map(([k, v]) => `${k}=${v}`),
      ...(cli.jsonField ?? []),
    ]),
    origin: f.origin,
  }));
}
