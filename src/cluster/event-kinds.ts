/** Event kinds of the cluster model, for fingerprints and traces. */
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
} as const;
