import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SignedCheckpoint } from '../checkpoint.js';

/**
 * The latest checkpoint this process signed for each chain, kept in a file beside its key,
 * off the database. The checkpoints table is in the database, so someone who can cut rows
 * off a chain's tail can delete the checkpoints that cover them as well; this copy still
 * says how far each chain reached, and its signatures are checked like any checkpoint's.
 */
export class CheckpointJournal {
  private latest = new Map<string, SignedCheckpoint>();

  constructor(private readonly path: string) {
    this.latest = read(path);
  }

  get(chain: string): SignedCheckpoint | undefined {
    return this.latest.get(chain);
  }

  all(): SignedCheckpoint[] {
    return [...this.latest.values()];
  }

  /** Keeps each chain's highest checkpoint; written whole to a new file, then renamed over. */
  record(checkpoints: readonly SignedCheckpoint[]): void {
    let changed = false;
    for (const checkpoint of checkpoints) {
      const held = this.latest.get(checkpoint.chain);
      if (held !== undefined && held.chainSeq >= checkpoint.chainSeq) continue;
      this.latest.set(checkpoint.chain, checkpoint);
      changed = true;
    }
    if (!changed) return;
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify({ version: 1, checkpoints: this.all() }), { mode: 0o600 });
    renameSync(temporary, this.path);
  }
}

function read(path: string): Map<string, SignedCheckpoint> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw error;
  }
  const parsed = JSON.parse(text) as { checkpoints?: SignedCheckpoint[] };
  return new Map((parsed.checkpoints ?? []).map((c) => [c.chain, c]));
}
