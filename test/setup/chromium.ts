/**
 * How the tests (and `npm run bench`) start headless Chromium with WebGPU. Its own module, not
 * vite.config.ts: importing the Vite config loads its plugins (the AssemblyScript compiler among
 * them), seconds per test file that only wants to launch a browser.
 */

/** Headless Chromium with WebGPU on SwiftShader (works without a GPU; a real GPU is used when present). */
export const kChromiumArgs = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
  '--disable-vulkan-surface',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
export const kChromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
