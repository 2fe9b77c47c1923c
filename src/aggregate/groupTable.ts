import { dimensionKey, type DimensionName, type DimensionOptions, type KeyOf } from './dimensions.js';
import type { Finding } from './finding.js';
import { SpaceSaving } from './spaceSaving.js';

/**
 * Counts findings by one dimension, or by several joined ("path+ip").
 * Memory is bounded by the Space-Saving capacity, whatever the cardinality.
 */
export interface GroupRow {
  values: string[];
  count: number;
  /** Share of all matching responses, 0..1. */
  share: number;
  /** Upper bound of over-count when the summary is approximate; 0 when exact. */
  error: number;
}

export interface GroupResult {
  name: string;
  dimensions: DimensionName[];
  rows: GroupRow[];
  /** Distinct keys seen (a lower bound once approximate). */
  distinct: number;
  exact: boolean;
}

const SEP = '\u0000';

export class GroupTable {
  readonly name: string;
  private readonly keyOf: KeyOf;
  private readonly summary: SpaceSaving;

  constructor(readonly dimensions: DimensionName[], opts: DimensionOptions, capacity: number) {
    this.name = dimensions.join('+');
    const keys = dimensions.map((d) => dimensionKey(d, opts));
    this.keyOf = keys.length === 1 ? keys[0] : (f) => keys.map((k) => k(f)).join(SEP);
    this.summary = new SpaceSaving(capacity);
  }

  add(f: Finding): void {
    this.summary.add(this.keyOf(f));
  }

  result(top: number, matched: number): GroupResult {
    return {
      name: this.name,
      dimensions: this.dimensions,
      rows: this.summary.top(top).map((h) => ({
        values: h.key.split(SEP),
        count: h.count,
        share: matched > 0 ? h.count / matched : 0,
        error: h.error,
      })),
      distinct: this.summary.size,
      exact: this.summary.exact,
    };
  }
}
