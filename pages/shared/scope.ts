// Which properties a staff caller works for, read from their ID token, and what the console's
// property filters offer them. A token with `custom:properties` (Cognito's attribute,
// comma-separated; a list is read too) limits its holder to those properties: the API answers
// anything else 404, so the filters offer those and nothing else. Without the claim the caller
// has company scope and may pick any property, or none for the whole company.

/** The caller's properties, or null for company scope. */
export type Scope = readonly string[] | null;

/** The `custom:properties` claim as a list: comma-separated (Cognito) or already a list; empty means none. */
export function scopeOfClaims(claims: Record<string, unknown>): Scope {
  const raw = claims['custom:properties'] ?? claims.properties;
  const items = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? raw.split(',') : [];
  const properties = [...new Set(items.map((p) => p.trim()).filter(Boolean))];
  return properties.length ? properties : null;
}

/** What a property filter offers: a closed list (scoped caller), or suggestions with free entry. */
export interface PropertyChoices {
  /** True when only `options` may be chosen. */
  fixed: boolean;
  options: string[];
}

/**
 * A scoped caller gets their own properties only, whatever else is known; company scope gets
 * the configured properties and those seen in what is listed, as suggestions.
 */
export function propertyChoices(scope: Scope, configured: readonly string[], seen: readonly string[] = []) {
  if (scope) return { fixed: true, options: [...scope].sort() } satisfies PropertyChoices;
  return { fixed: false, options: [...new Set([...configured, ...seen])].sort() } satisfies PropertyChoices;
}

/**
 * Whether an item of `property` is shown under the filter `chosen` ('' = every property the
 * caller may see). The server already leaves out what a scoped caller may not see; this keeps
 * the page to the choice.
 */
export function shownUnder(scope: Scope, chosen: string, property: string): boolean {
  if (chosen) return property === chosen;
  return !scope || scope.includes(property);
}
