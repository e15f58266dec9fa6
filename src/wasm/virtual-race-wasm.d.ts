/** The compiled module as base64, and its optimizer rules (src/wasm/asc-plugin.ts builds them from src/wasm/assembly). */
declare module 'virtual:race-wasm' {
  /** On a plain memory. */
  export const plain: string;
  /** On a shared memory (the threads). */
  export const shared: string;
  /** One rule file per optimizer id: its index in `optimize`, its state vectors' and step scalars' names (src/wasm/optimizer-rule-files.ts). */
  export const optimizerRules: Readonly<Record<string, Readonly<import('./optimizer-rule-files').OptimizerRuleSignature>>>;
}
