import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { MonthlyReport } from '../../client/api-client';
import { localDate } from '../../functions/domain/calendar';
import { CATEGORIES, type Locale } from '../../functions/domain/types';
import { api, problemText, serverNow, useLive } from '../shared/api';
import { categoryLabel, companyTimeZone } from '../shared/i18n';
import type { Session } from '../shared/session';
import { firstProperty, PropertyFilter } from './property-filter';
import type { W } from './words';

// The manager's month (S14 fault summaries, S23 staff performance, S16/S17 complaints):
// headline figures, two charts read at a glance, the complaint deadlines, the technician
// league with its recalls, and the league as CSV for the spreadsheet.

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

type MetMissed = { met: number; missed: number };

const percent = (m: MetMissed) =>
  m.met + m.missed ? `${Math.round((100 * m.met) / (m.met + m.missed))}%` : '—';
const sum = (a: MetMissed, b: MetMissed) => ({ met: a.met + b.met, missed: a.missed + b.missed });
/** A rate of 0–1 as a whole percentage; none (nothing signed) as a dash. */
const rate = (r: number | null) => (r === null ? '—' : `${Math.round(100 * r)}%`);

export function Reports({ session, locale, w }: { session: Session; locale: Locale; w: W }) {
  const [month, setMonth] = useState(() => localDate(serverNow(), companyTimeZone()).slice(0, 7));
  // A report is of one property or the company: a scoped manager names one of theirs.
  const [property, setProperty] = useState(() => firstProperty(session, true));
  const query = new URLSearchParams({ month, ...(property && { property }) });
  const live = useLive<MonthlyReport>(session.token, `/reports/monthly?${query}`, 5000);
  const r = live.data;
  const [csvError, setCsvError] = useState<string | null>(null);
  const exportCsv = async () => {
    const reply = await api.getMonthlyReport(
      session.token,
      { month, ...(property && { property }) },
      { format: 'csv' },
    );
    if (!reply.ok) return setCsvError(problemText(reply));
    setCsvError(null);
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([reply.body], { type: 'text/csv;charset=utf-8' }));
    link.download = `technicians-${month}-${property || 'ALL'}.csv`;
    link.click();
    URL.revokeObjectURL(link.href);
  };
  return (
    <section aria-labelledby="reports-title">
      <div class="card">
        <h2 id="reports-title">{w.tabReports}</h2>
        <div class="row">
          <div>
            <label for="r-month">{w.month}</label>
            <input
              id="r-month"
              type="month"
              value={month}
              onChange={(e) => setMonth(e.currentTarget.value)}
            />
          </div>
          <PropertyFilter
            id="r-property"
            session={session}
            value={property}
            onChange={setProperty}
            needsOne
            w={w}
          />
          <button type="button" class="secondary" onClick={exportCsv}>
            {w.csv}
          </button>
        </div>
        {(live.error ?? csvError) && (
          <p class="error" role="alert">
            {live.error ?? csvError}
          </p>
        )}
      </div>
      {r && <ReportBody r={r} locale={locale} w={w} />}
    </section>
  );
}

function ReportBody({ r, locale, w }: { r: MonthlyReport; locale: Locale; w: W }) {
  const arrival = sum(r.arrival.urgent, r.arrival.regular);
  const kpis: [string, string, string][] = [
    ['booked', w.booked, String(r.jobs.booked)],
    ['closed', w.closed, String(r.jobs.closed)],
    ['cancelled', w.cancelledCount, String(r.jobs.cancelled)],
    ['arrival', w.onTimeArrival, percent(arrival)],
    ['callbacks', w.callbacksOnTime, percent(r.callbacks)],
    [
      'satisfaction',
      w.satisfactionAvg,
      r.satisfaction.average === null ? '—' : r.satisfaction.average.toFixed(1),
    ],
    ['recallRate', w.recallRate, rate(r.recalls.rate)],
  ];
  return (
    <>
      <div class="kpis" data-testid="kpis">
        {kpis.map(([id, label, value]) => (
          <div key={id} class="kpi" data-kpi={id}>
            <span class="muted">{label}</span>
            <strong>{value}</strong>
          </div>
        ))}
      </div>
      <div class="layout">
        <BarChart
          title={w.byCategory}
          labels={CATEGORIES.map((c) => categoryLabel(locale, c))}
          series={[{ label: w.jobs, data: CATEGORIES.map((c) => r.byCategory[c] ?? 0), color: '#0b5cad' }]}
        />
        <BarChart
          title={w.arrivalChart}
          labels={[w.urgent, w.regular]}
          series={[
            { label: w.met, data: [r.arrival.urgent.met, r.arrival.regular.met], color: '#106b3a' },
            { label: w.missed, data: [r.arrival.urgent.missed, r.arrival.regular.missed], color: '#a4161a' },
          ]}
        />
      </div>
      <Complaints r={r} w={w} />
      <League r={r} w={w} />
    </>
  );
}

