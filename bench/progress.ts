// The progress display on stderr: one line redrawn in place on a terminal, plain lines
// otherwise (CI logs). stdout stays free for the summary.

const started = Date.now();
const tty = process.stderr.isTTY === true;
let phase = '';
let lastPlain = 0;

const elapsed = () => {
  const s = Math.floor((Date.now() - started) / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

function draw(text: string, force = false): void {
  const line = `[bench ${elapsed()}] ${phase}${text ? ` — ${text}` : ''}`;
  if (tty) {
    const width = process.stderr.columns ?? 120;
    process.stderr.write(`\r\x1b[2K${line.slice(0, width - 1)}`);
  } else if (force || Date.now() - lastPlain > 2000) {
    lastPlain = Date.now();
    process.stderr.write(`${line}\n`);
  }
}

export const progress = {
  /** A new phase: finishes the previous line and starts a new one. */
  phase(name: string): void {
    if (tty && phase) process.stderr.write('\n');
    phase = name;
    draw('', true);
  },
  /** Progress inside the phase (throttled to one line every 2 s off a terminal). */
  update(text: string): void {
    draw(text);
  },
  /** A line that stays (a finished measurement). */
  note(text: string): void {
    draw(text, true);
    if (tty) process.stderr.write('\n');
    if (tty) draw('');
  },
  done(): void {
    if (tty) process.stderr.write('\n');
    process.stderr.write(`[bench ${elapsed()}] done\n`);
  },
  elapsedSeconds: () => (Date.now() - started) / 1000,
};

/** "i/n" with a bar, for update(). */
export function bar(i: number, n: number, extra = ''): string {
  const width = 20;
  const filled = n ? Math.round((i / n) * width) : 0;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${i}/${n}${extra ? ` ${extra}` : ''}`;
}
