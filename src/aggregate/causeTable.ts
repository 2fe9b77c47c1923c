import { ClientSet } from './clientSet.js';
import type { Finding } from './finding.js';
import { routeOf } from './routes.js';
import { SpaceSaving } from './spaceSaving.js';

/**
 * The cause table: per cause, the count, its share, distinct clients and
 * the top paths. Distinct clients are counted exactly up to a cap, then
 * reported as "at least". Memory: causes x (cap + path summary capacity);
 * the clients are an exact set of 8 to 16 bytes per IPv4 client (ClientSet).
 */
export interface CauseRow {
  cause: string;
  count: number;
  share: number;
  clients: number;
  clientsCapped: boolean;
  topPaths: { path: string; count: number }[];
  examples: string[];
}

const CLIENT_CAP = 100000;
const PATH_CAPACITY = 1000;

interface Acc { count: number; clients: ClientSet; capped: boolean; paths: SpaceSaving; examples: string[] }

export class CauseTable {
  private readonly byCause = new Map<string, Acc>();
  constructor(private readonly rawPaths: boolean) {}

  add(f: Finding): void {
    let a = this.byCause.get(f.cause);
    if (!a) {
      a = { count: 0, clients: new ClientSet(), capped: false, paths: new SpaceSaving(PATH_CAPACITY), examples: [] };
      this.byCause.set(f.cause, a);
    }
    a.count++;
    const ip = f.record.ip;
    if (ip !== undefined && !a.capped) {
      a.clients.add(ip);
      if (a.clients.size >= CLIENT_CAP) a.capped = true;
    }
    const path = f.record.path;
    a.paths.add(path === undefined ? '-' : this.rawPaths ? path : routeOf(path));
    if (a.examples.length < 1 && f.evidence.length > 0) a.examples.push(f.evidence[0]);
  }

  result(matched: number, topPaths = 3): CauseRow[] {
    return [...this.byCause.entries()]
      .map(([cause, a]) => ({
        cause,
        count: a.count,
        share: matched > 0 ? a.count / matched : 0,
        clients: a.clients.size,
        clientsCapped: a.capped,
        topPaths: a.paths.top(topPaths).map((h) => ({ path: h.key, count: h.count })),
        examples: a.examples,
      }))
      .sort((x, y) => y.count - x.count || (x.cause < y.cause ? -1 : 1));
  }
}