/** S16's same-day investigation and S17's 3-day callback, as settled in the month. */
function Complaints({ r, w }: { r: MonthlyReport; w: W }) {
  const c = r.complaints;
  const rows: [string, string, MetMissed][] = [
    ['investigation', w.complaintInvestigation, { met: c.investigationMet, missed: c.investigationMissed }],
    ['callback', w.reportCallback, { met: c.callbackMet, missed: c.callbackMissed }],
  ];
  return (
    <section class="card scroll" aria-labelledby="complaints-title">
      <h3 id="complaints-title">{w.complaintFigures}</h3>
      <p data-testid="complaints-received">
        {w.complaintsReceived}: <strong>{c.received}</strong>
      </p>
      <table data-testid="complaints">
        <thead>
          <tr>
            <th scope="col">{w.complaintDeadline}</th>
            <th scope="col">{w.met}</th>
            <th scope="col">{w.missed}</th>
            <th scope="col">{w.onTime}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([id, label, m]) => (
            <tr key={id} data-complaint={id}>
              <th scope="row">{label}</th>
              <td>{m.met}</td>
              <td>{m.missed}</td>
              <td>{percent(m)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

interface Series {
  label: string;
  data: number[];
  color: string;
}

/** A bar chart with its figures also in words for screen readers (the canvas is an image). */
function BarChart({ title, labels, series }: { title: string; labels: string[]; series: Series[] }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, {
      type: 'bar',
      data: {
        labels,
        datasets: series.map((s) => ({ label: s.label, data: s.data, backgroundColor: s.color })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
    return () => chart.destroy();
  }, [labels.join(), JSON.stringify(series)]);
  const summary = series
    .map((s) => `${s.label}: ${labels.map((l, i) => `${l} ${s.data[i]}`).join(', ')}`)
    .join('; ');
  return (
    <figure class="card">
      <figcaption>
        <h3>{title}</h3>
      </figcaption>
      <div class="chart">
        <canvas ref={canvas} role="img" aria-label={`${title}. ${summary}`} />
      </div>
    </figure>
  );
}

function League({ r, w }: { r: MonthlyReport; w: W }) {
  if (!r.technicians.length) return <p class="card">{w.noData}</p>;
  return (
    <section class="card scroll" aria-labelledby="league-title">
      <h3 id="league-title">{w.league}</h3>
      <table data-testid="league">
        <thead>
          <tr>
            <th scope="col">{w.technician}</th>
            <th scope="col">{w.jobs}</th>
            <th scope="col">{w.onTime}</th>
            <th scope="col">{w.satisfactionAvg}</th>
            <th scope="col">{w.unableToFix}</th>
            <th scope="col">{w.quickFixes}</th>
            <th scope="col">{w.recalls}</th>
            <th scope="col">{w.recallRate}</th>
          </tr>
        </thead>
        <tbody>
          {r.technicians.map((t) => (
            <tr key={t.technicianId}>
              <td>
                {t.name} <span class="muted">{t.technicianId}</span>
              </td>
              <td>{t.jobs}</td>
              <td>{percent({ met: t.arrivalMet, missed: t.arrivalMissed })}</td>
              <td>{t.satisfactionAverage === null ? '—' : t.satisfactionAverage.toFixed(1)}</td>
              <td>{t.unableToFix}</td>
              <td>{t.laborWaived}</td>
              <td>{t.recalls}</td>
              <td>{rate(t.recallRate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="muted">{w.recallNote}</p>
    </section>
  );
}
