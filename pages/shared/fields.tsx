import type { ComponentChildren } from 'preact';

// A form field's label, its control and the server's word about it: the message sits under the
// control, which points at it (aria-describedby) and is marked invalid, so a screen reader reads
// the refusal with the field.

export function Field(p: {
  id: string;
  label: string;
  error: string | undefined;
  children: (aria: Record<string, string | boolean | undefined>) => ComponentChildren;
}) {
  const errorId = `${p.id}-error`;
  return (
    <div class="field">
      <label for={p.id}>{p.label}</label>
      {p.children({
        'aria-invalid': p.error ? true : undefined,
        'aria-describedby': p.error ? errorId : undefined,
      })}
      <FieldMessage id={errorId} message={p.error} />
    </div>
  );
}

/** The server's message for a field (or a group of fields), where it can be pointed at. */
export function FieldMessage({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p id={id} class="field-error" data-field-error={id}>
      {message}
    </p>
  );
}
