/**
 * Every event kind of the model, in one registry: the number each event
 * carries into the fingerprint (and traces). The engine knows none of them;
 * the cluster's are 1-99, the workloads' 100-199, the attackers' 200-299.
 * A new kind gets a new number: a number reused would let two different
 * runs share a fingerprint.
 */
export const Kind = {
  podCreate: 1,
  podReady: 2,
  podListen: 3,
  podGone: 4,
  sliceChange: 5,
  controllerSync: 6,
  balancerReload: 7,
  proxySync: 8,
  diversifierTick: 9,
  requestAtIngress: 10,
  tryAtPod: 11,
  tryFailedAtIngress: 12,
  tryTimeout: 13,
  serviceDone: 14,
  responseAtIngress: 15,
  responseAtClient: 16,
  killedAtIngress: 17,
  requestAtNode: 18,
  rotation: 19,
  podSigterm: 20,
  // A request leaves its client at an event of its own: later than it was made, when kube-proxy picks or a drawn hop is drawn then.
  requestSent: 21,
  // The test script: a thread's pace wait is over (only when it does not hear ahead: tests); the last response arrived.
  threadNext: 100,
  scriptEnd: 101,
  // Clients and arrivals.
  clientTimeout: 110,
  nextRequest: 111,
  stopSending: 112,
  // Attackers.
  attackAttempt: 200,
  attackInstall: 201,
} as const;
