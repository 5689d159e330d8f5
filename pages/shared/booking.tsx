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
            <div class="choices">
              {slots.map((s, i) => (
                <label key={s.start}>
                  <input
                    type="radio"
                    name="slot"
                    checked={draft.slot === i}
                    onChange={() => set({ slot: i })}
                  />
                  {windowText(s, locale)}
                </label>
              ))}
            </div>
          </>
        )}
      </fieldset>
    </>
  );
}
