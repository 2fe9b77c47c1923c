import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A temporary folder for generated scenarios, removed at the end unless
 * LOGSCAN_KEEP_SCENARIOS=1 (then its path is printed, to rerun the CLI by hand:
 * `cd <dir>/<scenario> && node <repo>/bin/logscan.js analyze $(jq -r '.inputs[]' truth.json) ...`).
 */
export function scenarioWorkdir(label: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), `logscan-${label}-`));
  return {
    dir,
    cleanup: () => {
      if (process.env.LOGSCAN_KEEP_SCENARIOS === '1') console.log(`scenarios kept in ${dir}`);
      else rmSync(dir, { recursive: true, force: true });
    },
  };
}
