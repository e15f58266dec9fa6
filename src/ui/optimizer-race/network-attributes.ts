/**
 * <optimizer-race>'s chapter-6 race settings as attributes and properties, for embedders:
 * `hidden-layers` (hiddenLayers), `train-limit` (trainLimit), `epochs`, `train-accuracy`
 * (trainAccuracy), `validation`. The toolbar, the URL hash (`h`, `tl`, `ep`, `ta`, `va`) and these properties share one
 * state, the NetworkDraft (./network-draft.ts: the mapping, kept as typed), so a bad value gets the
 * field's usual message, Start waits, and nothing else changes. Not `hidden`: that is HTML's global
 * attribute, which hides the element.
 */
import { LitElement } from 'lit';
import { property, state } from 'lit/decorators.js';
import { kDefaultNetwork, networkProperty, withNetworkProperty, type NetworkDraft, type NetworkProperty } from './network-draft';

/** Attribute text as written: a count that is not a number is explained by its field, not read as NaN. */
const kAsWritten = { fromAttribute: (value: string | null): string | null => value };

export class NetworkAttributesElement extends LitElement {
  /** Hidden sizes, training limit, epochs and training accuracy, as typed (./network-draft.ts). */
  @state() protected network: NetworkDraft = kDefaultNetwork;

  /** The hidden layer sizes: `100x5` (5 layers of 100) or `100,50,100`; the seed's 100x4 when unset. */
  @property({ attribute: 'hidden-layers', converter: kAsWritten })
  get hiddenLayers(): string {
    return networkProperty(this.network, 'hiddenLayers') as string;
  }
  set hiddenLayers(value: string | null | undefined) {
    this.setNetwork('hiddenLayers', value);
  }

  /** Train on the first N training images only (the book's x_train[:N]); unset: all of them. */
  @property({ attribute: 'train-limit', converter: kAsWritten })
  get trainLimit(): number | undefined {
    return networkProperty(this.network, 'trainLimit') as number | undefined;
  }
  set trainLimit(value: number | string | null | undefined) {
    this.setNetwork('trainLimit', value);
  }

  /** Passes over the training images (iterations = epochs × max(N / batch, 1), accuracy once per epoch); unset: `iterations`. */
  @property({ converter: kAsWritten })
  get epochs(): number | undefined {
    return networkProperty(this.network, 'epochs') as number | undefined;
  }
  set epochs(value: number | string | null | undefined) {
    this.setNetwork('epochs', value);
  }

  /** Measure accuracy on the (limited) training set too at each evaluation (dashed in the accuracy chart). */
  @property({ type: Boolean, attribute: 'train-accuracy' })
  get trainAccuracy(): boolean {
    return this.network.trainAccuracy;
  }
  set trainAccuracy(value: boolean) {
    this.setNetwork('trainAccuracy', value);
  }

  /** The share of the training images held out for validation (0.2): measured instead of the test set, which a search then never touches; unset or 0: none. */
  @property({ converter: kAsWritten })
  get validation(): number | undefined {
    return networkProperty(this.network, 'validation') as number | undefined;
  }
  set validation(value: number | string | null | undefined) {
    this.setNetwork('validation', value);
  }

  private setNetwork(name: NetworkProperty, value: unknown): void {
    const old = networkProperty(this.network, name);
    this.network = withNetworkProperty(this.network, name, value);
    this.requestUpdate(name, old);
  }
}
