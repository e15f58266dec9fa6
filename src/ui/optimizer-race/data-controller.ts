/**
 * The MNIST of an <optimizer-race>: loads it on connect (the server's, or `src`, or picked/dropped
 * files) and again when `src` changes, reports progress, keeps the previous data set when a load
 * fails (else falls back to the default one), aborts a load under way when the host leaves the
 * page, and retries on request. Files dropped on the host's drop target load like picked ones (not
 * while a race is under way).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { describeDataset, type MnistDataset } from '../../data/dataset';
import type { LoadProgress } from '../../data/load';
import { loadDataset, type DataRequest } from './data-loader';
import { errorMessage } from '../../util/error-message';

export type DataState = 'loading' | 'ready' | 'error';

export interface DataSource {
  /** The host's `src` (a folder URL of the four files; unset: the default data): loaded on connect, on retry and when it changes. */
  src(): string | undefined;
  /** A new data set replaces one already loaded (the host resets its race). */
  replaced(dataset: MnistDataset): void;
  /** A race is under way: dropped files are refused. */
  locked(): boolean;
}

export class DataController implements ReactiveController {
  dataset: MnistDataset | null = null;
  state: DataState = 'loading';
  progress: { loaded: number; total: number | undefined } = { loaded: 0, total: undefined };
  /** The last load's failure, shown until dismissed or the next load. */
  error: string | null = null;
  /** What happened instead (still using the previous data, or the default data set). */
  note: string | null = null;
  /** Files are being dragged over the drop target. */
  dragging = false;
  /** Settles when the load under way has the data or has failed. */
  loading: Promise<void> = Promise.resolve();
  private abort: AbortController | null = null;
  /** The `src` the host's data was last asked for with; null before the first load. */
  private asked: { src: string | undefined } | null = null;
  private connected = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly source: DataSource,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.connected = true;
    if (!this.dataset || this.srcChanged()) this.reload();
  }

  /** A new `src` loads at once (not while the host is off the page: then when it is back). */
  hostUpdate(): void {
    if (this.connected && this.srcChanged()) this.reload();
  }

  hostDisconnected(): void {
    this.connected = false;
    this.abort?.abort();
    this.abort = null;
    if (this.state === 'loading' && this.dataset) this.set({ state: 'ready' });
  }

  /** Starts loading (aborting a load under way). */
  load(request: DataRequest): void {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.loading = this.run(request, abort.signal).finally(() => {
      if (this.abort === abort) this.abort = null;
    });
  }

  /** The host's `src` (or the default data) again. */
  reload(): void {
    const src = this.source.src();
    this.asked = { src };
    this.load(src ? { kind: 'url', url: src } : { kind: 'default' });
  }

  private srcChanged(): boolean {
    return this.asked !== null && this.asked.src !== this.source.src();
  }

  /** The host's request again, the error cleared. */
  retry(): void {
    this.dismiss();
    this.reload();
  }

  /** The server's data (full MNIST or the embedded subset), whatever `src` says. */
  useDefault(): void {
    this.dismiss();
    this.load({ kind: 'default' });
  }

  filesPicked(files: FileList | null): void {
    if (!files || files.length === 0) return;
    this.dismiss();
    this.load({ kind: 'files', files: [...files] });
  }

  dismiss(): void {
    this.set({ error: null, note: null });
  }

  /** Shows why data cannot be loaded now (a race is under way). */
  refuse(reason: string): void {
    this.set({ error: reason });
  }

  // Listeners for the drop target (dragenter/dragover, dragleave, drop).
  readonly dragOver = (e: DragEvent): void => {
    if (!e.dataTransfer?.types.includes('Files')) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    this.set({ dragging: true });
  };

  readonly dragLeave = (e: DragEvent): void => {
    if (e.target === e.currentTarget) this.set({ dragging: false });
  };

  readonly drop = (e: DragEvent): void => {
    this.set({ dragging: false });
    if (!e.dataTransfer?.files.length) return;
    e.preventDefault();
    if (this.source.locked()) this.refuse('Reset the race before loading other data.');
    else this.filesPicked(e.dataTransfer.files);
  };

  private set(change: Partial<Pick<DataController, 'dataset' | 'state' | 'progress' | 'error' | 'note' | 'dragging'>>): void {
    Object.assign(this, change);
    this.host.requestUpdate();
  }

  private async run(request: DataRequest, signal: AbortSignal): Promise<void> {
    const previous = this.dataset;
    this.set({ state: 'loading', progress: { loaded: 0, total: undefined } });
    const options = {
      signal,
      onProgress: ({ loadedBytes, totalBytes }: LoadProgress) => this.set({ progress: { loaded: loadedBytes, total: totalBytes } }),
    };
    try {
      const dataset = await loadDataset(request, options);
      if (signal.aborted) return;
      this.use(dataset);
      this.set({ error: null, note: null });
      return;
    } catch (error) {
      if (signal.aborted) return;
      const what =
        request.kind === 'url' ? `Could not load MNIST from ${request.url}` : request.kind === 'files' ? 'Could not read those files' : 'Could not load MNIST';
      this.set({ error: `${what}: ${errorMessage(error)}` });
    }
    if (previous) {
      this.set({ dataset: previous, state: 'ready', note: `Still using the ${describeDataset(previous)}.` });
      return;
    }
    if (request.kind === 'default') {
      this.set({ state: 'error' });
      return;
    }
    // Keep the element usable: fall back to the server's data, with the error still shown.
    this.set({ note: 'Loading the default data set instead.' });
    try {
      const dataset = await loadDataset({ kind: 'default' }, options);
      if (signal.aborted) return;
      this.use(dataset);
      this.set({ note: `Racing on the ${describeDataset(dataset)} instead.` });
    } catch (error) {
      if (signal.aborted) return;
      this.set({ state: 'error', note: `The default data set failed too: ${errorMessage(error)}` });
    }
  }

  private use(dataset: MnistDataset): void {
    if (this.dataset && this.dataset !== dataset) this.source.replaced(dataset);
    this.set({ dataset, state: 'ready' });
  }
}
