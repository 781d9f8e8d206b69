/**
 * Bounds that keep runs finite and the clock exact: a duration above
 * maxSeconds (11.6 days) is a typo, and with every duration below it a
 * replication's simulated time stays far below 2^53 microseconds, so
 * events 1 microsecond apart keep their order.
 */
export const maxSeconds = 1_000_000;
/** Intervals of repeated actions (rotation, polls, probes): shorter ones would only fill the event queue. */
export const minInterval = 0.001;
/** More records than this cannot finish within the default maxEvents (each takes several events). */
export const maxRecords = 10_000_000;
