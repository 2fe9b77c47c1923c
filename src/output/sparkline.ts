/**
 * A compact sparkline for a terminal cell: one block character per bucket
 * (buckets are summed in runs when there are more than `width`), scaled to
 * the largest; an empty bucket is a space, any non-empty one at least "▁".
 */
const BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

export function sparkline(counts: readonly number[], width = 48): string {
  if (counts.length === 0) return '';
  const per = Math.ceil(counts.length / Math.max(1, width));
  const cells: number[] = [];
  for (let i = 0; i < counts.length; i += per) {
    let sum = 0;
    for (let j = i; j < Math.min(counts.length, i + per); j++) sum += counts[j];
    cells.push(sum);
  }
  const max = Math.max(...cells);
  return cells.map((n) => (n === 0 ? ' ' : BLOCKS[Math.max(0, Math.ceil((n / max) * BLOCKS.length) - 1)])).join('');
}

/** How many buckets one character of sparkline(counts, width) stands for. */
export function bucketsPerCell(n: number, width = 48): number {
  return Math.max(1, Math.ceil(n / Math.max(1, width)));
}
