import { createRequire } from 'node:module';

/**
 * Libraries that only some runs need (YAML rules files, glob patterns) are
 * loaded on first use: importing them up front costs about 50 ms each of
 * every run's start-up, which is most of a small cron run.
 */
const require = createRequire(import.meta.url);

export function yamlModule(): typeof import('yaml') {
  return require('yaml') as typeof import('yaml');
}

export function fastGlob(): typeof import('fast-glob') {
  return require('fast-glob') as typeof import('fast-glob');
}
