import type { CommandModule } from 'yargs';
import { ACCESS_PRESETS } from '../formats/presets.js';
import { mergeConfig } from './config.js';
import { formatsTest } from './formatsTest.js';
import { registryChooser } from './inputFormats.js';
import { configOf, list, readingOptions, STDIN_ARG } from './sharedOptions.js';
import { validateAnalyzeArgs } from './options.js';
import { UsageError } from './usageError.js';

/**
 * `logscan formats`: the presets and the format strings they stand for.
 * `logscan formats --test FILE`: how the first lines of FILE parse.
 */
function listFormats(): string {
  const lines = ACCESS_PRESETS.map((p) => `${p.name.padEnd(16)} ${p.description}\n${' '.repeat(17)}${p.format}`);
  lines.push(
    `${'json'.padEnd(16)} JSON lines (pino, bunyan, winston, ECS, caddy, nginx escape=json); --json-field NAME=path overrides`,
    `${'nginx_error'.padEnd(16)} nginx error.log`,
    `${'apache_error'.padEnd(16)} Apache error_log (2.2 and 2.4)`,
  );
  return `${lines.join('\n')}\n`;
}

/** Config keys that change how a line parses. */
const TEST_KEYS = ['logFormat', 'jsonField', 'tz', 'maxLineBytes', 'formats'];

export function formatsCommand(setExit: (code: number) => void): CommandModule {
  return {
    command: 'formats',
    describe: 'List the built-in log formats, or (--test FILE) show how the first lines of a log parse',
    builder: (y) =>
      readingOptions(y)
        .option('test', { type: 'string', describe: 'A log file (or - for stdin) to parse: the detected format and why, then each line field by field' })
        .option('lines', { alias: 'n', type: 'number', describe: 'Lines shown with --test', defaultDescription: '5' })
        .example('$0 formats', 'The presets and their format strings')
        .example('$0 formats --test /var/log/nginx/access.log', 'Which format is detected, and the fields of the first 5 lines')
        .example("$0 formats --test access.log -n 3 --log-format '$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent $request_id'", 'Check a custom log_format before a long run'),
    handler: async (args) => {
      // A single-valued option given twice arrives as a list: the last one wins, as for analyze.
      const a = Object.fromEntries(Object.entries(args).map(([k, v]) => [k, Array.isArray(v) && k !== 'jsonField' && k !== 'json-field' && k !== '_' ? v[v.length - 1] : v]));
      if (a.test === undefined) {
        for (const k of ['lines', 'logFormat', 'jsonField']) {
          if (a[k] !== undefined) throw new UsageError(`--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} applies to formats --test FILE only`);
        }
        process.stdout.write(listFormats());
        return;
      }
      const file = a.test === STDIN_ARG ? '-' : String(a.test);
      if (file.trim() === '') throw new UsageError('--test: expected a log file, got ""');
      const lines = (a.lines as number | undefined) ?? 5;
      if (!Number.isInteger(lines) || lines < 1) throw new UsageError(`--lines: expected a positive whole number, got ${a.lines}`);
      const raw = mergeConfig(
        { inputs: [file], logFormat: a.logFormat as string | undefined, jsonField: list(a.jsonField), tz: a.tz as string | undefined, maxLineBytes: a.maxLineBytes as number | undefined },
        configOf(a as { config?: string | false }),
        TEST_KEYS,
      );
      const opts = validateAnalyzeArgs(raw);
      const source = file === '-' ? { name: '-', path: null } : { name: file, path: file };
      setExit(await formatsTest({ source, registry: registryChooser(opts)(source), lines, maxLineBytes: opts.maxLineBytes }, process.stdout, process.stderr));
    },
  };
}
