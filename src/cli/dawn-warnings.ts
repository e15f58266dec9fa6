/**
 * Dawn's two adapter warnings, printed natively to stderr whenever the Vulkan driver reports more
 * dynamic buffers per pipeline layout than Dawn supports (Mesa's lavapipe: 1000000). bin.ts drops
 * exactly these lines from the CLI's stderr.
 */

/** The lines dropped; both name the limit Dawn lowered to fit its dynamic offset allocation. */
const kDawnWarning =
  /^Warning: maxDynamic(Uniform|Storage)BuffersPerPipelineLayout artificially reduced from \d+ to \d+ to fit dynamic offset allocation limit\.\r?$/;
const kWarningStart = 'Warning: maxDynamic';

/** Writes text to `out` except the Dawn warning lines; holds back only what may start one. */
export function dawnWarningFilter(out: (text: string) => void): { write(text: string): void; end(): void } {
  let held = ''; // the start of a line that may be a warning
  let midLine = false; // inside a line already passed through
  const write = (text: string): void => {
    let rest = held + text;
    held = '';
    let passed = '';
    while (rest.length > 0) {
      const newline = rest.indexOf('\n');
      if (midLine) {
        if (newline < 0) {
          passed += rest;
          rest = '';
        } else {
          passed += rest.slice(0, newline + 1);
          rest = rest.slice(newline + 1);
          midLine = false;
        }
      } else if (newline < 0) {
        if (kWarningStart.startsWith(rest) || rest.startsWith(kWarningStart)) held = rest;
        else {
          passed += rest;
          midLine = true;
        }
        rest = '';
      } else {
        const line = rest.slice(0, newline);
        if (!kDawnWarning.test(line)) passed += `${line}\n`;
        rest = rest.slice(newline + 1);
      }
    }
    if (passed) out(passed);
  };
  return {
    write,
    end: () => {
      if (held) out(held);
      held = '';
    },
  };
}
