import { describe, expect, it } from 'vitest';
import { layoutFactory } from '../src/formats/layout.js';
import { ACCESS_PRESETS } from '../src/formats/presets.js';
import { buildRegistry, presetLayout } from '../src/formats/registry.js';
import { UTC_ZONE } from '../src/formats/zone.js';
import { parseWith, plain } from './support/parse.js';

/**
 * Every access preset carries sample lines and the record each must give
 * (src/formats/presets.ts). Checking them all here means a preset cannot be
 * changed without its samples, nor its samples without the parser.
 */
const cases = ACCESS_PRESETS.flatMap((p) => p.samples.map((s, i) => ({ preset: p.name, i, line: s.line, expect: s.expect })));

describe('access presets', () => {
  it('are non-empty, uniquely named, each with at least one sample', () => {
    expect(ACCESS_PRESETS.length).toBeGreaterThan(0);
    expect(new Set(ACCESS_PRESETS.map((p) => p.name)).size).toBe(ACCESS_PRESETS.length);
    for (const p of ACCESS_PRESETS) {
      expect(p.samples.length, p.name).toBeGreaterThan(0);
      expect(p.description.length, p.name).toBeGreaterThan(0);
    }
  });

  it.each(cases)('$preset sample $i parses to its expected record', ({ preset, line, expect: want }) => {
    const factory = layoutFactory(presetLayout(preset)!, UTC_ZONE);
    const rec = parseWith(factory, line);
    expect(rec, `${preset} did not accept its own sample`).toBeDefined();
    expect(plain(rec)).toMatchObject(want as Record<string, unknown>);
    expect(rec?.kind).toBe('access');
  });

  it.each(cases)('$preset sample $i keeps its status and time in the cheap scan', ({ preset, line, expect: want }) => {
    const p = layoutFactory(presetLayout(preset)!, UTC_ZONE).create();
    expect(p.scan(line)).toBe(true);
    if (want.status !== undefined) expect(p.status()).toBe(want.status);
    if (want.time !== undefined) expect(p.time()).toBe(want.time);
  });

  it('are registered, in order, as the detection candidates', () => {
    const reg = buildRegistry({ zone: UTC_ZONE });
    expect(reg.all.slice(0, ACCESS_PRESETS.length).map((f) => f.name)).toEqual(ACCESS_PRESETS.map((p) => p.name));
    for (const p of ACCESS_PRESETS) expect(reg.byName.get(p.name)?.description).toBe(p.format);
  });

  it('take their allowTrailing from the preset table', () => {
    for (const p of ACCESS_PRESETS) expect(presetLayout(p.name)?.allowTrailing, p.name).toBe(p.allowTrailing);
    expect(presetLayout('no-such-preset')).toBeUndefined();
  });
});
