import yargs, { type Argv } from 'yargs';
import { DIMENSION_NAMES } from '../aggregate/dimensions.js';
import { mergeConfig } from './config.js';
import { describeMetrics } from './failOn.js';
import { validateAnalyzeArgs, type RawAnalyzeArgs } from './options.js';
import { EXIT_USAGE_OR_INPUT, runAnalyze } from './runAnalyze.js';
import { runExplain } from './runExplain.js';
import { formatsCommand } from './formatsCommand.js';
import { UsageError } from './usageError.js';
import { configOf, list, readingOptions, STDIN_ARG } from './sharedOptions.js';

/**
 * The CLI only parses options and wires stages; each command lives in its
 * own module. Errors map to exit codes here and nowhere else.
 *
 * Options carry no yargs defaults: an option left out is undefined, so a
 * value from logscan.config.json can fill it; validateAnalyzeArgs applies
 * the defaults (shown in --help through defaultDescription).
 */
function installBrokenPipeHandler(): void {
  // `logscan ... | head` closes our stdout early: that is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
}

function classifyingOptions<T>(y: Argv<T>) {
  return y
    .option('status', { type: 'string', describe: 'Which responses count: codes, classes and ranges, e.g. 401,403 or 4xx', defaultDescription: '401' })
    .option('since', { type: 'string', describe: 'Only responses at or after: ISO 8601 or relative (30m, 24h, 7d)' })
    .option('until', { type: 'string', describe: 'Only responses before: ISO 8601 or relative' })
    .option('strict', { type: 'boolean', describe: 'Stop at the first malformed line (exit 2)', defaultDescription: 'false' })
    .option('lang', { choices: ['en', 'ja'] as const, describe: 'Language of labels and remedies (and of the grouped CSV header)', defaultDescription: 'en' })
    .option('window', { type: 'string', describe: 'Join app and error lines without a request id to the response of the same client nearest in time within this window', defaultDescription: '2s' })
    .option('rules', { type: 'string', describe: 'Extra classifier rules, JSON or YAML: [{cause, match, field?, strength?, evidence?}]' })
    .option('brute-force-count', { type: 'number', describe: 'Failed requests from one client within --brute-force-window that make a brute-force burst', defaultDescription: '10' })
    .option('brute-force-users', { type: 'number', describe: 'Distinct user names from one client within the window that make a brute-force burst', defaultDescription: '5' })
    .option('brute-force-ips', { type: 'number', describe: 'Distinct clients failing for one user name within the window that make a brute-force burst (password spraying)', defaultDescription: '5' })
    .option('brute-force-window', { type: 'string', describe: 'Window of the brute-force detector', defaultDescription: '60s' });
}

const REPEATABLE = new Set(['by', 'jsonField', 'json-field', 'failOn', 'fail-on', 'inputs', '_']);

/** Analyze's raw options as the command line gave them (undefined when left out). */
function rawOf(args: Record<string, unknown>): RawAnalyzeArgs {
  const raw = { ...args } as unknown as RawAnalyzeArgs & { config?: unknown };
  delete raw.config;
  // A single-valued option given twice (--tz UTC --tz UTC) arrives as a list: the last one wins.
  const record = raw as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(record)) {
    if (Array.isArray(value) && !REPEATABLE.has(key)) record[key] = value[value.length - 1];
  }
  raw.by = list(raw.by);
  raw.jsonField = list(raw.jsonField);
  raw.failOn = list(raw.failOn);
  raw.inputs = raw.inputs?.map((i) => (i === STDIN_ARG ? '-' : i));
  return raw;
}

/** Config keys explain takes (it has no tables, outputs or thresholds). */
const EXPLAIN_KEYS = ['logFormat', 'jsonField', 'tz', 'status', 'since', 'until', 'strict', 'maxLineBytes', 'lang', 'window', 'rules',
  'bruteForceCount', 'bruteForceUsers', 'bruteForceIps', 'bruteForceWindow', 'formats'];

/**
 * yargs renders the whole help text before every named command runs, in case the command later asks
 * for it (about 150 ms of CPU, a fifth of a small run). Our commands never do: --help renders it
 * on demand, and .fail throws instead of printing it. The hook is internal to yargs (pinned), so it
 * is looked up defensively and left alone when it is not there.
 */
function skipHelpCache(parser: unknown): void {
  const internal = (parser as { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: unknown } } }).getInternalMethods?.();
  const usage = internal?.getUsageInstance?.();
  if (usage && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => undefined;
}

