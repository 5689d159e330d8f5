import type { Api, HistoryItem, Notification } from './demo-client';

// What the demo prints (a timeline in simulated time) and what it checks (a list of
// named expectations, each pass or fail, printed as the summary).

/** "2026-11-23T08:00:00.000Z" → "11-23 08:00:00" (simulated time, UTC). */
export const clockText = (iso: string) => iso.slice(5, 19).replace('T', ' ');

/** Pads to a column width, counting CJK characters as two columns, as terminals show them. */
function pad(text: string, columns: number): string {
  const wide = text.match(/[\u2e80-\u9fff\uff00-\uffef]/g)?.length ?? 0;
  return text + ' '.repeat(Math.max(0, columns - text.length - wide));
}

export class Timeline {
  /** What was printed already: a complaint's message is about its job too, and shows once. */
  private readonly seen = new Set<string>();

  constructor(private readonly api: Api) {}

  heading(text: string): void {
    console.log(`\n=== ${text} ===`);
  }

  line(at: string, actor: string, what: string, status = ''): void {
    const tail = status ? `  → ${status}` : '';
    console.log(`[${clockText(at)}] ${pad(actor, 22)} ${pad(what, 58)}${tail}`);
  }

  note(text: string): void {
    console.log(`${' '.repeat(17)}·· ${text}`);
  }

  /** Prints the alerts and resident messages published for a job (or complaint) since the last look; returns them. */
  async news(id: string, about: 'jobId' | 'complaintId' = 'jobId'): Promise<Notification[]> {
    const items = (await this.api.notifications(id, about)).filter((n) => n.topic !== 'technicians');
    const fresh = items.filter((n) => !this.seen.has(JSON.stringify(n)));
    for (const n of fresh) this.seen.add(JSON.stringify(n));
    for (const n of fresh) console.log(describe(n));
    return fresh;
  }

  history(label: string, items: HistoryItem[]): void {
    console.log(`\n${label}`);
    for (const h of items) console.log(`  [${clockText(h.at)}] ${h.type.padEnd(20)} ${h.actor}`);
  }
}

function describe(n: Notification): string {
  const pad = ' '.repeat(17);
  if (n.topic === 'alerts') {
    const tag = `ALERT ${n.attributes.severity} ${n.attributes.type}`;
    return `${pad}!! ${tag} — "${n.subject}": ${n.message}`;
  }
  return `${pad}>> resident (${n.attributes.type}) — "${n.subject}": ${n.message}`;
}

export class Checks {
  private readonly results: { name: string; ok: boolean; detail: string }[] = [];

  check(name: string, ok: boolean, detail = ''): boolean {
    this.results.push({ name, ok, detail });
    return ok;
  }

  equal(name: string, actual: unknown, expected: unknown): boolean {
    const a = JSON.stringify(actual);
    const e = JSON.stringify(expected);
    return this.check(name, a === e, a === e ? '' : `got ${a}, expected ${e}`);
  }

  get failed() {
    return this.results.filter((r) => !r.ok);
  }

  print(): void {
    console.log('\n=== Checks ===');
    for (const r of this.results)
      console.log(`  ${r.ok ? 'PASS' : 'FAIL'}  ${r.name}${r.detail ? `  (${r.detail})` : ''}`);
    const failed = this.failed.length;
    console.log(`\n${this.results.length - failed}/${this.results.length} checks passed`);
  }
}
