import type { Browser, Page } from 'playwright-core';

/** One cold load of `/` in a fresh context: first contentful paint, and when the chat was ready to type in. */
export async function coldLoad(browser: Browser, url: string): Promise<{ fcpMs: number; readyMs: number }> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(url);
    await page.getByRole('button', { name: 'New chat' }).waitFor();
    const readyMs = await page.evaluate(() => performance.now());
    const fcpMs = await page.evaluate(
      () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
    );
    return { fcpMs, readyMs };
  } finally {
    await context.close();
  }
}

/** Every JavaScript file the browser fetches to draw `/` (the chat, with login off), by path. */
export async function scriptsOfFirstRoute(browser: Browser, url: string): Promise<string[]> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const scripts: string[] = [];
    page.on('response', (res) => {
      const path = new URL(res.url()).pathname;
      if (path.endsWith('.js')) scripts.push(path);
    });
    await page.goto(url);
    await page.getByRole('button', { name: 'New chat' }).waitFor();
    await page.waitForLoadState('networkidle');
    return [...new Set(scripts)];
  } finally {
    await context.close();
  }
}

/** Runs in the page (a string: this project compiles without the DOM types). */
const SEND_AND_TIME_FIRST_TEXT = `new Promise((resolve) => {
  const answers = () => document.querySelectorAll('article.message-assistant');
  const before = answers().length;
  const box = document.querySelector('.composer textarea');
  let t0 = 0;
  const observer = new MutationObserver(() => {
    const list = answers();
    const last = list[list.length - 1];
    if (list.length > before && last && last.querySelector('.markdown')?.textContent) {
      observer.disconnect();
      // The frame that shows it: measured when the browser is about to paint.
      requestAnimationFrame(() => resolve(performance.now() - t0));
    }
  });
  observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  t0 = performance.now();
  box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
})`;

/**
 * Sends `prompt` from the message box and returns the milliseconds from the Enter key to the first
 * answer text painted into the page (a MutationObserver in the page: no round trip to the driver
 * inside the measurement), then waits for the answer to end.
 */
export async function timeToFirstTokenRendered(page: Page, prompt: string): Promise<number> {
  await page.getByRole('combobox', { name: 'Message' }).fill(prompt);
  const ms = await page.evaluate<number>(SEND_AND_TIME_FIRST_TEXT);
  await page.getByRole('article', { name: 'Assistant' }).last().getByRole('button', { name: 'Regenerate' }).waitFor();
  return ms;
}

/** The API's own time to first token: `POST …/messages` over SSE from Node, to the first `token` event. */
export async function apiTimeToFirstToken(api: string, prompt: string): Promise<number> {
  const created = await fetch(`${api}/api/v1/conversations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  if (created.status !== 201) throw new Error(`create conversation: HTTP ${created.status}`);
  const { id } = (await created.json()) as { id: string };
  const t0 = performance.now();
  const res = await fetch(`${api}/api/v1/conversations/${id}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ content: prompt }),
  });
  if (!res.ok || !res.body) throw new Error(`send: HTTP ${res.status}`);
  let first = Number.NaN;
  let text = '';
  const decoder = new TextDecoder();
  for await (const part of res.body as unknown as AsyncIterable<Uint8Array>) {
    text += decoder.decode(part, { stream: true });
    if (Number.isNaN(first) && text.includes('event: token')) first = performance.now() - t0;
  }
  if (Number.isNaN(first)) throw new Error('no token event');
  return first;
}
