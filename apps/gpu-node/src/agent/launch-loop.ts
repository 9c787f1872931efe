import type { JobDispatch, KernelInputs } from '@voxelfleet/contracts';
import type { Outcome } from './job-outcome.js';
import type { KernelCall } from './kernel-call.js';
import type { RunControl, Stopped } from './run-control.js';

export type LaunchResult = { ok: true; output: KernelInputs } | { ok: false; outcome: Outcome };

export type LoopEnd =
  | { kind: 'done'; output: KernelInputs; launchesDone: number }
  | { kind: 'failed'; outcome: Outcome }
  | { kind: 'stopped'; stopped: Stopped };

/**
 * A job's launches, back to back: each after the first takes the previous launch's outputs as
 * inputs of the same name, so an iterative kernel carries its state from launch to launch. A
 * run resumed from a checkpoint starts at the launch after the checkpoint's, with its inputs
 * (`first` is the call decoded from them). Between two launches the run's control may stop it.
 */
export async function runLaunches(args: {
  job: Pick<JobDispatch, 'inputs' | 'launches' | 'checkpoint'>;
  first: KernelCall;
  decode: (inputs: KernelInputs) => KernelCall;
  launch: (call: KernelCall) => Promise<LaunchResult>;
  control: RunControl;
}): Promise<LoopEnd> {
  const { job, control } = args;
  const total = Math.max(1, job.launches ?? 1);
  let done = job.checkpoint?.launchesDone ?? 0;
  let inputs: KernelInputs = job.checkpoint?.inputs ?? job.inputs;
  let call = args.first;
  let output: KernelInputs = {};
  while (done < total) {
    const stopped = control.atBoundary(done, inputs);
    if (stopped) return { kind: 'stopped', stopped };
    const result = await args.launch(call);
    if (!result.ok) return { kind: 'failed', outcome: result.outcome };
    output = result.output;
    done += 1;
    // A turn of the event loop between launches: launches that complete as microtasks would
    // otherwise hold it, and with it the node's heartbeats and the stop this loop waits for.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (done < total) {
      inputs = { ...inputs, ...output };
      call = args.decode(inputs);
    }
  }
  return { kind: 'done', output, launchesDone: done };
}
