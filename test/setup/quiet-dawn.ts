/**
 * Global setup of the node test projects (node and e2e; in vitest's main process): test workers'
 * stderr reaches the terminal through this process's process.stderr, so Dawn's two adapter
 * warnings, which Dawn prints natively in every worker that opens a device (see
 * src/cli/dawn-warnings.ts), are dropped here, whole lines only. Everything else goes through unchanged.
 */
const kWarningLine =
  /^Warning: maxDynamic(Uniform|Storage)BuffersPerPipelineLayout artificially reduced from \d+ to \d+ to fit dynamic offset allocation limit\.\r?\n/gm;

export default function setup(): () => void {
  const write = process.stderr.write;
  process.stderr.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
    const text = typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : undefined;
    if (text?.includes('artificially reduced')) {
      const kept = text.replace(kWarningLine, '');
      if (kept.length === 0) {
        const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
        if (callback) process.nextTick(callback);
        return true;
      }
      return (write as (...args: unknown[]) => boolean).call(this, kept, ...rest);
    }
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as typeof process.stderr.write;
  return () => {
    process.stderr.write = write;
  };
}
