import type { AppPorts } from '../adapters/ports';
import { techniciansCsv } from '../domain/reports';
import { monthlyReportQuerySchema } from '../domain/schemas';
import { monthlyReport } from '../domain/use-cases';
import { callerOf } from '../http/auth';
import { httpHandler } from '../http/handler';
import { header, parseWith, preferredType } from '../http/request';

const CSV = 'text/csv';

export const monthlyReportHandler = (p: AppPorts) =>
  httpHandler(p.observability, async (event) => {
    const caller = callerOf(event);
    const query = parseWith(monthlyReportQuerySchema, event.queryStringParameters ?? {}, 'query');
    const report = await monthlyReport(p, caller, query);
    // One URL, two representations: caches must key on Accept.
    const vary = { vary: 'accept' };
    if (preferredType(header(event, 'accept'), ['application/json', CSV]) !== CSV)
      return { status: 200, body: report, headers: vary };
    const file = `technicians-${report.month}-${report.property ?? 'ALL'}.csv`;
    return {
      status: 200,
      body: techniciansCsv(report),
      contentType: `${CSV}; charset=utf-8`,
      headers: { ...vary, 'content-disposition': `attachment; filename="${file}"` },
    };
  });
