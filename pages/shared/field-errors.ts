import type { Reply } from '../../client/api-client';

// The server's 400 names each field it refused by its path ("sla.acceptWarnMinutes",
// "holidays.2"); the forms show each message next to its field. The server is the one judge of
// the values: the forms repeat none of its rules.

export interface FieldError {
  path: string;
  message: string;
}

/** The fields a refusal names (none for a success or a refusal that names none). */
export function errorsOf(reply: Reply): FieldError[] {
  return reply.ok ? [] : (reply.body?.errors ?? []);
}

const under = (path: string, field: string) => path === field || path.startsWith(`${field}.`);

/** The messages for a field and anything inside it (a list's items, an object's members), or undefined. */
export function errorAt(errors: readonly FieldError[], field: string): string | undefined {
  const messages = errors.filter((e) => under(e.path, field)).map((e) => e.message);
  return messages.length ? [...new Set(messages)].join('; ') : undefined;
}

/** What the form shows no field for, as text for its summary ("path: message; …"). */
export function unplaced(errors: readonly FieldError[], fields: readonly string[]): string {
  return errors
    .filter((e) => !fields.some((f) => under(e.path, f)))
    .map((e) => `${e.path}: ${e.message}`)
    .join('; ');
}
