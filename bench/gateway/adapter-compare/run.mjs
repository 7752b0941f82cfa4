// NestJS on Express vs NestJS on Fastify for one HTTP-forwarding hop, beside a bare node:http
// proxy and the upstream called directly, interleaved in the same rounds (issue 10):
//   cd bench/gateway/adapter-compare && npm install && node run.mjs [--requests N] [--rounds N]
// Every server is a process of its own; the load generator (undici, keep-alive) is this process.
// The Nest apps have one controller whose handler forwards with an undici pool and returns the
// upstream's JSON, the same for both adapters (no guard, no middleware: the adapter's own cost).
// Writes ../../../docs/benchmarks/gateway-adapters.json and prints a Markdown table.
import 'reflect-metadata';
import { fork } from 'node:child_process';
import { createServer, request as httpRequest, Agent } from 'node:http';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';

const role = process.env.ADAPTER_COMPARE_ROLE;

async function listen(server) {
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server.address().port;
}

/** The upstream: a small JSON answer, keep-alive, Nagle off. */
async function upstream() {
  const body = JSON.stringify({ ok: true, text: 'x'.repeat(200) });
  const server = createServer((req, res) => {
    req.socket.setNoDelay(true);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  server.keepAliveTimeout = 65_000;
  return listen(server);
}

/** The floor: a bare node:http proxy (keep-alive agent, Nagle off). */
async function bare(target) {
  const url = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const server = createServer((req, res) => {
    req.socket.setNoDelay(true);
    const out = httpRequest(
      { host: url.hostname, port: url.port, method: req.method, path: req.url, headers: req.headers, agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => res.writeHead(502).end());
    req.pipe(out);
  });
  server.keepAliveTimeout = 65_000;
  return listen(server);
}

/** A Nest app on the given adapter with one forwarding route, GET /fwd. */
async function nest(adapter, target) {
  const { Controller, Get, Module } = await import('@nestjs/common');
  const { NestFactory } = await import('@nestjs/core');
  const pool = new Pool(target, { connections: 256, pipelining: 1 });
  class ForwardController {
    async forward() {
      const answer = await pool.request({ path: '/', method: 'GET' });
      return answer.body.json();
    }
  }
  Reflect.decorate(
    [Get('fwd')],
    ForwardController.prototype,
    'forward',
    Object.getOwnPropertyDescriptor(ForwardController.prototype, 'forward'),
  );
  Reflect.decorate([Controller()], ForwardController);
  class AppModule {}
  Reflect.decorate([Module({ controllers: [ForwardController] })], AppModule);
  let app;
  if (adapter === 'fastify') {
    const { FastifyAdapter } = await import('@nestjs/platform-fastify');
    app = await NestFactory.create(AppModule, new FastifyAdapter({ keepAliveTimeout: 65_000 }), { logger: false });
  } else {
    app = await NestFactory.create(AppModule, { logger: false });
    app.getHttpAdapter().getInstance().disable('x-powered-by');
  }
  await app.listen(0, '127.0.0.1');
  const server = app.getHttpServer();
  server.keepAliveTimeout = 65_000;
  server.on('connection', (socket) => socket.setNoDelay(true));
  return server.address().port;
}

if (role) {
  const target = process.env.ADAPTER_COMPARE_TARGET;
  const port =
    role === 'upstream'
      ? await upstream()
      : role === 'bare'
        ? await bare(target)
        : await nest(role === 'nest-fastify' ? 'fastify' : 'express', target);
  process.send({ port });
} else {
  await main();
}

function start(name, target) {
  const child = fork(fileURLToPath(import.meta.url), [], {
    stdio: 'inherit',
    env: { ...process.env, ADAPTER_COMPARE_ROLE: name, ADAPTER_COMPARE_TARGET: target ?? '' },
  });
  return new Promise((resolve, reject) => {
    child.once('message', ({ port }) => resolve({ child, url: `http://127.0.0.1:${port}` }));
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}`)));
  });
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** `total` requests with `inFlight` at a time, closed loop; latencies in ms and the elapsed time. */
async function closedLoop(client, path, total, inFlight) {
  const latencies = [];
  let next = 0;
  const started = performance.now();
  const lane = async () => {
    while (next < total) {
      next++;
      const t0 = performance.now();
      const answer = await client.request({ path, method: 'GET' });
      await answer.body.json();
      if (answer.statusCode !== 200) throw new Error(`status ${answer.statusCode} from ${path}`);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return { latencies, elapsedMs: performance.now() - started };
}

async function main() {
  const { values } = parseArgs({
    options: { requests: { type: 'string', default: '2000' }, rounds: { type: 'string', default: '3' } },
  });
  const perRound = Number(values.requests);
  const rounds = Number(values.rounds);
  const up = await start('upstream');
  const hops = [
    ['direct', up],
    ['bare node:http proxy', await start('bare', up.url)],
    ['Nest + Express', await start('nest-express', up.url)],
    ['Nest + Fastify', await start('nest-fastify', up.url)],
  ];
  const results = {};
  try {
    for (const inFlight of [1, 10]) {
      const samples = Object.fromEntries(hops.map(([name]) => [name, { latencies: [], elapsedMs: 0 }]));
      const clients = hops.map(([name, { url }]) => [name, new Pool(url, { connections: inFlight })]);
      for (const [name, client] of clients) {
        await closedLoop(client, name === 'direct' || name.startsWith('bare') ? '/' : '/fwd', 300, inFlight); // warm-up
      }
      for (let round = 0; round < rounds; round++) {
        for (const [name, client] of clients) {
          const path = name === 'direct' || name.startsWith('bare') ? '/' : '/fwd';
          const { latencies, elapsedMs } = await closedLoop(client, path, perRound, inFlight);
          samples[name].latencies.push(...latencies);
          samples[name].elapsedMs += elapsedMs;
        }
      }
      for (const [name, client] of clients) await client.close();
      const direct = summary(samples.direct);
      for (const [name] of hops) {
        const s = summary(samples[name]);
        results[`${name} @${inFlight}`] = {
          ...s,
          addedP50Ms: round2(s.p50Ms - direct.p50Ms),
          addedP99Ms: round2(s.p99Ms - direct.p99Ms),
        };
      }
    }
  } finally {
    for (const [, { child }] of hops) child.kill('SIGTERM');
  }
  const at = new Date().toISOString();
  const out = fileURLToPath(new URL('../../../docs/benchmarks/gateway-adapters.json', import.meta.url));
  const machine = { cpu: cpus()[0]?.model, cores: cpus().length, node: process.version };
  const settings = { perRound, rounds, nest: '12.5.1 (platform-fastify 12.5.0, fastify 5)' };
  writeFileSync(out, `${JSON.stringify({ at, machine, settings, results }, null, 2)}\n`);
  process.stdout.write(`Run ${at}, ${JSON.stringify(settings)}\n\n`);
  process.stdout.write(
    '| hop | n | p50 ms | p99 ms | added p50 ms | added p99 ms | req/s |\n|---|---|---|---|---|---|---|\n',
  );
  for (const [key, r] of Object.entries(results)) {
    process.stdout.write(
      `| ${key} | ${r.count} | ${r.p50Ms} | ${r.p99Ms} | ${r.addedP50Ms} | ${r.addedP99Ms} | ${r.perSecond} |\n`,
    );
  }
}

function summary({ latencies, elapsedMs }) {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50Ms: round2(percentile(sorted, 50)),
    p99Ms: round2(percentile(sorted, 99)),
    perSecond: Math.round((sorted.length / elapsedMs) * 1000),
  };
}

function round2(n) {
  return Math.round(n * 100) / 100;
}
