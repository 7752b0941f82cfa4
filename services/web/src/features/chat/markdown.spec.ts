import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown';

/** What the browser would run or load from an answer: tags and attributes that execute or fetch. */
function liveHtml(html: string): string[] {
  const found: string[] = [];
  for (const tag of html.matchAll(/<([a-z][a-z0-9-]*)\b([^>]*)>/gi)) {
    const [, name = '', attrs = ''] = tag;
    if (/^(script|iframe|object|embed|img|svg|style|link|meta|form|input|video|audio|math)$/i.test(name))
      found.push(`<${name}>`);
    for (const attr of attrs.matchAll(/\s([a-z-]+)\s*=\s*"([^"]*)"/gi)) {
      const [, attrName = '', value = ''] = attr;
      if (/^on/i.test(attrName) || attrName === 'style' || attrName === 'srcdoc') found.push(`${name}[${attrName}]`);
      if (/^(href|src|action|formaction)$/i.test(attrName) && !/^(https?:|mailto:)/i.test(value))
        found.push(`${name}[${attrName}=${value}]`);
    }
  }
  return found;
}

/** Every prefix of a text, as the stream delivers it in pieces. */
const prefixes = (text: string, step = 3) =>
  Array.from({ length: Math.ceil(text.length / step) }, (_, i) => text.slice(0, (i + 1) * step));

describe('the streaming markdown renderer', () => {
  it('renders GitHub-flavoured markdown: tables, lists, strikethrough, fenced code with highlighting and a copy button', () => {
    const html = renderMarkdown(
      [
        '| a | b |',
        '|---|--:|',
        '| 1 | 2 |',
        '',
        '- one',
        '- two',
        '',
        '~~old~~',
        '',
        '```ts',
        'const x: number = 1;',
        '```',
      ].join('\n'),
      'Copy code',
    );
    expect(html).toContain('<table>');
    expect(html).toContain('<td class="align-right">2</td>');
    expect(html).toMatch(/<ul>\s*<li>one<\/li>\s*<li>two<\/li>\s*<\/ul>/);
    expect(html).toContain('<s>old</s>');
    expect(html).toContain('<code class="hljs language-ts">');
    expect(html).toContain('<span class="hljs-keyword">const</span>');
    expect(html).toContain('data-copy-code>Copy code</button>');
    expect(liveHtml(html)).toEqual([]);
  });

  it('renders every partial state of a streamed answer without throwing, and the final state as a whole', () => {
    const answer =
      'Intro **bold** and `code`\n\n```python\nprint("hi")\n```\n\n| x | y |\n|---|---|\n| 1 | 2 |\n\nDone.';
    for (const part of prefixes(answer, 1)) expect(() => renderMarkdown(part)).not.toThrow();
    expect(renderMarkdown(answer)).toContain('<p>Done.</p>');
  });

  it('keeps a code fence open to the end until its closing line arrives, then closes it', () => {
    const open = renderMarkdown('Look:\n\n```js\nconst a = 1;\n# not a heading\n| not | a table |');
    expect(open).toContain('<pre><code class="hljs language-js">');
    expect(open).not.toContain('<h1>');
    expect(open).not.toContain('<table>');
    const closed = renderMarkdown('Look:\n\n```js\nconst a = 1;\n```\n# a heading');
    expect(closed).toContain('</code></pre>');
    expect(closed).toContain('<h1>a heading</h1>');
  });

  it('shows a half-written emphasis or link as text rather than breaking the rest', () => {
    expect(renderMarkdown('this is **bol')).toBe('<p>this is **bol</p>\n');
    expect(renderMarkdown('see [the docs](https://exa')).toBe('<p>see [the docs](https://exa</p>\n');
    expect(renderMarkdown('see [the docs](https://example.com)')).toContain(
      '<a href="https://example.com" target="_blank" rel="noopener noreferrer nofollow">the docs</a>',
    );
  });

  it.each([
    ['a script tag', '<script>alert(1)</script>'],
    ['an image with onerror', '<img src=x onerror="alert(1)">'],
    ['an svg with onload', '<svg onload=alert(1)></svg>'],
    ['an iframe', '<iframe srcdoc="<script>alert(1)</script>"></iframe>'],
    ['a javascript: link', '[click](javascript:alert(1))'],
    ['an encoded javascript: link', '[click](jav&#x09;ascript:alert(1))'],
    ['a data: link', '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
    ['a vbscript: link', '[x](vbscript:msgbox(1))'],
    ['a markdown image that would call home', '![tracker](https://evil.example/pixel.png)'],
    ['an inline style', '<span style="position:fixed;inset:0">cover</span>'],
    ['a form', '<form action="https://evil.example"><input name=p></form>'],
    ['html inside a code fence language', '```"><script>alert(1)</script>\nx\n```'],
    ['a link with a quote in the href', '[x](https://a.example/"onmouseover="alert(1))'],
  ])('never turns %s into live HTML', (_name, hostile) => {
    for (const part of [...prefixes(hostile), hostile]) {
      const html = renderMarkdown(part);
      expect(liveHtml(html)).toEqual([]);
      expect(html).not.toMatch(/<script/i);
    }
  });

  it('shows the hostile text itself, escaped, so the reader sees what the model wrote', () => {
    expect(renderMarkdown('<script>alert(1)</script>')).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});
