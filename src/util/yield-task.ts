/**
 * Yields to the event loop for one task, without a timer: a chained setTimeout(0) is clamped to
 * 4 ms from its fifth nesting on (HTML's timer rules, in pages and workers alike; 1 ms in Node),
 * which a race of 300 short chunks pays 300 times. setImmediate in Node; a message to itself elsewhere.
 */
let channel: MessageChannel | undefined;
const waiting: (() => void)[] = [];

export function yieldTask(): Promise<void> {
  return new Promise<void>((resolve) => {
    if (typeof setImmediate === 'function') {
      setImmediate(resolve);
      return;
    }
    if (!channel) {
      channel = new MessageChannel();
      channel.port1.onmessage = () => waiting.shift()?.();
    }
    waiting.push(resolve);
    channel.port2.postMessage(null);
  });
}
