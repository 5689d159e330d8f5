import { useState } from 'preact/hooks';
import type { BookingRequest } from '../../client/api-client';
import { CATEGORIES, type Category, type Locale } from '../../functions/domain/types';
import { serverNow } from './api';
import { categoryLabel, formatTime } from './i18n';
import { nextSlots, type Slot } from './slots';

// The booking fields both pages ask for — the resident on the phone page, the agent taking a
// call (S18) — and the request they make. Labels come from the page's own words.

export interface BookingLabels {
  unit: string;
  unitHint: string;
  phone: string;
  category: string;
  description: string;
  descriptionHint: string;
  when: string;
  urgent: string;
  urgentHint: string;
  regular: string;
  regularHint: string;
  slots: string;
}

export interface Draft {
  unitId: string;
  contactPhone: string;
  category: Category;
  description: string;
  priority: 'urgent' | 'regular';
  slot: number;
}

export function useDraft(phone = '') {
  const slots = nextSlots(serverNow());
  const [draft, setDraft] = useState<Draft>({
    unitId: '',
    contactPhone: phone,
    category: 'plumbing',
    description: '',
    priority: 'urgent',
    slot: 0,
  });
  const set = (change: Partial<Draft>) => setDraft((d) => ({ ...d, ...change }));
  return { draft, set, slots };
}

/** The request a draft makes (the appointment only for a regular repair). */
export function bookingOf(d: Draft, slots: Slot[], locale: Locale): BookingRequest {
  const slot = slots[d.slot];
  return {
    unitId: d.unitId.trim(),
    category: d.category,
    description: d.description,
    priority: d.priority,
    contactPhone: d.contactPhone.trim(),
    locale,
    ...(d.priority === 'regular' && slot && { appointment: slot }),
  };
}

export const windowText = (s: { start: string; end: string }, locale: Locale) =>
  `${formatTime(s.start, locale)}–${formatTime(s.end, locale, false)}`;

export function BookingFields(p: {
  draft: Draft;
  set: (c: Partial<Draft>) => void;
  slots: Slot[];
  locale: Locale;
  l: BookingLabels;
}) {
  const { draft, set, slots, locale, l } = p;
  return (
    <>
      <label for="unit">{l.unit}</label>
      <input
        id="unit"
        required
        value={draft.unitId}
        placeholder={l.unitHint}
        onInput={(e) => set({ unitId: e.currentTarget.value })}
      />
      <label for="phone">{l.phone}</label>
      <input
        id="phone"
        type="tel"
        required
        value={draft.contactPhone}
        placeholder="+8613800138000"
        onInput={(e) => set({ contactPhone: e.currentTarget.value })}
      />
      <label for="category">{l.category}</label>
      <select
        id="category"
        value={draft.category}
        onChange={(e) => set({ category: e.currentTarget.value as Category })}
      >
        {CATEGORIES.map((c) => (
          <option key={c} value={c}>
            {categoryLabel(locale, c)}
          </option>
        ))}
      </select>
      <label for="description">{l.description}</label>
      <textarea
        id="description"
        required
        maxLength={1000}
        value={draft.description}
        placeholder={l.descriptionHint}
        onInput={(e) => set({ description: e.currentTarget.value })}
      />
      <fieldset class="card">
        <legend>{l.when}</legend>
        <div class="choices">
          {(['urgent', 'regular'] as const).map((priority) => (
            <label key={priority}>
              <input
                type="radio"
                name="priority"
                checked={draft.priority === priority}
                onChange={() => set({ priority })}
              />
              {l[priority]} <span class="muted">{priority === 'urgent' ? l.urgentHint : l.regularHint}</span>
            </label>
          ))}
        </div>
        {draft.priority === 'regular' && (
          <>
            <p class="muted">{l.slots}</p>
            <SlotChoices
              name="slot"
              slots={slots}
              selected={draft.slot}
              onSelect={(slot) => set({ slot })}
              locale={locale}
            />
          </>
        )}
      </fieldset>
    </>
  );
}

/** The appointment windows offered, one radio each. */
function SlotChoices(p: {
  name: string;
  slots: Slot[];
  selected: number;
  onSelect: (index: number) => void;
  locale: Locale;
}) {
  return (
    <div class="choices">
      {p.slots.map((s, i) => (
        <label key={s.start}>
          <input type="radio" name={p.name} checked={p.selected === i} onChange={() => p.onSelect(i)} />
          {windowText(s, p.locale)}
        </label>
      ))}
    </div>
  );
}

/**
 * A visit agreed on a call — a rework at the callback, a manager's follow-up: the windows
 * offered from the server's time now, one of which must be picked. The picked window itself is
 * kept (not its place in the list), and stays listed when the offer moves on past it; `name`
 * groups the radios (unique per form on a page).
 */
export function AppointmentPicker(p: {
  name: string;
  legend: string;
  value: Slot | null;
  onChange: (slot: Slot) => void;
  locale: Locale;
}) {
  const offered = nextSlots(serverNow());
  const { value } = p;
  const slots = value && !offered.some((s) => s.start === value.start) ? [value, ...offered] : offered;
  return (
    <fieldset>
      <legend>{p.legend}</legend>
      <div class="choices">
        {slots.map((s) => (
          <label key={s.start}>
            <input
              type="radio"
              name={p.name}
              required
              checked={p.value?.start === s.start}
              onChange={() => p.onChange(s)}
            />
            {windowText(s, p.locale)}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
