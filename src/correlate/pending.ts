import type { Finding } from '../aggregate/finding.js';
import type { LogRecord } from '../record.js';
import type { Candidate } from '../classify/ruleSet.js';

/**
 * A matching response waiting for classification, with everything the
 * correlator learned about it while the inputs were read.
 */
export interface EvidenceLine {
  source: string;
  time: number;
  ip?: string;
  user?: string;
  requestId?: string;
  path?: string;
  /** Rule matches of the line's message, computed once when it was read. */
  candidates: Candidate[];
}

export interface Pending {
  finding: Finding;
  /** Read from an application (JSON) log rather than a web server's access log. */
  fromApp: boolean;
  /** Other access lines of the same request (edge and upstream logs). */
  merged: LogRecord[];
  /** App and error lines joined by request id (byId) or by client and time. */
  joined: { line: EvidenceLine; byId: boolean }[];
  /**
   * Where reading the inputs one after the other, in the order they were named, meets this line
   * (input position x 2^32 + line): lines of one request are merged in this order whatever order
   * they were read in (several inputs are read together, by time).
   */
  rank?: number;
}
