/**
 * Vite plugin: generates the embedded MNIST asset (public/data/embedded/, gitignored) when it is missing
 * or stale, and data/datasets.json (is full MNIST there?), before `vite` serves and before `vite build` copies the public dir (buildStart runs before
 * renderStart, where Vite copies it). Runs in Node only: vite.config.ts imports it, app code never does.
 *
 * The builder is loaded through Vite's module runner when first needed, not imported: the config
 * bundle stays small, and Vite's native-config-loader check sees no extensionless imports here.
 */
import { fileURLToPath } from 'node:url';
import { runnerImport, type Plugin } from 'vite';

type Builder = typeof import('./node/build-embedded');

const kBuilderPath = fileURLToPath(new URL('./node/build-embedded.ts', import.meta.url));

export function embeddedMnistPlugin(): Plugin {
  let publicDir: string | undefined;
  let pending: Promise<void> | undefined;
  const ensure = (log: (message: string) => void): Promise<void> => {
    if (!publicDir) return Promise.resolve(); // publicDir: false: nothing would serve the asset
    const dir = publicDir;
    pending ??= runnerImport<Builder>(kBuilderPath, { configFile: false, logLevel: 'error' }).then(async ({ module }) => {
      const written = await module.ensureEmbeddedMnistIn(dir);
      if (written) log(`embedded MNIST asset written to ${written}`);
      await module.writeDatasetsIndex(dir);
    });
    return pending;
  };
  return {
    name: 'optimizer-race:embedded-mnist',
    configResolved(config) {
      publicDir = config.publicDir || undefined;
    },
    async configureServer(server) {
      await ensure((message) => server.config.logger.info(message));
    },
    async buildStart() {
      await ensure((message) => this.info(message));
    },
  };
}
