/**
 * Many racers from a spec, the one owner: grid sweeps and the LR range test (./grid.ts), random
 * searches (./search-spec.ts: the spec and its text and URL forms; ./search-trials.ts: the trials
 * drawn from the race seed and the narrowed spec; ./search-report.ts: the trials ranked by validation
 * accuracy and the book's "Best-k" lines, shared by the page and the CLI) and the network options a search may draw
 * (./network-options.ts). Import from here.
 */
export * from './grid';
export * from '../network-options';
export * from './search-spec';
export * from './search-trials';
export * from './search-report';
