import { useEffect, useState } from 'preact/hooks';
import { api } from '../shared/api';
import { propertyChoices } from '../shared/scope';
import type { Session } from '../shared/session';
import type { W } from './words';

// The property filter of every listing (board, callbacks, complaints, reports, roster): a
// caller whose token names properties picks among those and nothing else; company scope types
// any code, with the configured properties (managers: GET /properties) and those listed as
// suggestions, or leaves it empty for the whole company.

/** The configured properties' codes, for a manager with company scope (agents may not list them). */
export function useConfiguredProperties(session: Session): string[] {
  const [codes, setCodes] = useState<string[]>([]);
  const wanted = session.role === 'manager' && !session.properties;
  useEffect(() => {
    if (!wanted) return;
    let stopped = false;
    api
      .listProperties(session.token)
      .then((reply) => {
        if (!stopped && reply.ok) setCodes(reply.body.items.map((p) => p.propertyId));
      })
      .catch(() => undefined);
    return () => {
      stopped = true;
    };
  }, [session.token, wanted]);
  return codes;
}

/** What a filter starts at: everything the caller sees, or their first property where one must be named. */
export const firstProperty = (session: Session, needsOne: boolean) =>
  needsOne && session.properties ? (session.properties[0] ?? '') : '';

export function PropertyFilter(p: {
  id: string;
  session: Session;
  value: string;
  onChange: (property: string) => void;
  w: W;
  /** Codes seen in what the page lists, as further suggestions. */
  seen?: readonly string[];
  /** A scoped caller must name one of theirs (the report is of one property or the company). */
  needsOne?: boolean;
}) {
  const { w, session } = p;
  const configured = useConfiguredProperties(session);
  const choices = propertyChoices(session.properties, configured, p.seen);
  if (choices.fixed)
    return (
      <div>
        <label for={p.id}>{w.filterProperty}</label>
        <select id={p.id} value={p.value} onChange={(e) => p.onChange(e.currentTarget.value)}>
          {!p.needsOne && <option value="">{w.allMine}</option>}
          {choices.options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      </div>
    );
  const listId = `${p.id}-list`;
  return (
    <div>
      <label for={p.id}>{w.filterProperty}</label>
      <input
        id={p.id}
        list={listId}
        value={p.value}
        placeholder={w.company}
        autocomplete="off"
        maxLength={32}
        onInput={(e) => p.onChange(e.currentTarget.value.trim())}
      />
      <datalist id={listId}>
        {choices.options.map((o) => (
          <option key={o} value={o} />
        ))}
      </datalist>
    </div>
  );
}
