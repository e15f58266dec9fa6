/**
 * Keeps an <optimizer-race>'s settings in its part of the URL hash (`#<hash-key>=…`): read once on
 * the first connect and on every hashchange (not while a race is under way), written with
 * replaceState when the settings change, never rewritten with what was just read, so that a
 * page's own anchors stay. An empty key leaves the URL alone. Without a key of its own, only the
 * first connected element on the page binds to the default key; the others leave the URL alone.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { decodeSettings, encodeSettings, readHashPart, writeHashPart, type RaceSettings } from './url-state';

/** The key an element without `hash-key` binds to, if it is the first such element on the page. */
export const kDefaultHashKey = 'race';

/** Connected elements' controllers, in connection order: the first without a key of its own owns the default key. */
const connected: HashController[] = [];

export interface HashBinding {
  /** The hash key ("" for none; undefined: the default key if this is the first such element). */
  key(): string | undefined;
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

  /** The key in effect: the element's own, or the default one for the first element without one. */
  get key(): string {
    const own = this.binding.key();
    if (own !== undefined) return own;
    return connected.find((c) => c.binding.key() === undefined) === this ? kDefaultHashKey : '';
  }

  hostConnected(): void {
    if (!connected.includes(this)) connected.push(this);
    if (!this.readOnce) {
      this.readOnce = true;
      this.read(true);
    }
    window.addEventListener('hashchange', this.onHashChange);
  }

  hostDisconnected(): void {
    window.removeEventListener('hashchange', this.onHashChange);
    connected.splice(connected.indexOf(this), 1);
  }

  read(initial: boolean): void {
    const key = this.key;
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
    const key = this.key;
    if (!key) return;
    const value = encodeSettings(this.binding.settings());
    if (value === this.last) return;
    this.last = value;
    history.replaceState(history.state, '', writeHashPart(location.hash, key, value));
  }
}
