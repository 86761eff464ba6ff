import { SingleBar } from 'cli-progress';

/** Where a long transfer reports how far it got. */
export interface Progress {
  start(total: number, label: string): void;
  update(done: number): void;
  stop(): void;
}

/** 1536 → "1.5 KiB". */
export function humanBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** 125 → "2m05s". */
export function humanDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** "12.0 MiB / 48.0 MiB, 6.0 MiB/s, 6s left": bytes so far, throughput and time left. */
export function describeTransfer(done: number, total: number, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
  const left = rate > 0 ? (total - done) / rate : Number.POSITIVE_INFINITY;
  return `${humanBytes(done)} / ${humanBytes(total)}, ${humanBytes(rate)}/s, ${done >= total ? 'done' : `${humanDuration(left)} left`}`;
}

/** A terminal progress bar with throughput and ETA (plain lines when stderr is not a terminal). */
export function terminalProgress(): Progress {
  const bar = new SingleBar({
    format: '{label} [{bar}] {percentage}% {transfer}',
    hideCursor: true,
    stream: process.stderr,
    noTTYOutput: true,
    notTTYSchedule: 5000,
  });
  let started = 0;
  let total = 0;
  return {
    start: (size, label) => {
      started = Date.now();
      total = size;
      bar.start(size, 0, { label, transfer: describeTransfer(0, size, 0) });
    },
    update: (done) => bar.update(done, { transfer: describeTransfer(done, total, Date.now() - started) }),
    stop: () => bar.stop(),
  };
}
