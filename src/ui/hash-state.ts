/**
 * Keeps an element's settings in its part of the URL hash (`#<key>=…`), for every element that
 * has one (<optimizer-race>, <trajectory-race>): read once on the first connect and on every
 * hashchange (not while frozen), written with replaceState when the settings change, never
 * rewritten with what was just read, so that a page's own anchors stay. An empty key leaves the
 * URL alone. Without a key of its own, only the first connected element of a kind binds to the
 * kind's default key; the others leave the URL alone. Parts are `key=value` joined by `&`.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { errorMessage } from '../util/error-message';

/** Our part of a hash ('#a=1&race=...'), or null when the hash has none. */
export function readHashPart(hash: string, key: string): string | null {
  for (const part of hash.replace(/^#/, '').split('&')) {
    if (part.startsWith(`${key}=`)) return part.slice(key.length + 1);
  }
  return null;
}

/** The hash with our part set; other instances' `key=value` parts are kept, a plain anchor is dropped. */
export function writeHashPart(hash: string, key: string, value: string): string {
  const others = hash
    .replace(/^#/, '')
    .split('&')
    .filter((p) => p.includes('=') && !p.startsWith(`${key}=`));
  return `#${[...others, `${key}=${value}`].join('&')}`;
}

/** How one kind of element writes its settings: the value after `key=`, and back (throwing a message). */
export interface HashCodec<S> {
  defaultKey: string;
  encode(settings: S): string;
  decode(value: string): S;
}

export interface HashBinding<S> {
  /** The hash key ("" for none; undefined: the default key if this is the first such element). */
  key(): string | undefined;
  /** While true (e.g. a race running or paused) a new hash is not applied. */
  frozen(): boolean;
  /** The settings to write. */
  settings(): S;
  /** Settings read from the hash. */
  apply(settings: S): void;
  /** The hash part could not be read (why); `initial`: on the first connect. */
  invalid(reason: string, initial: boolean): void;
}

/** Connected controllers by default key, in connection order: the first without a key of its own owns the default key. */
const connected = new Map<string, HashState<unknown>[]>();

export class HashState<S> implements ReactiveController {
  private readOnce = false;
  /** The value last read or written. */
  private last: string | null = null;
  private readonly onHashChange = (): void => this.read(false);

  constructor(
    host: ReactiveControllerHost,
    private readonly binding: HashBinding<S>,
    private readonly codec: HashCodec<S>,
  ) {
    host.addController(this);
  }

  private get peers(): HashState<unknown>[] {
    let list = connected.get(this.codec.defaultKey);
    if (!list) connected.set(this.codec.defaultKey, (list = []));
    return list;
  }

  /** The key in effect: the element's own, or the default one for the first element without one. */
  get key(): string {
    const own = this.binding.key();
    if (own !== undefined) return own;
    return this.peers.find((c) => c.binding.key() === undefined) === this ? this.codec.defaultKey : '';
  }

  hostConnected(): void {
    if (!this.peers.includes(this)) this.peers.push(this);
    if (!this.readOnce) {
      this.readOnce = true;
      this.read(true);
    }
    window.addEventListener('hashchange', this.onHashChange);
  }

  hostDisconnected(): void {
    window.removeEventListener('hashchange', this.onHashChange);
    this.peers.splice(this.peers.indexOf(this), 1);
  }

  read(initial: boolean): void {
    const key = this.key;
    if (!key || this.binding.frozen()) return;
    const part = readHashPart(location.hash, key);
    if (part === null || part === this.last) return;
    this.last = part;
    let settings: S;
    try {
      settings = this.codec.decode(part);
    } catch (error) {
      this.binding.invalid(errorMessage(error), initial);
      return;
    }
    this.binding.apply(settings);
  }

  write(): void {
    const key = this.key;
    if (!key) return;
    const value = this.codec.encode(this.binding.settings());
    if (value === this.last) return;
    this.last = value;
    history.replaceState(history.state, '', writeHashPart(location.hash, key, value));
  }
}
