/**
 * <optimizer-race>'s chapter-6 race attributes (hidden-layers, train-limit, epochs, train-accuracy)
 * as the settings they give, without a browser: each property writes one field of the toolbar's
 * draft (src/ui/optimizer-race/network-draft.ts), the race config comes from checkNetworkDraft, and
 * a bad value is that field's message alone, the other fields as they were.
 */
import { describe, expect, it } from 'vitest';
import { checkNetworkDraft, kDefaultNetwork, networkProperty, withNetworkProperty, type NetworkDraft } from '../src/ui/optimizer-race/network-draft';

/** The draft after setting properties in order, as an embedder's attributes would. */
const draftOf = (values: [Parameters<typeof withNetworkProperty>[1], unknown][]): NetworkDraft =>
  values.reduce((draft, [name, value]) => withNetworkProperty(draft, name, value), kDefaultNetwork);

describe('the chapter-6 race attributes', () => {
  it('give the race its hidden sizes, training limit, epochs and training accuracy', () => {
    const draft = draftOf([
      ['hiddenLayers', '100x5'],
      ['trainLimit', '1000'],
      ['epochs', 20],
      ['trainAccuracy', true],
    ]);
    expect(draft).toEqual({ hidden: '100x5', trainLimit: '1000', epochs: '20', trainAccuracy: true, validation: '' });
    // The book's batch_norm_test: 1000 images, batch 100, 20 epochs of 10 iterations.
    expect(checkNetworkDraft(draft, 100, 60000)).toEqual({
      fields: {},
      settings: { sizes: [784, 100, 100, 100, 100, 100, 10], trainLimit: 1000, epochs: 20, trainAccuracy: true },
      epochIterations: 200,
    });
    expect([networkProperty(draft, 'hiddenLayers'), networkProperty(draft, 'trainLimit'), networkProperty(draft, 'epochs')]).toEqual(['100x5', 1000, 20]);
    expect(networkProperty(draft, 'trainAccuracy')).toBe(true);
    expect(withNetworkProperty(draft, 'hiddenLayers', '100,50,100').hidden).toBe('100,50,100');
  });

  it("hold out a validation share (the book's hypersearch: 500 images, 0.2 held out, batch 100), and refuse one that leaves no image", () => {
    const draft = draftOf([
      ['trainLimit', 500],
      ['epochs', 50],
      ['validation', 0.2],
    ]);
    // 400 trained on, batch 100: 4 iterations an epoch, 200 in 50 epochs.
    const check = checkNetworkDraft(draft, 100, 60000);
    expect(check.settings).toEqual({ sizes: [784, 100, 100, 100, 100, 10], trainLimit: 500, epochs: 50, validation: 0.2 });
    expect(check.epochIterations).toBe(200);
    expect(networkProperty(draft, 'validation')).toBe(0.2);
    expect(checkNetworkDraft(withNetworkProperty(draft, 'validation', 0), 100, 60000).settings?.validation).toBeUndefined();
    expect(withNetworkProperty(draft, 'validation', null).validation).toBe('');
    const cases: [unknown, RegExp][] = [
      [1, /between 0 and 1 \(e\.g\. 0\.2\), which leaves no training image; got 1$/],
      [0.001, /^validation 0\.001 of 500 training images holds out none/],
      ['some', /^validation must be a share of the training set between 0 and 1/],
    ];
    for (const [value, message] of cases) {
      const bad = checkNetworkDraft(withNetworkProperty(draft, 'validation', value), 100, 60000);
      expect(Object.keys(bad.fields), String(value)).toEqual(['validation']);
      expect(bad.fields.validation).toMatch(message);
      expect(bad.settings).toBeNull();
    }
  });

  it('restores the seed setting when removed, and reads unset counts as undefined', () => {
    const draft = draftOf([
      ['hiddenLayers', '13,7'],
      ['epochs', '3'],
      ['trainAccuracy', true],
      ['hiddenLayers', null],
      ['epochs', undefined],
      ['trainAccuracy', false],
    ]);
    expect(draft).toEqual(kDefaultNetwork);
    expect(networkProperty(draft, 'hiddenLayers')).toBe('100x4');
    expect(networkProperty(draft, 'trainLimit')).toBeUndefined();
    expect(checkNetworkDraft(draft, 128, 60000).settings).toEqual({ sizes: [784, 100, 100, 100, 100, 10] });
  });

  it('keeps a bad value as written, with its field message alone', () => {
    const good = draftOf([
      ['hiddenLayers', '13x2'],
      ['trainLimit', 64],
    ]);
    const cases: [Parameters<typeof withNetworkProperty>[1], unknown, string, RegExp][] = [
      ['hiddenLayers', 'hidden', 'hidden', /^hidden layers must be UNITSxLAYERS \(100x5\) or sizes separated by commas \(100,50,100\), got 'hidden'$/],
      ['hiddenLayers', '0x2', 'hidden', /^units in a hidden layer must be a whole number from 1 to 1000, got 0$/],
      ['trainLimit', '0', 'trainLimit', /^training limit must be a whole number from 1 to 60000, got 0 \(the training set holds 60000 images\)$/],
      ['trainLimit', 'many', 'trainLimit', /^training limit must be a whole number from 1 to 60000, got NaN/],
      ['epochs', 2.5, 'epochs', /^epochs must be a whole number from 1 to/],
    ];
    for (const [name, value, field, message] of cases) {
      const bad = withNetworkProperty(good, name, value);
      expect({ ...bad, [field]: (good as unknown as Record<string, unknown>)[field] }, `${name}=${value}`).toEqual(good);
      const check = checkNetworkDraft(bad, 8, 60000);
      expect(Object.keys(check.fields), `${name}=${value}`).toEqual([field]);
      expect(check.fields[field as keyof typeof check.fields]).toMatch(message);
      expect(check.settings).toBeNull();
    }
    // More epochs than the iteration limit allows: 64 images of batch 8 are 8 iterations an epoch.
    expect(checkNetworkDraft(withNetworkProperty(good, 'epochs', 200_000), 8, 60000).fields.epochs).toMatch(
      /more than the limit of 1000000: at most 125000 epochs$/,
    );
  });
});
