import { createPublicKey, type KeyObject } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { KeyInput } from '../ed25519-keys.js';
import { loadEd25519PrivateKey } from '../ed25519-keys.js';
import { signCheckpoint, type SignedCheckpoint } from '../checkpoint.js';
import type { CheckpointJournal } from '../node/checkpoint-journal.js';
import { insertCheckpoint, listChainHeads } from './audit-store.js';
import { verifyStoredChain, type ChainReport } from './audit-verifier.js';

export interface CheckpointRun {
  /** Checkpoints written to the database this run. */
  written: number;
  /** Chains found broken since their last checkpoint (not signed over). */
  broken: ChainReport[];
}

/**
 * Signs the head of every chain that moved since its last checkpoint. A checkpoint pins the
 * chain up to that entry, so rows later cut off the tail, or a re-hashed suffix, are caught
 * by verification even though the hash links alone cannot catch them.
 *
 * `run()` first verifies each chain from its last checkpoint (the journal's, off the
 * database, else the latest stored one) to its head, so a chain cut below its checkpoint, or
 * edited since, is reported (and never signed over) within one interval of the change.
 */
export class AuditCheckpointer {
  private readonly key: KeyObject;
  private readonly publicKey: KeyObject;

  constructor(
    private readonly dataSource: DataSource,
    privateKey: KeyInput,
    private readonly clock: () => Date = () => new Date(),
    private readonly journal?: CheckpointJournal,
  ) {
    this.key = loadEd25519PrivateKey(privateKey);
    this.publicKey = createPublicKey(this.key);
  }

  /** Returns how many checkpoints it wrote. */
  async checkpointAll(): Promise<number> {
    return (await this.run()).written;
  }

  async run(): Promise<CheckpointRun> {
    const manager = this.dataSource.manager;
    const heads = new Map((await listChainHeads(manager)).map((head) => [head.chain, head]));
    const latest: { chain: string; chain_seq: string }[] = await this.dataSource.query(
      `SELECT DISTINCT ON (chain) chain, chain_seq FROM audit_checkpoints ORDER BY chain, chain_seq DESC`,
    );
    const signedUpTo = new Map(latest.map((row) => [row.chain, Number(row.chain_seq)]));
    const chains = new Set([...heads.keys(), ...(this.journal?.all().map((c) => c.chain) ?? [])]);
    const written: SignedCheckpoint[] = [];
    const broken: ChainReport[] = [];
    for (const chain of chains) {
      const headSeq = heads.get(chain)?.chainSeq ?? 0;
      const kept = this.journal?.get(chain);
      const pinned = Math.max(kept?.chainSeq ?? 0, signedUpTo.get(chain) ?? 0);
      // Nothing new and nothing cut: this chain needs no work this round.
      if (pinned === headSeq && kept?.chainSeq === headSeq) continue;
      const report = await verifyStoredChain(manager, chain, {
        fromSeq: Math.max(1, Math.min(pinned, headSeq)),
        toSeq: Math.max(pinned, headSeq),
        trustedKeys: [this.publicKey],
        extraCheckpoints: kept === undefined ? [] : [kept],
      });
      // Checkpoints this key cannot vouch for (an earlier key's) are left out, not a break: a
      // chain is broken only by its rows or by the checkpoints this key signed.
      if (!report.result.ok) {
        broken.push(report);
        continue;
      }
      const head = heads.get(chain);
      if (head === undefined) continue;
      if ((signedUpTo.get(chain) ?? 0) >= head.chainSeq) {
        // Another process signed this head; this one keeps its own signed copy of the pin.
        if (kept?.chainSeq !== head.chainSeq) this.journal?.record([this.sign(head)]);
        continue;
      }
      const checkpoint = this.sign(head);
      if (await insertCheckpoint(manager, checkpoint)) written.push(checkpoint);
      this.journal?.record([checkpoint]);
    }
    return { written: written.length, broken };
  }

  private sign(head: { chain: string; chainSeq: number; hash: string }): SignedCheckpoint {
    return signCheckpoint(
      { chain: head.chain, chainSeq: head.chainSeq, hash: head.hash, at: this.clock().toISOString() },
      this.key,
    );
  }
}
