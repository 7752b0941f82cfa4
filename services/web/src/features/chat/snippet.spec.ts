import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Snippet } from './snippet';

const render = (segments: { text: string; highlight: boolean }[]) =>
  renderToStaticMarkup(createElement(Snippet, { segments }));

describe('a search snippet', () => {
  it('marks the highlighted segments and keeps the others as text, in order', () => {
    expect(
      render([
        { text: 'where do ', highlight: false },
        { text: 'flamingos', highlight: true },
        { text: ' sleep', highlight: false },
      ]),
    ).toBe('<span class="snippet">where do <mark>flamingos</mark> sleep</span>');
  });

  it('never lets markup in a segment become HTML, highlighted or not', () => {
    const html = render([
      { text: '<img src=x onerror="alert(1)">', highlight: false },
      { text: '<script>alert(2)</script>', highlight: true },
      { text: '<b>bold</b> &amp;', highlight: false },
    ]);
    expect(html).not.toMatch(/<(img|script|b)\b/);
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
    expect(html).toContain('<mark>&lt;script&gt;alert(2)&lt;/script&gt;</mark>');
    expect(html).toContain('&lt;b&gt;bold&lt;/b&gt; &amp;amp;');
  });

  it('renders an empty snippet as an empty span', () => {
    expect(render([])).toBe('<span class="snippet"></span>');
  });
});
