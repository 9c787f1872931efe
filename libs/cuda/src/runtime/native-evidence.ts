/**
 * The addon's one-call voxel.evidence step (native/evidence_step.cc), typed. Kept beside the
 * loader rather than in its addon interface: only CudaDevice calls it.
 */
import type { EvidenceRequest } from '@voxelfleet/contracts';

import type { GpuTiming, NativeAddon } from '../native.js';

/** What the native step reads: the request's grid and cameras, the cap, the scratch block. */
export interface NativeEvidenceSpec {
  dims: [number, number, number];
  origin: [number, number, number];
  voxelSize: number;
  minCameras: number;
  maxOut: number;
  cameras: EvidenceRequest['cameras'];
  scratch: number;
  scratchBytes: number;
  /** Count evaluated voxel-camera pairs, uncertain floors and float64 fallbacks (benchmarks). */
  stats?: boolean;
}

export interface NativeEvidenceStats {
  /** 8³-voxel cells the coarse pass kept. */
  cells: number;
  /** Voxel-camera pairs the fine pass evaluated. */
  pairs: number;
  /** Pairs whose float32 floor was within the error bound of a pixel edge. */
  ambiguous: number;
  /** Pairs evaluated in float64 (the contract's arithmetic). */
  fallback: number;
  /** Fine passes run again after more survivors than room. */
  reruns: number;
  /** Bytes of the one upload (camera table, pixel lists, byte masks). */
  uploadBytes: number;
  /** Device time per phase, milliseconds (the fine pass includes the count read-back). */
  phasesMs?: { masks: number; tiles: number; coarse: number; fine: number; sort: number };
}

export interface NativeEvidenceValue {
  indices: Uint32Array;
  masks: Uint32Array;
  /** Voxels that qualified, reported or not. */
  total: number;
  /** Wall time of the native step on its worker thread, milliseconds. */
  hostMs: number;
  stats?: NativeEvidenceStats;
}

export interface NativeEvidenceAddon {
  evidence(
    device: number,
    stream: number,
    timeoutMs: number,
    spec: NativeEvidenceSpec,
  ): Promise<GpuTiming & { value: NativeEvidenceValue }>;
  evidenceScratchBytes(spec: Omit<NativeEvidenceSpec, 'scratch' | 'scratchBytes'>): number;
}

/** The addon's evidence entry points, or null for an addon built before they existed. */
export function evidenceAddon(addon: NativeAddon): NativeEvidenceAddon | null {
  const a = addon as NativeAddon & Partial<NativeEvidenceAddon>;
  return typeof a.evidence === 'function' && typeof a.evidenceScratchBytes === 'function'
    ? (a as NativeEvidenceAddon)
    : null;
}
