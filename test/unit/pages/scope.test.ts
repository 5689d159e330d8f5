import { propertyChoices, scopeOfClaims, shownUnder } from '../../../pages/shared/scope';

// The property filters follow the caller's token: a staff token with `custom:properties` offers
// those properties and nothing else; company scope offers the configured and the listed ones.

describe('the scope read from the ID token', () => {
  test('a comma-separated custom:properties claim is the list of the caller properties', () => {
    expect(scopeOfClaims({ 'custom:properties': 'B2, A1,,B2' })).toEqual(['B2', 'A1']);
  });

  test('a claim already a list (the local token route) reads the same', () => {
    expect(scopeOfClaims({ properties: ['B2'] })).toEqual(['B2']);
  });

  test('no claim, or an empty one, is company scope', () => {
    expect(scopeOfClaims({ sub: 'm-1' })).toBeNull();
    expect(scopeOfClaims({ 'custom:properties': ' , ' })).toBeNull();
  });
});

describe('what a property filter offers', () => {
  test('a manager whose token carries one property is offered that property only', () => {
    const choices = propertyChoices(['B2'], ['A1', 'B2', 'C3'], ['A1', 'D4']);

    expect(choices).toEqual({ fixed: true, options: ['B2'] });
  });

  test('company scope is offered the configured and the listed properties, and free entry', () => {
    expect(propertyChoices(null, ['C3', 'A1'], ['A1', 'B2'])).toEqual({
      fixed: false,
      options: ['A1', 'B2', 'C3'],
    });
  });

  test("a scoped caller's 'all' is their properties, never another's", () => {
    const scope = ['B2', 'C3'];

    expect(shownUnder(scope, '', 'B2')).toBe(true);
    expect(shownUnder(scope, '', 'A1')).toBe(false);
    expect(shownUnder(scope, 'C3', 'B2')).toBe(false);
  });

  test('company scope with no choice shows every property; a choice shows that one', () => {
    expect(shownUnder(null, '', 'A1')).toBe(true);
    expect(shownUnder(null, 'B2', 'A1')).toBe(false);
    expect(shownUnder(null, 'B2', 'B2')).toBe(true);
  });
});
