/** The four services of the suite; used as the `app` label on metrics and in logs. */
export const APP_NAMES = ['gateway', 'scheduler', 'gpu-node', 'tracker'] as const;
export type AppName = (typeof APP_NAMES)[number];

/** Default HTTP ports, one per app, so all four can run side by side on one machine. */
export const DEFAULT_PORTS: Readonly<Record<AppName, number>> = {
  gateway: 3000,
  scheduler: 3001,
  'gpu-node': 3002,
  tracker: 3003,
};
