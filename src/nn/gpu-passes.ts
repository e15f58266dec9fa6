/** Every GPU pass of the MLP, for the race engine: `import { ... } from '../nn/gpu-passes'`. */
export * from './affine-passes';
export * from './gpu-common';
export * from './shape';
export * from './loss-passes';
export * from './gather-pass';
export * from './network';
export * from './listed-racer-pass';
export * from './batch-norm-passes';
export * from './regularization-passes';
export * from './mlp-passes';
export * from './regularized-affine-passes';