export async function main(rawArgv: string[]): Promise<void> {
  installBrokenPipeHandler();
  const argv = rawArgv.map((a) => (a === '-' ? STDIN_ARG : a));
  const useColor = process.env.NO_COLOR === undefined && process.stdout.isTTY === true;
  let exitCode = 0;
  const io = { stdout: process.stdout, stderr: process.stderr };
  const parser = yargs(argv)
    .scriptName('logscan')
    .usage('$0 <command> [options]\n\nExplains why your users get 401 Unauthorized, from nginx, Apache and application logs.')
    .command(
      ['analyze [inputs..]', '$0'],
      'Count and group matching responses (default: 401) across all inputs',
      (y) =>
        classifyingOptions(readingOptions(y))
          .positional('inputs', { type: 'string', array: true, describe: 'Log files, directories, globs (quoted, expanded by logscan) or - for stdin; .gz detected by content' })
          .option('by', { type: 'string', describe: `Group by: ${DIMENSION_NAMES.join(', ')}; several tables with commas, a combined key with + (path+ip); hour/day add a per-cause time view`, defaultDescription: 'path, ip, ua' })
          .option('top', { type: 'number', describe: 'Rows per table', defaultDescription: '10' })
          .option('raw-paths', { type: 'boolean', describe: 'Group by the exact path instead of the route (/users/:id)', defaultDescription: 'false' })
          .option('output', { alias: 'o', choices: ['table', 'csv', 'json', 'ndjson'] as const, describe: 'Output format', defaultDescription: 'table' })
          .option('events', { type: 'boolean', describe: 'One row per matching response instead of groups (csv, ndjson, json, table)', defaultDescription: 'false' })
          .option('out', { type: 'string', describe: 'Write the report to FILE atomically (temporary file + rename) instead of standard output' })
          .option('threads', { type: 'string', describe: 'Threads in all: with 2 or more, large plain files are parsed by N-1 worker threads while the main thread analyses (1: one thread)', defaultDescription: '1 (auto: one per core)' })
          .option('state', { type: 'string', describe: 'Remember in FILE how far each input was read; the next run reads only new lines (rotated files included)' })
          .option('fail-on', { type: 'string', describe: `Exit 1 when a threshold trips (repeatable): ${describeMetrics()}; with >, >=, <, <=` })
          .option('quiet', { alias: 'q', type: 'boolean', describe: 'Print nothing unless a --fail-on threshold trips (errors still go to stderr; --out is still written)', defaultDescription: 'false' })
          .option('progress', { type: 'boolean', describe: 'Progress bar on stderr when it is a terminal (--no-progress: never)', defaultDescription: 'true' })
          .option('color', { type: 'boolean', describe: 'Colour in tables (off when NO_COLOR is set or not a terminal)', defaultDescription: 'on a terminal' })
          .option('delimiter', { type: 'string', describe: 'CSV delimiter (one character, or "tab")', defaultDescription: ',' })
          .option('bom', { type: 'boolean', describe: 'Start CSV with a UTF-8 byte order mark (for Excel)', defaultDescription: 'false' })
          .example('$0 analyze /var/log/nginx/access.log', 'Top paths, clients and user agents of 401s')
          .example("$0 analyze '/var/log/nginx/access.log*' --since 24h", 'All rotated logs (gzip too), last 24 hours')
          .example('$0 analyze access.log app.log error.log', 'Name the cause of every 401, joining the app and error logs')
          .example('$0 analyze access.log app.log --lang ja', 'The same report with Japanese labels and remedies')
          .example('$0 analyze access.log --by cause --by hour --status 401,403', 'Group 401 and 403 by cause and by hour, with a sparkline per cause')
          .example('$0 analyze access.log --events --output csv --bom --out 401s.csv', 'One CSV row per 401 for a spreadsheet, written atomically')
          .example("$0 analyze '/var/log/nginx/access.log*' --since 24h --fail-on 'cause:brute_force>0' --fail-on 'rate>5%' --quiet", 'For cron: silent unless a threshold trips (then the report, and exit 1)')
          .example('$0 analyze /var/log/nginx/access.log --state /var/lib/logscan/access.state --fail-on total>500 --quiet', 'Hourly from cron: only the lines written since the last run, across rotation')
          .example("$0 analyze app.log --log-format '$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent $request_id'", 'A custom nginx log_format')
          .example('zcat access.log.2.gz | $0 analyze -', 'Read standard input'),
      async (args) => {
        const cli = rawOf(args as unknown as Record<string, unknown>);
        const raw = mergeConfig(cli, configOf(args as { config?: string | false }));
        raw.color ??= raw.out === undefined && useColor;
        exitCode = await runAnalyze(validateAnalyzeArgs(raw), io);
      },
    )
    .command(
      'explain <id> [inputs..]',
      'The timeline of one request (by request id) or one client (by ip), with the cause and evidence of each 401',
      (y) =>
        classifyingOptions(readingOptions(y))
          .positional('id', { type: 'string', describe: 'A request id ($request_id, X-Request-ID, reqId ...) or a client ip address' })
          .positional('inputs', { type: 'string', array: true, describe: 'Log files, directories, globs or - for stdin' })
          .option('output', { alias: 'o', choices: ['table', 'json'] as const, describe: 'Output format', defaultDescription: 'table' })
          .option('limit', { type: 'number', describe: 'Timeline lines shown at most', defaultDescription: '200' })
          .example('$0 explain 7f3a9c2e access.log app.log error.log', 'Every line of request 7f3a9c2e and why it got a 401')
          .example("$0 explain 203.0.113.66 '/var/log/nginx/access.log*' app.log --since 24h", 'What one client did in the last 24 hours'),
      async (args) => {
        const a = args as unknown as Record<string, unknown>;
        const output = (a.output as 'table' | 'json' | undefined) ?? 'table';
        const limit = (a.limit as number | undefined) ?? 200;
        if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit: expected a positive whole number, got ${a.limit}`);
        const id = String(a.id ?? '');
        if (id.trim() === '' || id === STDIN_ARG) throw new UsageError(`explain: expected a request id or a client ip first, got "${id === STDIN_ARG ? '-' : id}"`);
        const cli = rawOf({ ...a, id: undefined, output: undefined, limit: undefined });
        const raw = mergeConfig(cli, configOf(a as { config?: string | false }), EXPLAIN_KEYS);
        exitCode = await runExplain({ query: id, output, limit, analyze: validateAnalyzeArgs(raw) }, io);
      },
    )
    .command(formatsCommand((code) => { exitCode = code; }))
    .strict()
    .help()
    .alias('h', 'help')
    .version()
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .fail((msg, err) => {
      throw err ?? new UsageError(msg);
    })
    .completion('completion', 'Print a shell completion script (bash/zsh)');

  skipHelpCache(parser);
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
