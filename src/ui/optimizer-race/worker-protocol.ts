/** Messages between the page and cpu-worker.ts (the CPU reference race off the main thread). */
import type { ChunkRequest, ChunkResult } from '../../race/backend';
import type { RaceConfig } from '../../race/config';
import type { RaceData } from '../../race/dataset';

export type WorkerRequest =
  | { type: 'init'; id: number; config: RaceConfig; data: RaceData }
  | { type: 'run'; id: number; request: ChunkRequest }
  | { type: 'reset'; id: number };

export type WorkerReply = { type: 'done'; id: number; result?: ChunkResult } | { type: 'failed'; id: number; message: string };
