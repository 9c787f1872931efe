/** Injection tokens for what the platform module provides to every app. */
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');
export const APP_LOGGER = Symbol('APP_LOGGER');
export const READINESS_CHECKS = Symbol('READINESS_CHECKS');
export const APP_NAME = Symbol('APP_NAME');

/** A dependency whose failure makes the app not ready (database, transport, device...). */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

export const DATA_SOURCE = Symbol('DATA_SOURCE');
export const TRANSPORT = Symbol('TRANSPORT');
