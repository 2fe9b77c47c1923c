import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRulesFile } from '../src/classify/loadRules.js';
import { BUILTIN_RULES } from '../src/classify/rules.js';
import { RuleSet, strongest } from '../src/classify/ruleSet.js';

const dir = mkdtempSync(path.join(tmpdir(), 'logscan-rules-'));
const write = (name: string, text: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('--rules files', () => {
  it('loads YAML rules that then win over built-in ones', () => {
    const file = write('r.yaml', 'rules:\n  - cause: api_key_invalid\n    match: "E_KEY_GONE"\n  - cause: cdn_cached\n    field: cacheStatus\n    match: "^EDGE_HIT$"\n    strength: 0.99\n');
    const extra = loadRulesFile(file);
    expect(extra).toHaveLength(2);
    const set = new RuleSet([...extra, ...BUILTIN_RULES]);
    expect(strongest(set.messageCandidates('auth failed: E_KEY_GONE (invalid token)', 'app.log:3'))?.cause).toBe('api_key_invalid');
    expect(strongest(set.responseCandidates({ kind: 'access', input: 'a', line: 1, time: 0, cacheStatus: 'EDGE_HIT' }))?.cause).toBe('cdn_cached');
  });

  it('loads a JSON list', () => {
    const file = write('r.json', JSON.stringify([{ id: 'mine', cause: 'account_locked', match: 'ACCT_FROZEN' }]));
    expect(loadRulesFile(file)[0]).toMatchObject({ id: 'mine', cause: 'account_locked', field: 'message' });
  });

  it.each([
    ['bad-cause.json', JSON.stringify([{ cause: 'aliens', match: 'x' }]), /rule 1: "cause" must be one of/],
    ['bad-re.json', JSON.stringify([{ cause: 'unknown', match: '(' }]), /rule 1: "match" is not a valid regular expression/],
    ['bad-field.json', JSON.stringify([{ cause: 'unknown', match: 'x', field: 'cookie' }]), /"field" must be one of/],
    ['bad-strength.json', JSON.stringify([{ cause: 'unknown', match: 'x', strength: 3 }]), /"strength" must be a number/],
    ['not-list.json', JSON.stringify({ a: 1 }), /expected a list of rules/],
    ['broken.yaml', 'rules: [', /not valid YAML/],
  ])('rejects %s with a message naming the problem', (name, text, message) => {
    expect(() => loadRulesFile(write(name, text))).toThrow(message);
  });

  it('names a missing file', () => {
    expect(() => loadRulesFile(path.join(dir, 'nope.yaml'))).toThrow(/nope\.yaml: no such file/);
  });
});
