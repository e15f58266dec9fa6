/**
 * `<li ${cssomStyle({ '--trace': color })}>`: inline style set through the CSSOM
 * (element.style.setProperty) on every render, the first included, so that it survives a strict
 * Content-Security-Policy (no 'unsafe-inline' for style-src), which blocks style="" attributes.
 * Lit's styleMap is not enough: its first render writes the style attribute, which such a policy
 * drops (only later updates go through the CSSOM). Property names are CSS names: '--trace',
 * 'left', 'transform'; a property left out (or undefined) on a later render is removed.
 */
import { nothing } from 'lit';
import { Directive, directive, PartType, type ElementPart, type PartInfo } from 'lit/directive.js';

export type CssomStyleInfo = Readonly<Record<string, string | undefined>>;

class CssomStyleDirective extends Directive {
  private readonly set = new Set<string>();

  constructor(partInfo: PartInfo) {
    super(partInfo);
    if (partInfo.type !== PartType.ELEMENT) throw new Error('cssomStyle goes where an element takes attributes, not in an attribute value');
  }

  render(_styles: CssomStyleInfo): typeof nothing {
    return nothing;
  }

  override update(part: ElementPart, [styles]: [CssomStyleInfo]): typeof nothing {
    const { style } = part.element as HTMLElement | SVGElement;
    for (const name of this.set) {
      if (styles[name] === undefined) {
        style.removeProperty(name);
        this.set.delete(name);
      }
    }
    for (const [name, value] of Object.entries(styles)) {
      if (value === undefined) continue;
      if (style.getPropertyValue(name) !== value) style.setProperty(name, value);
      this.set.add(name);
    }
    return nothing;
  }
}

export const cssomStyle = directive(CssomStyleDirective);
