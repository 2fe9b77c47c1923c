import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, mergeConfig } from '../src/cli/config.js';
import { UsageError } from '../src/cli/usageError.js';
import { ROOT, runCli } from './support/cli.js';

/**
 * logscan.config.json: per-site defaults and per-input-glob formats; the
 * command line wins; a bad config is an error naming the key.
 */
const site = mkdtempSync(path.join(tmpdir(), 'logscan-config-'));
mkdirSync(path.join(site, 'logs/edge'), { recursive: true });
copyFileSync(path.join(ROOT, 'fixtures/scenarios/login-brute-force/access.log'), path.join(site, 'logs/access.log'));
copyFileSync(path.join(ROOT, 'fixtures/formats/nginx-custom.log'), path.join(site, 'logs/edge/edge.log'));
const CUSTOM = readFileSync(path.join(ROOT, 'fixtures/formats/nginx-custom.format'), 'utf8').trim();
writeFileSync(path.join(site, 'rules.json'), JSON.stringify([{ cause: 'api_key_invalid', match: 'E_KEY_GONE' }]));
writeFileSync(path.join(site, 'logs/api.log'), '192.0.2.5 - - [12/Mar/2026:10:00:07 +0000] "GET /v1/items HTTP/1.1" 401 5 "-" "curl/8"\n');
writeFileSync(path.join(site, 'logs/app.log'), '{"level":50,"time":1773309607000,"req":{"method":"GET","url":"/v1/items","remoteAddress":"192.0.2.5"},"msg":"rejected: E_KEY_GONE"}\n');
writeFileSync(path.join(site, 'logscan.config.json'), JSON.stringify({
  '// note': 'site defaults for the cron job',
  tz: 'UTC',
  failOn: ['cause:brute_force>0'],
  by: ['path'],
  top: 3,
  rules: 'rules.json',
  formats: [{ match: 'logs/edge/*.log', logFormat: CUSTOM }],
}, null, 2));

const formatsOf = (json: string) => JSON.parse(json).inputs.map((i: { name: string; format: string; malformed: number }) => [path.basename(i.name), i.format, i.malformed]);

describe('logscan.config.json', () => {
  it('is read from the current directory: defaults, thresholds and a format per input glob', () => {
    const r = runCli(['analyze', 'logs/access.log', 'logs/edge/edge.log', '-o', 'json'], { cwd: site });
    expect(r.stderr).toBe('logscan: --fail-on tripped: cause:brute_force>0 (22)\n');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(formatsOf(r.stdout)).toEqual([['access.log', 'combined', 0], ['edge.log', 'custom', 0]]);
    expect(j.tables.map((t: { name: string; rows: unknown[] }) => [t.name, t.rows.length])).toEqual([['path', 3]]);
  });

  it('the command line wins over it', () => {
    const r = runCli(['analyze', 'logs/access.log', '--by', 'ip', '--top', '1', '--fail-on', 'total>1000', '-o', 'csv'], { cwd: site });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('dimension,value,count,share,errorBound\r\nip,203.0.113.66,22,0.6875,0\r\n');
  });

  it('--config FILE from elsewhere reads globs and rules relative to the config file', () => {
    const r = runCli(['analyze', path.join(site, 'logs/edge/edge.log'), path.join(site, 'logs/api.log'), path.join(site, 'logs/app.log'),
      '--config', path.join(site, 'logscan.config.json'), '--by', 'cause', '--top', '20', '-o', 'json']);
    expect(r.code).toBe(0);
    expect(formatsOf(r.stdout)).toEqual([['edge.log', 'custom', 0], ['api.log', 'combined', 0], ['app.log', 'json', 0]]);
    const causes = JSON.parse(r.stdout).tables[0].rows.map((x: { values: string[] }) => x.values[0]);
    expect(causes).toContain('api_key_invalid');
  });

  it('--no-config ignores it; formats --test uses its per-glob format', () => {
    const plain = runCli(['analyze', 'logs/edge/edge.log', '--no-config', '-o', 'json'], { cwd: site });
    expect(plain.code).toBe(0);
    expect(formatsOf(plain.stdout)).toEqual([['edge.log', 'combined', 0]]);
    const test = runCli(['formats', '--test', 'logs/edge/edge.log', '-n', '1'], { cwd: site });
    expect(test.stdout).toContain('Format: custom (given with --log-format) — explains 21 of 21 sample lines');
  });

  it('a bad config stops the run with exit 2, naming the file and key', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'logscan-config-bad-'));
    writeFileSync(path.join(dir, 'logscan.config.json'), '{"bruteForceCount": 0}');
    const r = runCli(['analyze', path.join(site, 'logs/access.log')], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${path.join(dir, 'logscan.config.json')}: "bruteForceCount": expected a positive whole number, got 0`);
  });
});

describe('loadConfig', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'logscan-config-unit-'));
  const load = (text: string) => {
    const file = path.join(dir, 'c.json');
    writeFileSync(file, text);
    return loadConfig(file);
  };

  it.each([
    ['{"tz": "Mars/Olympus"}', '"tz": unknown time zone "Mars/Olympus"'],
    ['{"top": "ten"}', '"top": expected a number, got "ten"'],
    ['{"log-format": "combined"}', '"log-format": unknown key; did you mean "logFormat"?'],
    ['{"colour": true}', '"colour": unknown key; keys: logFormat, jsonField'],
    ['{"failOn": "rate>5"}', '"failOn": cannot use "rate>5": rate is a percentage'],
    ['{"failOn": [1]}', '"failOn": expected a string or a list of strings, got [1]'],
    ['{"jsonField": {"bogus": "x"}}', '"jsonField": unknown field "bogus"'],
    ['{"jsonField": ["requestId=rid"]}', '"jsonField": expected an object of NAME: "dotted.path" strings'],
    ['{"status": "999x"}', '"status":'],
    ['{"since": "yesterday"}', '"since": cannot read "yesterday"'],
    ['{"output": "xml"}', '"output": "xml" is not one of table, csv, json, ndjson'],
    ['{"formats": {"match": "*.log"}}', '"formats": expected a list'],
    ['{"formats": [{"logFormat": "combined"}]}', '"formats[0]": "match" must be a glob string'],
    ['{"formats": [{"match": "*.log"}]}', '"formats[0]": give "logFormat" or "jsonField"'],
    ['{"formats": [{"match": "*.log", "logFormat": "nonsense"}]}', '"formats[0]": "nonsense" is neither a preset'],
    ['{"formats": [{"match": "*.log", "format": "combined"}]}', '"formats[0]": unknown key "format"'],
    ['[1, 2]', 'expected a JSON object of settings'],
    ['{tz', 'not valid JSON'],
  ])('%s is rejected: %s', (text, message) => {
    expect(() => load(text)).toThrow(UsageError);
    expect(() => load(text)).toThrow(message);
  });

  it('command-line --json-field entries replace the config\'s of the same name, also inside formats', () => {
    const cfg = load(JSON.stringify({ jsonField: { requestId: 'rid', status: 'code' }, formats: [{ match: '*.log', jsonField: { ip: 'client' } }] }));
    const merged = mergeConfig({ inputs: ['x'], jsonField: ['status=res.code'] }, cfg);
    expect(merged.jsonField).toEqual(['requestId=rid', 'status=code', 'status=res.code']);
    expect([...(merged.inputFormats?.[0].jsonFields ?? [])]).toEqual([['requestId', 'rid'], ['status', 'res.code'], ['ip', 'client']]);
  });
});
