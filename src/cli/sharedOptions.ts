import type { Argv } from 'yargs';
import { ACCESS_PRESETS } from '../formats/presets.js';
import { findConfig, loadConfig, type LoadedConfig } from './config.js';

/** What the commands share: reading options, the stdin marker, repeatable options, the config. */

// yargs drops a bare "-" argument; carry it through under another name.
export const STDIN_ARG = '\u0000stdin';

/** Repeatable options: one value per flag (so they never swallow the inputs that follow). */
export const list = (v: unknown) => (v === undefined ? undefined : ([] as string[]).concat(v as string | string[]));

/** Options that decide how lines are read and classified: analyze, explain and formats --test share them. */
export function readingOptions<T>(y: Argv<T>) {
  return y
    .option('log-format', { type: 'string', describe: `Access-log format: a preset (${ACCESS_PRESETS.map((p) => p.name).join(', ')}) or an nginx log_format / Apache LogFormat string. JSON and error logs keep their detected format` })
    .option('json-field', { type: 'string', describe: 'Where a JSON log keeps a field: NAME=dotted.path (e.g. requestId=ctx.rid); repeatable' })
    .option('tz', { type: 'string', describe: 'Zone of timestamps written without one (error logs), and of --by hour/day: IANA name or offset', defaultDescription: 'machine zone' })
    .option('max-line-bytes', { type: 'number', describe: 'Longer lines are skipped and counted', defaultDescription: '65536' })
    .option('config', { type: 'string', describe: `Settings file (JSON); --no-config to ignore ./logscan.config.json`, defaultDescription: './logscan.config.json if present' });
}

/** The config of this run: --config FILE, ./logscan.config.json, or none (--no-config). */
export function configOf(args: { config?: string | false }): LoadedConfig | undefined {
  const file = findConfig(args.config);
  return file === undefined ? undefined : loadConfig(file);
}

