import type { KernelInputs } from '@voxelfleet/contracts';
import type { KernelRunner } from '../kernel-types.js';

export interface DecodeLimits {
  /** Largest decoded input buffer, bytes. */
  maxInputBytes: number;
  /** Largest output the report may carry inline, bytes (predicted from the inputs). */
  maxOutputBytes: number;
}

/** What a run needs besides the runner: a CUDA lane's empty launch for `noop`. */
export interface RunContext {
  noop(): Promise<unknown>;
}

/**
 * Everything about one built-in kernel, in one place: its name, the inputs it reads (the wire
 * schema, see KernelInputs in libs/contracts for the encoding), how they are checked and
 * decoded, how the CPU and CUDA runners run it (both implement KernelRunner, and one test
 * suite, kernel-cases.ts, checks both), how its result travels back, and the size measures the
 * node's budgets use. A kernel is one such file plus its line in builtin-kernels.ts.
 *
 * Methods, not function-valued fields: a descriptor of one kernel is then usable where the
 * registry's union of calls is expected (each descriptor only ever sees its own calls).
 */
export interface KernelDescriptor<Call extends { kernel: string }, Result extends { kernel: string }> {
  readonly name: Call['kernel'];
  /** Each input field and what it holds; any other field is refused, as the HTTP edge refuses unknown fields. */
  readonly inputs: Readonly<Record<string, string>>;
  /** Checks and decodes the inputs; throws BadInputError naming the field and the reason. */
  decode(given: KernelInputs, limits: DecodeLimits): Call;
  run(runner: KernelRunner, call: Call, context: RunContext): Promise<Result>;
  /** The report's `output`: numbers inline, arrays as base64 typed arrays. */
  encode(result: Result): KernelInputs;
  /** The size measure the CPU budget predictor scales its measured nanoseconds-per-unit by. */
  workUnits(call: Call): number;
  /** Bytes the call's buffers take: its host working set and the default VRAM charge. */
  inputBytes(call: Call): number;
  /** Typed arrays the call carries, so a worker message can transfer instead of copying them. */
  buffers(call: Call): ArrayBufferView[];
}
