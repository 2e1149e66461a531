/**
 * A progress bar on stderr for long work, shown only when stderr is a TTY (never in pipes,
 * logs or --json consumers), redrawn at most 10 times a second, with an ETA.
 */
import { printable } from './style.js';

export interface Progress {
  tick(n?: number): void;
  done(): void;
}

const NOOP: Progress = { tick() {}, done() {} };

function fmtSeconds(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '--';
  if (s < 60) return `${Math.ceil(s)}s`;
  return `${Math.floor(s / 60)}m${String(Math.ceil(s % 60)).padStart(2, '0')}s`;
}

export function progressBar(rawLabel: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY || total <= 0) return NOOP;
  // A label may name a file: escaped here, for every caller.
  const label = printable(rawLabel);
  const start = Date.now();
  let current = 0;
  let lastDraw = 0;
  const width = 24;
  const draw = (force: boolean): void => {
    const now = Date.now();
    if (!force && now - lastDraw < 100) return;
    lastDraw = now;
    const frac = Math.min(1, current / total);
    const filled = Math.round(frac * width);
    const elapsed = (now - start) / 1000;
    const eta = current > 0 ? (elapsed / current) * (total - current) : Number.NaN;
    stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${current}/${total} eta ${fmtSeconds(eta)} `);
  };
  draw(true);
  return {
    tick(n = 1) {
      current += n;
      draw(current >= total);
    },
    done() {
      stream.write('\r\u001b[K');
    },
  };
}
