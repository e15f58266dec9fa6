/** A WebAssembly helper thread in the browser: a module worker, a chunk beside the script (worker-src 'self'). */
import { type HelperStart, runHelper } from './thread-helper';

self.onmessage = (event: MessageEvent<HelperStart>) => {
  runHelper(event.data, (text) => self.postMessage(text));
  self.close();
};
