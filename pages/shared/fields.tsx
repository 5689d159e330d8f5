import type { ComponentChildren, InputHTMLAttributes } from 'preact';

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

/** A Field of one text-like input: `onValue` gets what was typed; the other props go to the input. */
export function TextField({
  id,
  label,
  error,
  value,
  onValue,
  ...input
}: {
  id: string;
  label: string;
  error: string | undefined;
  value: string;
  onValue: (value: string) => void;
} & Omit<InputHTMLAttributes, 'id' | 'value' | 'label'>) {
  return (
    <Field id={id} label={label} error={error}>
      {(aria) => (
        <input id={id} value={value} onInput={(e) => onValue(e.currentTarget.value)} {...input} {...aria} />
      )}
    </Field>
  );
}
