import type { CommandModule } from 'yargs';
import { ACCESS_PRESETS } from '../formats/presets.js';

/** `logscan formats`: the presets and the format strings they stand for. */
export const formatsCommand: CommandModule = {
  command: 'formats',
  describe: 'List the built-in log formats',
  handler: () => {
    const lines = ACCESS_PRESETS.map((p) => `${p.name.padEnd(16)} ${p.description}\n${' '.repeat(17)}${p.format}`);
    lines.push(
      `${'json'.padEnd(16)} JSON lines (pino, bunyan, winston, ECS, caddy, nginx escape=json); --json-field NAME=path overrides`,
      `${'nginx_error'.padEnd(16)} nginx error.log`,
      `${'apache_error'.padEnd(16)} Apache error_log (2.2 and 2.4)`,
    );
    process.stdout.write(`${lines.join('\n')}\n`);
  },
};
