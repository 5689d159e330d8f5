// Progress on stderr, plain lines (a terminal and a CI log read the same): every phase and
// finished measurement, and within a phase at most one update every 2 s. stdout stays free.

const started = Date.now();
let phase = '';
let lastUpdate = 0;

function line(text: string): void {
  const s = Math.floor((Date.now() - started) / 1000);
  const clock = `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  process.stderr.write(`[bench ${clock}] ${phase}${text ? ` — ${text}` : ''}\n`);
}

export const progress = {
  phase(name: string): void {
    phase = name;
    line('');
  },
  update(text: string): void {
    if (Date.now() - lastUpdate < 2000) return;
    lastUpdate = Date.now();
    line(text);
  },
  /** A finished measurement. */
  note: (text: string) => line(text),
  elapsedSeconds: () => (Date.now() - started) / 1000,
};

/** "[####......] i/n extra", for update(). */
export function bar(i: number, n: number, extra = ''): string {
  const filled = n ? Math.round((i / n) * 20) : 0;
  return `[${'#'.repeat(filled)}${'.'.repeat(20 - filled)}] ${i}/${n}${extra ? ` ${extra}` : ''}`;
}
