import type { KeyObject } from 'node:crypto';
import { CheckpointJournal, keyIdOf, loadEd25519PrivateKey, loadOrCreateSigningKey } from '@voxelfleet/audit';
import type { Logger } from 'pino';
import type { GatewaySettings } from '../gateway.settings.js';

export const AUDIT_SIGNING = Symbol('AUDIT_SIGNING');

/** The key that signs audit checkpoints, and the journal of what it signed (both off the database). */
export interface AuditSigning {
  key: KeyObject;
  keyId: string;
  journal: CheckpointJournal;
}

/**
 * AUDIT_SIGNING_KEY when given; otherwise the key in AUDIT_SIGNING_KEY_FILE, made on the
 * first start. Either way checkpoints are signed by default, so rows cut off a chain's tail
 * are caught once a checkpoint covers them.
 */
export function resolveAuditSigning(settings: GatewaySettings, logger: Logger): AuditSigning {
  const journal = new CheckpointJournal(settings.auditCheckpointJournal);
  if (settings.auditSigningKey !== undefined) {
    const key = loadEd25519PrivateKey(settings.auditSigningKey);
    return { key, keyId: keyIdOf(key), journal };
  }
  const { key, keyId, created } = loadOrCreateSigningKey(settings.auditSigningKeyFile);
  if (created) {
    logger.warn(
      { keyId, path: settings.auditSigningKeyFile },
      'first start: an audit signing key was created; keep a copy off the database host (see the gateway README)',
    );
  }
  return { key, keyId, journal };
}
