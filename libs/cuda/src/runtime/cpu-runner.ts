import type { EvidenceRequest, EvidenceResult } from '@voxelfleet/contracts';

import {
  matmulF32Cpu,
  motionDiffCpu,
  reduceSumCpu,
  saxpyCpu,
  scanExclusiveCpu,
} from '../kernels/cpu-kernels.js';
import type { KernelRunner, MotionDiffRequest, MotionDiffResult } from '../kernels/kernel-types.js';
import { matmulReducedCpu } from '../kernels/matmul-reduced.js';
import { voxelEvidenceCpu } from '../kernels/voxel-evidence-cpu.js';

/** The built-in kernels on the CPU: the fallback path and what CI tests. */
export class CpuKernelRunner implements KernelRunner {
  readonly where = 'cpu';

  saxpy(a: number, x: Float32Array, y: Float32Array): Promise<Float32Array> {
    return Promise.resolve(saxpyCpu(a, x, y));
  }

  reduceSum(x: Float32Array): Promise<number> {
    return Promise.resolve(reduceSumCpu(x));
  }

  scanExclusive(x: Uint32Array): Promise<Uint32Array> {
    return Promise.resolve(scanExclusiveCpu(x));
  }

  matmulF32(a: Float32Array, b: Float32Array, m: number, n: number, k: number): Promise<Float32Array> {
    return Promise.resolve(matmulF32Cpu(a, b, m, n, k));
  }

  matmulTf32(a: Float32Array, b: Float32Array, m: number, n: number, k: number): Promise<Float32Array> {
    return Promise.resolve(matmulReducedCpu('tf32', a, b, m, n, k));
  }

  matmulBf16(a: Float32Array, b: Float32Array, m: number, n: number, k: number): Promise<Float32Array> {
    return Promise.resolve(matmulReducedCpu('bf16', a, b, m, n, k));
  }

  motionDiff(req: MotionDiffRequest): Promise<MotionDiffResult> {
    return Promise.resolve(motionDiffCpu(req));
  }

  voxelEvidence(req: EvidenceRequest): Promise<EvidenceResult> {
    return Promise.resolve(voxelEvidenceCpu(req));
  }
}
