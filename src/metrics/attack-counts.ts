/** What one attacker leaves behind in a run, for the metrics (attack.ts); times are seconds after t0. */
export interface AttackCounts {
  /** Exploit requests sent. */
  attempts: number;
  /** Every request sent (fingerprint: probes too). */
  requests: number;
  /** First compromise (the chain's last stage held); NaN if none within the horizon. */
  compromisedAt: number;
  /** Footholds gained. */
  footholds: number;
  /** Sum over footholds of their lifetime, up to the horizon. */
  footholdSeconds: number;
  maxFootholds: number;
  /** First time each stage was held; NaN if never. */
  stageTimes: number[];
  horizon: number;
}

