import { canonicalJson, digestOf } from './canonical-json.js';

export type DecisionKind = 'admission' | 'placement' | 'preemption' | 'retry' | 'simulation' | 'failover';

/** One line of the decision log: enough to prove a replay chose the same thing. */
export interface DecisionRecord<TChoice = unknown> {
  readonly kind: DecisionKind;
  readonly atMs: number;
  readonly seed: number | string;
  readonly inputsDigest: string;
  readonly choice: TChoice;
  readonly reason: string;
  /** Tenant whose audit chain should receive this decision, when one is affected. */
  readonly tenantId?: string;
  /** Other tenants the decision touches (owners of preempted jobs); their chains get it too. */
  readonly affectedTenantIds?: readonly string[];
}

export function recordDecision<TChoice>(args: {
  kind: DecisionKind;
  atMs: number;
  seed: number | string;
  inputs: unknown;
  choice: TChoice;
  reason: string;
  tenantId?: string;
  affectedTenantIds?: readonly string[];
}): DecisionRecord<TChoice> {
  // Built in one go: every decision of every pass makes one, and most touch no other tenant.
  const affected = args.affectedTenantIds;
  const others =
    affected === undefined || affected.length === 0
      ? []
      : [...new Set(affected)].filter((id) => id !== args.tenantId).sort();
  return {
    kind: args.kind,
    atMs: args.atMs,
    seed: args.seed,
    inputsDigest: digestOf(args.inputs),
    choice: args.choice,
    reason: args.reason,
    ...(args.tenantId === undefined ? {} : { tenantId: args.tenantId }),
    ...(others.length === 0 ? {} : { affectedTenantIds: others }),
  };
}

export type ReplayVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly mismatch: 'inputs' | 'choice'; readonly detail: string };

/**
 * Checks a logged decision against a re-run: the recorded inputs must digest the same, and
 * the decision function run on them with the recorded seed must choose the same thing.
 */
export function replayDecision<TInputs, TChoice>(
  record: DecisionRecord<TChoice>,
  inputs: TInputs,
  decide: (inputs: TInputs, seed: number | string) => TChoice,
): ReplayVerdict {
  const digest = digestOf(inputs);
  if (digest !== record.inputsDigest) {
    return {
      ok: false,
      mismatch: 'inputs',
      detail: `inputs digest ${digest} != recorded ${record.inputsDigest}`,
    };
  }
  const again = canonicalJson(decide(inputs, record.seed));
  const recorded = canonicalJson(record.choice);
  if (again !== recorded) {
    return { ok: false, mismatch: 'choice', detail: `replay chose ${again}, log has ${recorded}` };
  }
  return { ok: true };
}
