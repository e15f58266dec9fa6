/**
 * gemm's epilogue modes (gemm.ts): plain store; + bias row (and ReLU for act 1); * act'(X) (the
 * backward-data mask). Plain numeric constants, so this one file compiles as AssemblyScript and as
 * TypeScript (the kernel tests call gemm through the module's exports).
 */
export const kStore = 0;
export const kBias = 1;
export const kSlope = 2;
