import type { ScenarioOptions } from './model.js';

/**
 * The generated scenarios the tests run: together they cover every access
 * format, both request-id modes, every app and error-log style, clock
 * offsets both ways, sorted and jittered app lines, every input order, split
 * edge logs, app response lines and a non-UTC server zone. The first and the
 * nginx_json one can show every cause.
 */
export const SCENARIOS: readonly (Partial<ScenarioOptions> & { seed: number; name: string })[] = [
  { name: 'nginx-custom-ids', seed: 101, access: 'nginx_custom', requestIds: true, app: 'pino', clockOffsetMs: 250 },
  { name: 'nginx-custom-no-ids', seed: 202, access: 'nginx_custom', requestIds: false, app: 'winston', clockOffsetMs: -700, appOrder: 'jittered', inputOrder: 'error-app-access' },
  { name: 'nginx-combined', seed: 303, access: 'nginx_combined', requestIds: false, app: 'pino', clockOffsetMs: 600, inputOrder: 'app-access-error' },
  { name: 'apache-ids-spring', seed: 404, access: 'apache_combined', requestIds: true, app: 'logback', clockOffsetMs: -300, inputOrder: 'shuffled' },
  { name: 'apache22-no-ids', seed: 505, access: 'apache_combined', requestIds: false, app: 'pino', errorLog: 'apache22', clockOffsetMs: 850, appOrder: 'jittered' },
  { name: 'nginx-json-two-edges-tokyo', seed: 606, access: 'nginx_json', requestIds: true, app: 'logback', splitAccess: true, tz: '+09:00', inputOrder: 'shuffled', clockOffsetMs: 400 },
  { name: 'nginx-custom-app-responses', seed: 707, access: 'nginx_custom', requestIds: true, app: 'pino', appAccessLines: true, clockOffsetMs: -900, appOrder: 'jittered' },
  { name: 'nginx-combined-app-responses', seed: 808, access: 'nginx_combined', requestIds: false, app: 'winston', appAccessLines: true, clockOffsetMs: 500 },
];
