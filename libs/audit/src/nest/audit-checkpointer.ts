import type { DataSource } from 'typeorm';
import type { KeyInput } from '../ed25519-keys.js';
import { loadEd25519PrivateKey } from '../ed25519-keys.js';
import { signCheckpoint } from '../checkpoint.js';
import { insertCheckpoint, listChainHeads } from './audit-store.js';

/**
 * Signs the head of every chain that moved since its last checkpoint. A checkpoint pins the
 * chain up to that entry, so rows later cut off the tail, or a re-hashed suffix, are caught
 * by verification even though the hash links alone cannot catch them.
 */
export class AuditCheckpointer {
  private readonly key;

  constructor(
    private readonly dataSource: DataSource,
    privateKey: KeyInput,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.key = loadEd25519PrivateKey(privateKey);
  }

  /** Returns how many checkpoints it wrote. */
  async checkpointAll(): Promise<number> {
    const heads = await listChainHeads(this.dataSource.manager);
    const latest: { chain: string; chain_seq: string }[] = await this.dataSource.query(
      `SELECT DISTINCT ON (chain) chain, chain_seq FROM audit_checkpoints ORDER BY chain, chain_seq DESC`,
    );
    const signedUpTo = new Map(latest.map((row) => [row.chain, Number(row.chain_seq)]));
    let written = 0;
    for (const head of heads) {
      if ((signedUpTo.get(head.chain) ?? 0) >= head.chainSeq) continue;
      const checkpoint = signCheckpoint(
        { chain: head.chain, chainSeq: head.chainSeq, hash: head.hash, at: this.clock().toISOString() },
        this.key,
      );
      if (await insertCheckpoint(this.dataSource.manager, checkpoint)) written += 1;
    }
    return written;
  }
}
