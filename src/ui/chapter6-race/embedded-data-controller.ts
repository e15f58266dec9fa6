/**
 * The embedded MNIST subset for an element of the chapter-6 sections (./embedded-data.ts,
 * loaded once per page): its state while it loads, the reason it failed, and a retry.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { errorMessage } from '../../util/error-message';
import { embeddedDataset } from './embedded-data';

export class EmbeddedDataController implements ReactiveController {
  state: 'loading' | 'ready' | 'error' = 'loading';
  error: string | null = null;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {
    if (this.state !== 'ready') this.load();
  }

  /** Loads (again, after a failure). */
  load(): void {
    this.state = 'loading';
    this.error = null;
    this.host.requestUpdate();
    embeddedDataset().then(
      () => {
        this.state = 'ready';
        this.host.requestUpdate();
      },
      (error: unknown) => {
        this.state = 'error';
        this.error = `MNIST could not be loaded: ${errorMessage(error)}`;
        this.host.requestUpdate();
      },
    );
  }
}
