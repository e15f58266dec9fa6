/** The kernels' binaries as base64 (src/wasm/asc-plugin.ts builds them from src/wasm/assembly). */
declare module 'virtual:race-wasm' {
  /** On a plain memory. */
  export const plain: string;
  /** On a shared memory (the threads). */
  export const shared: string;
}
