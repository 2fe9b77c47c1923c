import type { LogRecord } from '../record.js';

/**
 * A matching response and what the classifier concluded about it. Until the
 * classifier runs, cause is "unknown" with no evidence.
 */
export interface Finding {
  record: LogRecord;
  cause: string;
  confidence: number;
  evidence: string[];
  /** input:line of every other log line joined to this response. */
  correlated: string[];
}
