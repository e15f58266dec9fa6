/**
 * The library bundle's data folder is the script's own folder. A module of its own, imported
 * first by src/lib.ts, so it runs before any element can connect and start loading MNIST.
 */
import { setDefaultMnistBaseUrl } from './data/load';

setDefaultMnistBaseUrl(new URL(/* @vite-ignore */ './', import.meta.url).href);
