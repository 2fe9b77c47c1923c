import path from 'node:path';
import { fastGlob } from '../lazyModules.js';
import { buildRegistry, type FormatRegistry } from '../formats/registry.js';
import type { Zone } from '../formats/zone.js';
import type { InputSource } from '../input/expandInputs.js';
import { UsageError } from './usageError.js';

/**
 * Config "formats": which access format and JSON field map an input uses,
 * chosen by a glob on its path (first match wins). Each entry already holds
 * its final settings: the command line's --log-format and --json-field were
 * merged in by the config loader, so they win here too.
 */
export interface InputFormat {
  /** The glob as written in the config. */
  match: string;
  /** Directory that a relative glob is read from (the config file's). */
  base: string;
  logFormat?: string;
  jsonFields: Map<string, string>;
  /** Where the entry came from, for error messages: `logscan.config.json: formats[0]`. */
  origin: string;
}

export interface RegistryOptions {
  zone: Zone;
  logFormat?: string;
  jsonFields: Map<string, string>;
  inputFormats: readonly InputFormat[];
}

function build(origin: string, opts: { zone: Zone; logFormat?: string; jsonFields: Map<string, string> }): FormatRegistry {
  try {
    return buildRegistry(opts);
  } catch (e) {
    throw new UsageError(`${origin}${(e as Error).message}`);
  }
}

/**
 * Every registry is built (and every format compiled) up front, so a bad
 * format is a usage error before any input is read.
 */
export function registryChooser(opts: RegistryOptions): (source: InputSource) => FormatRegistry {
  const base = build('', opts);
  if (opts.inputFormats.length === 0) return () => base;
  const entries = opts.inputFormats.map((f) => ({
    registry: build(`${f.origin}: `, { zone: opts.zone, logFormat: f.logFormat, jsonFields: f.jsonFields }),
    files: new Set(fastGlob().sync(f.match.replace(/\\/g, '/'), { cwd: f.base, absolute: true, onlyFiles: true, dot: true, followSymbolicLinks: true, suppressErrors: true }).map((p) => path.resolve(p))),
  }));
  return (source) => {
    if (source.path === null) return base;
    const abs = path.resolve(source.path);
    return entries.find((e) => e.files.has(abs))?.registry ?? base;
  };
}
