/** Keeps an <optimizer-race>'s settings in its part of the URL hash (`#race=…`; see ../hash-state.ts). */
import type { ReactiveControllerHost } from 'lit';
import { HashState, type HashBinding } from '../hash-state';
import { decodeSettings, encodeSettings, type RaceSettings } from './url-state';

/** The key an element without `hash-key` binds to, if it is the first such element on the page. */
export const kDefaultHashKey = 'race';

export class HashController extends HashState<RaceSettings> {
  constructor(host: ReactiveControllerHost, binding: HashBinding<RaceSettings>) {
    super(host, binding, { defaultKey: kDefaultHashKey, encode: encodeSettings, decode: decodeSettings });
  }
}
