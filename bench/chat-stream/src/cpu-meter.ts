import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's utime and stime (USER_HZ: 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** User + system CPU milliseconds a process has used, or 0 when it is gone. */
function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/**
 * A process and those of its direct children `keep` accepts, by their command line (Postgres: the
 * postmaster, its background processes and the backends of one database only).
 */
export function withChildren(pid: number, keep: (cmdline: string) => boolean = () => true): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid && keep(readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' '))) {
        children.push(Number(entry));
      }
    } catch {
      // gone meanwhile
    }
  }
  return [pid, ...children];
}

/** A pid from a pid file (the infra's servers), or null. */
export function pidFromFile(path: string): number | null {
  try {
    const pid = Number(readFileSync(path, 'utf8').split('\n')[0]?.trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** CPU milliseconds of each process of each group at one moment. */
export type CpuReading = Record<string, Map<number, number>>;

/**
 * CPU time of named groups of processes between two readings (user + system, from /proc), so a
 * benchmark can say what each completed stream cost each part. Groups are looked up again at each
 * reading (Postgres backends come and go): a process that started in between counts whole, one
 * that exited in between takes its CPU with it (kept-alive pools make that rare).
 */
export class CpuMeter {
  constructor(private readonly groups: Record<string, () => number[]>) {}

  read(): CpuReading {
    const reading: CpuReading = {};
    for (const [name, pids] of Object.entries(this.groups)) {
      reading[name] = new Map(pids().map((pid) => [pid, cpuMsOf(pid)]));
    }
    return reading;
  }

  static since(before: CpuReading, after: CpuReading): Record<string, number> {
    const spent: Record<string, number> = {};
    for (const [name, now] of Object.entries(after)) {
      let sum = 0;
      for (const [pid, ms] of now) sum += Math.max(0, ms - (before[name]?.get(pid) ?? 0));
      spent[name] = sum;
    }
    return spent;
  }
}
