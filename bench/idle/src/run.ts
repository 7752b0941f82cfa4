import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SERVICE_NAMES } from '@parley/config';
import { ensureInfra, PlatformProcesses, REPO_ROOT, sttEngineEnv } from '@parley/testing';

/** Linux clock ticks per second (`getconf CLK_TCK`), the unit of utime and stime in /proc/<pid>/stat. */
const CLK_TCK = 100;
/** Settings of the bench's environment that reach the services (unset: the services' defaults). */
const PASSED_ON = ['BUS_FETCH_MAX_WAIT_MS', 'BUS_REPLY_FETCH_MAX_WAIT_MS', 'BUS_CONSUMER_STALE_MS', 'OUTBOX_POLL_MS'];
/** Lines of idle.md after this one are not generated: each run keeps them. */
const KEPT_MARKER = '<!-- bench/idle keeps what follows -->';
/** Issue 10: the seven services with no traffic together use at most this share of one core. */
const TARGET_PERCENT = 2;

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start past the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK; // utime, stime (fields 14 and 15)
}

/**
 * The platform's idle cost: all seven services, ready and with no traffic, and beside them in the
 * same window a bare Node.js HTTP server (the floor: what an idle Node process costs on this
 * machine). Each one's CPU time over the window, as a percentage of one core.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { seconds: { type: 'string', default: '60' } } });
  const seconds = Number(values.seconds);
  const platform = await PlatformProcesses.start({
    services: SERVICE_NAMES,
    infra: ensureInfra(),
    // stt is ready only with its engine, as `npm start` runs it (its workers idle too).
    serviceEnv: { stt: { ...(await sttEngineEnv()) } },
    env: {
      DEPLOYMENT_MODE: 'cloud',
      LOG_LEVEL: 'warn',
      // The services' own bus defaults, not the test environment's short fetches and backoff; a
      // variable set for this command is passed on (to measure other settings).
      BUS_RETRY_BACKOFF_MS: undefined,
      ...Object.fromEntries(PASSED_ON.map((name) => [name, process.env[name]])),
    },
  });
  const floor = spawn(process.execPath, ['-e', "require('node:http').createServer().listen(0, '127.0.0.1')"], {
    stdio: 'ignore',
  });
  try {
    await new Promise((r) => setTimeout(r, 10_000)); // consumers joined, start-up work done
    const pids = new Map<string, number>(SERVICE_NAMES.map((name) => [name, platform.get(name).pid as number]));
    pids.set('floor (bare node:http)', floor.pid as number);
    const before = new Map([...pids].map(([name, pid]) => [name, cpuSeconds(pid)]));
    const started = performance.now();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const wall = (performance.now() - started) / 1000;
    const percent = new Map(
      [...pids].map(([name, pid]) => [name, round((100 * (cpuSeconds(pid) - (before.get(name) ?? 0))) / wall)]),
    );
    writeReport(percent, wall);
  } finally {
    floor.kill('SIGTERM');
    await platform.stop();
  }
}

function writeReport(percent: Map<string, number>, wall: number): void {
  const services = SERVICE_NAMES.map((name) => percent.get(name) ?? NaN);
  const total = round(services.reduce((a, b) => a + b, 0));
  const floor = percent.get('floor (bare node:http)') ?? NaN;
  const at = new Date().toISOString();
  const dir = resolve(REPO_ROOT, 'docs/benchmarks');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    resolve(dir, 'idle.json'),
    `${JSON.stringify({ at, cores: cpus().length, settings: Object.fromEntries(PASSED_ON.map((n) => [n, process.env[n] ?? 'default'])), wallSeconds: round(wall), percentOfOneCore: Object.fromEntries(percent), total }, null, 2)}\n`,
  );
  const rows = [...percent].map(([name, p]) => `| ${name} | ${p} |`).join('\n');
  const settings = PASSED_ON.map((name) => `\`${name}\` ${process.env[name] ?? 'default'}`).join(', ');
  const file = resolve(dir, 'idle.md');
  // What follows the marker (hand-written history and analysis) is kept from one run to the next.
  const kept = existsSync(file) ? readFileSync(file, 'utf8').split(KEPT_MARKER)[1] : undefined;
  writeFileSync(
    file,
    `# Idle cost

Command: \`bash bench/idle/run.sh [--seconds 60]\` (writes this file and \`idle.json\`). Run at ${at} on
${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}: the seven services started as \`npm start\` runs them
(cloud mode, their Kafka consumers joined), then ${round(wall)} s with no traffic at all; beside them, in the
same window, a bare Node.js HTTP server (the floor of an idle Node process here). CPU is user + system
time from \`/proc/<pid>/stat\`, as a percentage of one core. Settings: ${settings}.

| process | % of one core |
| --- | ---: |
${rows}
| **the seven services together** | **${total}** |

Target (issue 10): the seven together ≤ ${TARGET_PERCENT}% of one core — ${total <= TARGET_PERCENT ? 'met' : '**not met**'} (${total}%; the floor ×7 would be ${round(floor * 7)}%).
${kept === undefined ? '' : `\n${KEPT_MARKER}${kept}`}`,
  );
  process.stdout.write(`idle: seven services ${total}% of one core over ${round(wall)} s (floor ${floor}% each)\n`);
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
