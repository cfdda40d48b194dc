/** A tiny XML tree with a serialiser: enough for XForms, with escaping done in one place. */
export type XmlChild = XmlElement | string;

export class XmlElement {
  readonly attributes: Array<[string, string]> = [];
  readonly children: XmlChild[] = [];

  constructor(
    readonly name: string,
    attributes: Record<string, string | undefined> = {},
    children: XmlChild[] = [],
  ) {
    for (const [key, value] of Object.entries(attributes)) {
      if (value !== undefined) this.attributes.push([key, value]);
    }
    this.children.push(...children);
  }

  attr(name: string, value: string | null | undefined): this {
    if (value === null || value === undefined) return this;
    const existing = this.attributes.find(([key]) => key === name);
    if (existing) existing[1] = value;
    else this.attributes.push([name, value]);
    return this;
  }

  append(...children: Array<XmlChild | null | undefined>): this {
    for (const child of children) if (child !== null && child !== undefined) this.children.push(child);
    return this;
  }

  toString(indent = ''): string {
    const attrs = this.attributes.map(([k, v]) => ` ${k}="${escapeAttribute(v)}"`).join('');
    if (this.children.length === 0) return `${indent}<${this.name}${attrs}/>`;
    // Mixed content (text with <output/>) must stay on one line: whitespace there is data.
    if (this.children.some((c) => typeof c === 'string')) {
      return `${indent}<${this.name}${attrs}>${this.children.map((c) => (typeof c === 'string' ? escapeText(c) : c.toString(''))).join('')}</${this.name}>`;
    }
    const inner = this.children.map((c) => (c as XmlElement).toString(`${indent}  `)).join('\n');
    return `${indent}<${this.name}${attrs}>\n${inner}\n${indent}</${this.name}>`;
  }
}

export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeAttribute(text: string): string {
  return escapeText(text)
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}
