/**
 * The dispatch over the optimizer rules in ./optim/, generated at build time by
 * src/wasm/optimizer-rule-files.ts and handed to asc in memory; this declaration lets tsc check the
 * AssemblyScript (npm run typecheck:wasm) without the generated file on disk.
 */
export declare function optimize(rule: i32, p: usize, g: usize, s0: usize, s1: usize, count: i32, scalars: usize): void;
