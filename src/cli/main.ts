import yargs from 'yargs';
import { ACCESS_PRESETS } from '../formats/presets.js';
import { DIMENSION_NAMES } from '../aggregate/dimensions.js';
import { UsageError, validateAnalyzeArgs, type RawAnalyzeArgs } from './options.js';
import { EXIT_USAGE_OR_INPUT, runAnalyze } from './runAnalyze.js';
import { formatsCommand } from './formatsCommand.js';

/**
 * The CLI only parses options and wires stages; each command lives in its
 * own module. Errors map to exit codes here and nowhere else.
 */
function installBrokenPipeHandler(): void {
  // `logscan ... | head` closes our stdout early: that is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
}

// yargs drops a bare "-" argument; carry it through under another name.
const STDIN_ARG = '\u0000stdin';

export async function main(rawArgv: string[]): Promise<void> {
  installBrokenPipeHandler();
  const argv = rawArgv.map((a) => (a === '-' ? STDIN_ARG : a));
  const useColor = process.env.NO_COLOR === undefined && process.stdout.isTTY === true;
  let exitCode = 0;
  const parser = yargs(argv)
    .scriptName('logscan')
    .usage('$0 <command> [options]\n\nExplains why your users get 401 Unauthorized, from nginx, Apache and application logs.')
    .command(
      ['analyze [inputs..]', '$0'],
      'Count and group matching responses (default: 401) across all inputs',
      (y) =>
        y
          .positional('inputs', { type: 'string', array: true, describe: 'Log files, directories, globs (quoted, expanded by logscan) or - for stdin; .gz detected by content' })
          .option('log-format', { type: 'string', describe: `Access-log format: a preset (${ACCESS_PRESETS.map((p) => p.name).join(', ')}) or an nginx log_format / Apache LogFormat string. JSON and error logs keep their detected format` })
          .option('json-field', { type: 'string', describe: 'Where a JSON log keeps a field: NAME=dotted.path (e.g. requestId=ctx.rid)' })
          .option('tz', { type: 'string', describe: 'Zone of timestamps written without one (error logs), and of --by hour/day: IANA name or offset', default: undefined, defaultDescription: 'machine zone' })
          .option('status', { type: 'string', default: '401', describe: 'Which responses count: codes, classes and ranges, e.g. 401,403 or 4xx' })
          .option('by', { type: 'string', describe: `Group by: ${DIMENSION_NAMES.join(', ')}; several tables with commas, a combined key with + (path+ip)`, defaultDescription: 'path, ip, ua' })
          .option('top', { type: 'number', default: 10, describe: 'Rows per table' })
          .option('since', { type: 'string', describe: 'Only responses at or after: ISO 8601 or relative (30m, 24h, 7d)' })
          .option('until', { type: 'string', describe: 'Only responses before: ISO 8601 or relative' })
          .option('raw-paths', { type: 'boolean', default: false, describe: 'Group by the exact path instead of the route (/users/:id)' })
          .option('output', { alias: 'o', choices: ['table', 'csv', 'json', 'ndjson'] as const, default: 'table', describe: 'Output format' })
          .option('events', { type: 'boolean', default: false, describe: 'One row per matching response instead of groups (csv, ndjson, json, table)' })
          .option('strict', { type: 'boolean', default: false, describe: 'Stop at the first malformed line (exit 2)' })
          .option('max-line-bytes', { type: 'number', default: 65536, describe: 'Longer lines are skipped and counted' })
          .option('lang', { choices: ['en', 'ja'] as const, default: 'en', describe: 'Language of labels and remedies' })
          .option('color', { type: 'boolean', default: useColor, describe: 'Colour in tables (off when NO_COLOR is set or not a terminal)' })
          .option('delimiter', { type: 'string', default: ',', describe: 'CSV delimiter (one character, or "tab")' })
          .option('bom', { type: 'boolean', default: false, describe: 'Start CSV with a UTF-8 byte order mark (for Excel)' })
          .option('window', { type: 'string', default: '2s', describe: 'Join app and error lines without a request id to the response of the same client nearest in time within this window' })
          .option('rules', { type: 'string', describe: 'Extra classifier rules, JSON or YAML: [{cause, match, field?, strength?, evidence?}]' })
          .option('brute-force-count', { type: 'number', default: 10, describe: 'Failed requests from one client within --brute-force-window that make a brute-force burst' })
          .option('brute-force-users', { type: 'number', default: 5, describe: 'Distinct user names from one client within the window that make a brute-force burst' })
          .option('brute-force-ips', { type: 'number', default: 5, describe: 'Distinct clients failing for one user name within the window that make a brute-force burst (password spraying)' })
          .option('brute-force-window', { type: 'string', default: '60s', describe: 'Window of the brute-force detector' })
          .example('$0 analyze /var/log/nginx/access.log', 'Top paths, clients and user agents of 401s')
          .example("$0 analyze '/var/log/nginx/access.log*' --since 24h", 'All rotated logs (gzip too), last 24 hours')
          .example('$0 analyze access.log app.log error.log', 'Name the cause of every 401, joining the app and error logs')
          .example('$0 analyze access.log app.log --lang ja', 'The same report with Japanese labels and remedies')
          .example('$0 analyze access.log --by cause --by hour --status 401,403', 'Group 401 and 403 by cause and by hour')
          .example('$0 analyze access.log --events --output csv > 401s.csv', 'One CSV row per 401 for a spreadsheet')
          .example("$0 analyze app.log --log-format '$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent $request_id'", 'A custom nginx log_format')
          .example('zcat access.log.2.gz | $0 analyze -', 'Read standard input'),
      async (args) => {
        const raw = args as unknown as RawAnalyzeArgs;
        // Repeatable options: one value per flag (so they never swallow the inputs that follow).
        const list = (v: unknown) => (v === undefined ? undefined : ([] as string[]).concat(v as string | string[]));
        raw.by = list(raw.by);
        raw.jsonField = list(raw.jsonField);
        raw.inputs = raw.inputs?.map((i) => (i === STDIN_ARG ? '-' : i));
        const opts = validateAnalyzeArgs(raw);
        exitCode = await runAnalyze(opts, { stdout: process.stdout, stderr: process.stderr });
      },
    )
    .command(formatsCommand)
    .strict()
    .help()
    .alias('h', 'help')
    .version()
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .fail((msg, err) => {
      throw err ?? new UsageError(msg);
    })
    .completion('completion', 'Print a shell completion script (bash/zsh)');

  try {
    await parser.parseAsync();
  } catch (e) {
    if (e instanceof UsageError || (e as Error)?.name === 'YError') {
      process.stderr.write(`logscan: ${(e as Error).message}\nRun 'logscan --help' for usage.\n`);
      process.exitCode = EXIT_USAGE_OR_INPUT;
      return;
    }
    process.stderr.write(`logscan: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exitCode = 3;
    return;
  }
  process.exitCode = exitCode;
}
