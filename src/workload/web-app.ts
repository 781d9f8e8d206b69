/**
 * The application behind the clients and arrivals workloads: a web server
 * that answers every request it serves with 200 (failures come from the
 * cluster: refused, reset, timed out, killed, noise).
 */
import type { Application } from '../cluster/request.ts';

export class WebApplication implements Application {
  serve(): number {
    return 200;
  }
}
