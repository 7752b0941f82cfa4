/**
 * The part of `@xmldom/xmldom` Parley uses, typed without the DOM library. The package's own
 * declarations start with `/// <reference lib="dom" />`, which would put the browser's globals
 * (`window`, `document`, DOM stream types) into every Node service's program; tsconfig.base.json
 * maps the package's types here instead (the runtime package is unchanged).
 */
export interface XmlElement {
  readonly localName: string | null;
  readonly namespaceURI: string | null;
  readonly textContent: string | null;
  readonly parentNode: XmlElement | null;
  getAttribute(name: string): string | null;
  getElementsByTagNameNS(namespace: string, localName: string): ArrayLike<XmlElement>;
}

export interface XmlDocument {
  readonly documentElement: XmlElement | null;
  getElementsByTagNameNS(namespace: string, localName: string): ArrayLike<XmlElement>;
}

export interface DOMParserOptions {
  errorHandler?: {
    warning?(message: unknown): void;
    error?(message: unknown): void;
    fatalError?(message: unknown): void;
  };
}

export declare class DOMParser {
  constructor(options?: DOMParserOptions);
  parseFromString(source: string, mimeType: string): XmlDocument;
}
