import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import css from 'highlight.js/lib/languages/css';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';
import MarkdownIt from 'markdown-it';

type Markdown = InstanceType<typeof MarkdownIt>;

const LANGUAGES = { bash, css, go, java, javascript, json, python, rust, sql, typescript, xml, yaml };
for (const [name, language] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, language);
hljs.registerAliases(['sh', 'shell', 'zsh'], { languageName: 'bash' });
hljs.registerAliases(['js', 'jsx', 'mjs'], { languageName: 'javascript' });
hljs.registerAliases(['ts', 'tsx'], { languageName: 'typescript' });
hljs.registerAliases(['html', 'svg'], { languageName: 'xml' });
hljs.registerAliases(['py'], { languageName: 'python' });
hljs.registerAliases(['yml'], { languageName: 'yaml' });

/** The only URL schemes a link in an answer may have; anything else renders as text. */
const SAFE_LINK = /^(https?:|mailto:)/i;

/**
 * Markdown for model output, GitHub-flavoured (tables, lists, strikethrough, fenced code):
 * - raw HTML is never interpreted (`html: false` escapes it), so `<script>`, `<img onerror>` and
 *   friends show as text;
 * - links must be http(s) or mailto, open in a new tab without referrer or opener;
 * - images are not loaded (a model could otherwise make the browser call any address): shown as links;
 * - code is highlighted by class names only, and each block gets a copy button.
 * Rendering the whole text again on each token is how partial markdown stays correct: an open fence
 * runs to the end until its closing line arrives.
 */
function createRenderer(copyLabel: string): Markdown {
  const md = new MarkdownIt({ html: false, linkify: false, breaks: false, typographer: false });
  md.validateLink = (url) => SAFE_LINK.test(url.trim());
  md.disable('image');

  md.renderer.rules.fence = (tokens, index) => {
    const token = tokens[index];
    if (!token) return '';
    const language = token.info.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
    const code = token.content;
    const body =
      language && hljs.getLanguage(language)
        ? hljs.highlight(code, { language, ignoreIllegals: true }).value
        : md.utils.escapeHtml(code);
    const langClass =
      language && hljs.getLanguage(language) ? ` class="hljs language-${md.utils.escapeHtml(language)}"` : '';
    return (
      `<div class="code-block"><button type="button" class="btn btn-secondary copy-code" data-copy-code>` +
      `${md.utils.escapeHtml(copyLabel)}</button><pre><code${langClass}>${body}</code></pre></div>\n`
    );
  };

  const defaultLinkOpen =
    md.renderer.rules.link_open ?? ((tokens, index, options, _env, self) => self.renderToken(tokens, index, options));
  md.renderer.rules.link_open = (tokens, index, options, env, self) => {
    const token = tokens[index];
    token?.attrSet('target', '_blank');
    token?.attrSet('rel', 'noopener noreferrer nofollow');
    return defaultLinkOpen(tokens, index, options, env, self);
  };
  // Table alignment would be an inline style, which the Content-Security-Policy refuses: use a class.
  for (const cell of ['th_open', 'td_open'] as const) {
    md.renderer.rules[cell] = (tokens, index, options, _env, self) => {
      const token = tokens[index];
      const style = token?.attrGet('style');
      if (token && style) {
        token.attrs = (token.attrs ?? []).filter(([name]) => name !== 'style');
        const align = /text-align:(left|right|center)/.exec(String(style))?.[1];
        if (align) token.attrSet('class', `align-${align}`);
      }
      return self.renderToken(tokens, index, options);
    };
  }
  return md;
}

const renderers = new Map<string, Markdown>();

/** Safe HTML for a (possibly partial) markdown answer. */
export function renderMarkdown(text: string, copyLabel = 'Copy'): string {
  let md = renderers.get(copyLabel);
  if (!md) {
    md = createRenderer(copyLabel);
    renderers.set(copyLabel, md);
  }
  return md.render(text);
}
