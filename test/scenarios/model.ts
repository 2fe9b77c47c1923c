import type { Cause } from './causes.js';
import type { AppMsg } from './messages.js';

/** The knobs of a generated scenario (see generate.ts for what each one changes). */
export type AccessFormat = 'nginx_combined' | 'nginx_custom' | 'nginx_json' | 'apache_combined';
export type AppStyle = 'pino' | 'winston' | 'logback';
export type ErrorStyle = 'nginx' | 'apache24' | 'apache22';
export type InputOrder = 'access-app-error' | 'app-access-error' | 'error-app-access' | 'shuffled';

export interface ScenarioOptions {
  seed: number;
  access: AccessFormat;
  /** Request ids in the access log and the app log (ignored for nginx_combined, which has no field for one). */
  requestIds: boolean;
  app: AppStyle;
  /** Defaults to nginx for nginx formats, apache24 for Apache. */
  errorLog: ErrorStyle;
  /** Offset of the app host's clock against the web server's, ms (keep |x| < 1000). */
  clockOffsetMs: number;
  /** App lines in time order, or locally out of order as several workers write them. */
  appOrder: 'sorted' | 'jittered';
  inputOrder: InputOrder;
  /** Two edge servers behind a load balancer: edge-a.log and edge-b.log instead of access.log. */
  splitAccess: boolean;
  /** The app also logs each response it sends (pino-http / express-winston "request completed"). */
  appAccessLines: boolean;
  /** Background (non-401) requests. */
  background: number;
  /** Incidents per cause (brute-force bursts: one per three). */
  incidents: number;
  /** Zone the web server writes its local times in; passed to the CLI as --tz. */
  tz: 'UTC' | '+09:00';
  /** Scenario start, ISO 8601. */
  start: string;
}

/** One HTTP request as the edge server saw it. */
export interface Req {
  /** True start time, ms (web server clock). */
  start: number;
  /** Duration, ms. */
  dur: number;
  ip: string;
  user?: string;
  method: string;
  target: string;
  proto: string;
  status: number;
  bytes: number;
  referer?: string;
  ua: string;
  host: string;
  reqId: string;
  upstream?: string;
  upstreamStatus?: string;
  cache?: string;
  wwwAuth?: string;
  /** The raw Authorization header the client sent (test data: token-shaped, not real). */
  authorization?: string;
  /** Which edge server logged it (splitAccess). */
  edge: number;
  /** Set on 401s: the true cause and how it shows. */
  cause?: Cause;
  detail?: string;
}

export interface LineRef {
  file: string;
  line: number;
}

export interface AppLine {
  /** App clock, ms. */
  time: number;
  req: Req;
  m: AppMsg;
  /** Carries the request's id (false: the app never saw it, or logs its own numbering). */
  withReqId: boolean;
  /** A "request completed" line with the status (appAccessLines). */
  completion?: boolean;
  ref?: LineRef;
  signal: boolean;
}

export interface ErrLine {
  /** Web server clock, ms. */
  time: number;
  level: string;
  /** Apache 2.4 module (auth_basic, core ...). */
  module: string;
  text: string;
  req: Req;
  ref?: LineRef;
  signal: boolean;
}

/** truth.json: what the CLI should say about each 401, by the input:line it will report. */
export interface Truth {
  version: 1;
  description: string;
  /** CLI arguments after the inputs (--tz, --log-format ...). */
  args: string[];
  /** Inputs in the order they are passed, relative to the scenario folder (the CLI runs there). */
  inputs: string[];
  /** input:line of each 401 -> its cause. */
  events: Record<string, Cause>;
  /** Other lines that log the same 401 (an app's own response line): input:line -> the events key. */
  aliases: Record<string, string>;
  /** input:line of a 401 -> the app and error lines that carry its cause signal. */
  links: Record<string, string[]>;
  /** input:line -> how the cause shows (library and wording), for reading misses. */
  details: Record<string, string>;
  options?: ScenarioOptions;
}
