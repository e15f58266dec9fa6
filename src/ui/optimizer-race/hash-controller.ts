/**
 * Keeps an <optimizer-race>'s settings in its part of the URL hash (`#<hash-key>=…`): read once on
 * the first connect and on every hashchange (not while a race is under way), written with
 * replaceState when the settings change, never rewritten with what was just read, so that a
 * page's own anchors stay. An empty key leaves the URL alone.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { decodeSettings, encodeSettings, readHashPart, writeHashPart, type RaceSettings } from './url-state';

export interface HashBinding {
  /** The hash key ("" for none). */
  key(): string;
  /** While true (a race running or paused) a new hash is not applied. */
  frozen(): boolean;
  /** The settings to write. */
  settings(): RaceSettings;
  /** Settings read from the hash. */
  apply(settings: RaceSettings): void;
  /** The hash part could not be read (why); `initial`: on the first connect. */
  invalid(reason: string, initial: boolean): void;
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export class HashController implements ReactiveController {
  private readOnce = false;
  /** The value last read or written. */
  private last: string | null = null;
  private readonly onHashChange = (): void => this.read(false);

  constructor(
    host: ReactiveControllerHost,
    private readonly binding: HashBinding,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    if (!this.readOnce) {
      this.readOnce = true;
      this.read(true);
    }
    window.addEventListener('hashchange', this.onHashChange);
  }

  hostDisconnected(): void {
    window.removeEventListener('hashchange', this.onHashChange);
  }

  read(initial: boolean): void {
    const key = this.binding.key();
    if (!key || this.binding.frozen()) return;
    const part = readHashPart(location.hash, key);
    if (part === null || part === this.last) return;
    this.last = part;
    let settings: RaceSettings;
    try {
      settings = decodeSettings(part);
    } catch (error) {
      this.binding.invalid(message(error), initial);
      return;
    }
    this.binding.apply(settings);
  }

  write(): void {
    const key = this.binding.key();
    if (!key) return;
    const value = encodeSettings(this.binding.settings());
    if (value === this.last) return;
    this.last = value;
    history.replaceState(history.state, '', writeHashPart(location.hash, key, value));
  }
}
