import type { ChatStreamEvent } from '@parley/contracts';

/** One parsed Server-Sent Events frame. */
export interface SseFrame {
  event: string;
  id: string | null;
  data: ChatStreamEvent;
}

/**
 * Reads an SSE body frame by frame as it arrives (`event:`, `id:`, one `data:` line, blank line),
 * calling `onFrame` for each; resolves when the body ends. A frame split across chunks is joined.
 */
export async function readSse(
  body: ReadableStream<Uint8Array> | null,
  onFrame: (frame: SseFrame) => void | Promise<void>,
): Promise<void> {
  if (!body) return;
  const decoder = new TextDecoder();
  let buffer = '';
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const frame = parseFrame(block);
        if (frame) await onFrame(frame);
        end = buffer.indexOf('\n\n');
      }
    }
  } finally {
    reader.releaseLock();
  }
}

function parseFrame(block: string): SseFrame | null {
  let event = 'message';
  let id: string | null = null;
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event: ')) event = line.slice(7);
    else if (line.startsWith('id: ')) id = line.slice(4);
    else if (line.startsWith('data: ')) data.push(line.slice(6));
  }
  if (data.length === 0) return null;
  return { event, id, data: JSON.parse(data.join('\n')) as ChatStreamEvent };
}
