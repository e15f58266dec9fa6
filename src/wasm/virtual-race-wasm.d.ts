/** The kernels' binary as base64 (src/wasm/asc-plugin.ts builds it from src/wasm/assembly). */
declare module 'virtual:race-wasm' {
  const base64: string;
  export default base64;
}
