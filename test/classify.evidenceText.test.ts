import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVIDENCE_TEXT } from '../src/classify/evidenceText.js';
import { BUILTIN_RULES } from '../src/classify/rules.js';
import { ROOT, runCli } from './support/cli.js';

/**
 * --lang ja: the sentences logscan writes as evidence are Japanese; what the
 * logs say (messages, addresses, header values) is quoted as it is.
 */
const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;
/** Words of logscan's own English evidence (pattern sentences, rule sentences, the request-id note). */
const ENGLISH_SENTENCE = /\b(later|earlier|failed requests|clients failed|carried on|served from cache|preflight failed|was sent and refused|credentials were sent|no error code|first step of|the edge log|this line)\b|\(request /;

function evidenceOf(lang: string): string[] {
  const out: string[] = [];
  const base = path.join(ROOT, 'fixtures/scenarios');
  for (const name of readdirSync(base)) {
    const dir = path.join(base, name);
    const logs = readdirSync(dir).filter((f) => f.endsWith('.log')).map((f) => path.join(dir, f));
    const r = runCli(['analyze', ...logs, '--events', '-o', 'ndjson', '--lang', lang, '--tz', 'UTC']);
    expect(r.code, r.stderr).toBeLessThanOrEqual(1);
    for (const line of r.stdout.split('\n')) {
      if (line.trim() === '') continue;
      out.push(...((JSON.parse(line) as { evidence?: string[] }).evidence ?? []));
    }
  }
  return out;
}

describe('evidence in the report\'s language', () => {
  it('every built-in rule that says more than the value it quotes says it in English and Japanese, {value} kept', () => {
    for (const r of BUILTIN_RULES) {
      const words = typeof r.evidence === 'string' ? r.evidence.replace('{value}', '').replace('WWW-Authenticate:', '').trim() : '';
      expect(words, `${r.id}: its own words need a Japanese text`).toBe('');
      if (typeof r.evidence !== 'string') {
        expect(r.evidence.ja, r.id).toMatch(JAPANESE);
        expect(r.evidence.ja.includes('{value}'), r.id).toBe(r.evidence.en.includes('{value}'));
      }
    }
  });

  it('every pattern sentence has its values in both languages, and Japanese words in ja', () => {
    const samples = (t: (typeof EVIDENCE_TEXT)['en']) => [
      t.bruteForce(12, '203.0.113.9', 60, 3), t.spraying(7, 'mei', 60), t.refreshed('/oauth/token', 4),
      t.handshake(200, '/ews/', '0.5'), t.notSticky('10.0.0.1:80', 5, '10.0.0.2:80'), t.refused('Basic'), t.stripped,
      t.withRequest('app.log:3', 'r-77'), t.thisLine,
    ];
    const en = samples(EVIDENCE_TEXT.en);
    const ja = samples(EVIDENCE_TEXT.ja);
    for (let i = 0; i < en.length; i++) {
      expect(ja[i]).toMatch(JAPANESE);
      expect(en[i]).not.toMatch(JAPANESE);
      for (const value of ['203.0.113.9', 'mei', '/oauth/token', '/ews/', '10.0.0.2:80', 'Basic', 'app.log:3', 'r-77']) {
        expect(ja[i].includes(value), `${ja[i]} / ${value}`).toBe(en[i].includes(value));
      }
    }
  });

  it('end to end over the fixtures: no English sentence of logscan\'s own under --lang ja, the log lines quoted the same', () => {
    const en = evidenceOf('en');
    const ja = evidenceOf('ja');
    expect(ja.length).toBe(en.length);
    // The fixtures exercise the pattern and rule sentences: English has them, Japanese does not.
    expect(en.filter((e) => ENGLISH_SENTENCE.test(e)).length).toBeGreaterThan(10);
    expect(ja.filter((e) => ENGLISH_SENTENCE.test(e))).toEqual([]);
    expect(ja.filter((e) => JAPANESE.test(e)).length).toBe(en.filter((e) => ENGLISH_SENTENCE.test(e)).length);
    // A quoted message is the log's own text in both.
    const quoted = (e: string) => e.slice(e.indexOf(': "'));
    expect(ja.filter((e) => e.includes(': "')).map(quoted).sort()).toEqual(en.filter((e) => e.includes(': "')).map(quoted).sort());
  });
});
