import { Agent, createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StringDecoder } from 'node:string_decoder';

/**
 * The floor of this machine for a streamed chat answer: the least two HTTP hops can do. `relay` is
 * what a gateway must do at the least (forward the request and pipe the answer back); `reframe` is
 * what an orchestrator must do at the least (call the provider and re-frame its SSE into one Parley
 * frame per token, with index and seq, as `message.started`, `token`…, `message.completed`). Both
 * use node:http with keep-alive and Nagle off, no framework, no auth, no storage: the platform's own
 * cost is "platform-added minus floor-added" measured in the same run.
 */
export type FloorRole = 'relay' | 'reframe';

export function startFloorHop(role: FloorRole, upstream: string, port: number): Promise<Server> {
  const agent = new Agent({ keepAlive: true, maxSockets: 512 });
  const server = createServer((req, res) => {
    req.socket.setNoDelay(true);
    if (role === 'relay') relay(req, res, upstream, agent);
    else void reframe(req, res, upstream, agent);
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

function relay(req: IncomingMessage, res: ServerResponse, upstream: string, agent: Agent): void {
  const out = request(
    `${upstream}${req.url ?? '/'}`,
    { method: req.method, agent, headers: { ...req.headers, host: new URL(upstream).host } },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      res.flushHeaders();
      answer.pipe(res);
    },
  );
  out.on('socket', (socket) => socket.setNoDelay(true));
  out.on('error', () => res.destroy());
  req.pipe(out);
}

async function reframe(req: IncomingMessage, res: ServerResponse, upstream: string, agent: Agent): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const { content } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { content: string };
  const payload = JSON.stringify({
    model: 'bench-model',
    stream: true,
    messages: [{ role: 'user', content }],
  });
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  let seq = 0;
  let index = 0;
  const frame = (event: Record<string, unknown>) => res.write(`data: ${JSON.stringify({ ...event, seq: seq++ })}\n\n`);
  frame({ type: 'message.started' });
  const out = request(
    `${upstream}/v1/chat/completions`,
    {
      method: 'POST',
      agent,
      headers: {
        authorization: 'Bearer bench',
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(payload)),
      },
    },
    (answer) => {
      const decoder = new StringDecoder('utf8');
      let buffer = '';
      answer.on('data', (chunk: Buffer) => {
        buffer += decoder.write(chunk);
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const data = buffer
            .slice(0, end)
            .split('\n')
            .filter((line) => line.startsWith('data:'))
            .map((line) => line.slice(5).trim())
            .join('\n');
          buffer = buffer.slice(end + 2);
          if (!data || data === '[DONE]') continue;
          const text = (JSON.parse(data) as { choices?: { delta?: { content?: string } }[] }).choices?.[0]?.delta
            ?.content;
          if (text) frame({ type: 'token', text, index: index++ });
        }
      });
      answer.on('end', () => {
        frame({ type: 'message.completed' });
        res.end();
      });
    },
  );
  out.on('socket', (socket) => socket.setNoDelay(true));
  out.on('error', () => res.destroy());
  out.end(payload);
}

export function portOf(server: Server): number {
  return (server.address() as AddressInfo).port;
}
