import {
  type Action,
  assertCanRead,
  assertCanReadComplaint,
  authorize,
  inScope,
  listingScope,
  PERMISSIONS,
} from '../../../functions/domain/access';
import { ForbiddenError, NotFoundError, ValidationError } from '../../../functions/domain/errors';
import {
  AGENT,
  complaintIn,
  MANAGER,
  makeJob,
  OTHER_RESIDENT,
  RESIDENT,
  thrownBy,
} from '../support/fixtures';

// The contract's table of who may do what (docs/api.md), written out here, so a wrong edit
// to PERMISSIONS fails a test instead of agreeing with itself.
const CONTRACT: Record<Action, { resident: boolean; agent: boolean; manager: boolean }> = {
  book: { resident: true, agent: true, manager: false },
  rate: { resident: true, agent: false, manager: false },
  add_photo: { resident: true, agent: false, manager: false },
  read: { resident: true, agent: true, manager: true },
  export_history: { resident: false, agent: true, manager: true },
  list: { resident: true, agent: true, manager: true },
  cancel: { resident: true, agent: false, manager: true },
  reschedule: { resident: true, agent: true, manager: true },
  record_callback: { resident: false, agent: true, manager: true },
  read_reports: { resident: false, agent: false, manager: true },
  open_follow_up: { resident: false, agent: false, manager: true },
  complain: { resident: true, agent: true, manager: true },
  handle_complaint: { resident: false, agent: true, manager: true },
  configure: { resident: false, agent: false, manager: true },
  assign: { resident: false, agent: true, manager: true },
  manage_webhooks: { resident: false, agent: false, manager: true },
};
const CALLERS = { resident: RESIDENT, agent: AGENT, manager: MANAGER };

describe('authorize', () => {
  const cases = (Object.keys(CONTRACT) as Action[]).flatMap((action) =>
    (['resident', 'agent', 'manager'] as const).map(
      (role) => [action, role, CONTRACT[action][role]] as const,
    ),
  );

  it('knows exactly the actions of the contract', () => {
    expect(Object.keys(PERMISSIONS).sort()).toEqual(Object.keys(CONTRACT).sort());
  });

  it.each(cases)('%s by a %s: allowed %s', (action, role, allowed) => {
    const attempt = () => authorize(CALLERS[role], action);

    if (allowed) expect(attempt).not.toThrow();
    else expect(thrownBy(attempt)).toBeInstanceOf(ForbiddenError);
  });

  it('names the roles that may', () => {
    expect((thrownBy(() => authorize(RESIDENT, 'record_callback')) as Error).message).toBe(
      'This needs the agent or manager role',
    );
  });
});

describe('assertCanRead', () => {
  const job = makeJob();

  it('lets the owning resident read the job', () => {
    expect(assertCanRead(job, RESIDENT)).toBe(job);
  });

  it.each([AGENT, MANAGER])('lets a $role read any job', (caller) => {
    expect(assertCanRead(job, caller)).toBe(job);
  });

  it("answers another resident's job with 404, never 403", () => {
    expect(thrownBy(() => assertCanRead(job, OTHER_RESIDENT))).toBeInstanceOf(NotFoundError);
  });

  it('answers a missing job with 404', () => {
    expect(thrownBy(() => assertCanRead(null, MANAGER))).toBeInstanceOf(NotFoundError);
  });
});

describe('staff scope', () => {
  const B2_MANAGER = { ...MANAGER, properties: ['B2'] };
  const A1_AGENT = { ...AGENT, properties: ['A1'] };
  const BOTH = { ...MANAGER, properties: ['A1', 'B2'] };
  const job = makeJob({ unitId: 'B2-1203' });
  const complaint = complaintIn('received', { unitId: 'B2-1203' });

  it('covers every property for staff without a list, and only the listed ones otherwise', () => {
    expect([inScope(MANAGER, 'Z9'), inScope(B2_MANAGER, 'B2'), inScope(B2_MANAGER, 'A1')]).toEqual([
      true,
      true,
      false,
    ]);
  });

  it.each([B2_MANAGER, BOTH, MANAGER, AGENT])('lets $sub with $properties read a B2 job', (caller) => {
    expect(assertCanRead(job, caller)).toBe(job);
    expect(assertCanReadComplaint(complaint, caller)).toBe(complaint);
  });

  it('answers a job or complaint of another property with 404 (as if it did not exist), never 403', () => {
    expect(thrownBy(() => assertCanRead(job, A1_AGENT))).toEqual(new NotFoundError('No such job'));
    expect(thrownBy(() => assertCanReadComplaint(complaint, A1_AGENT))).toEqual(
      new NotFoundError('No such complaint'),
    );
  });

  it("lists the caller's scope, or the one property asked for within it", () => {
    expect(listingScope(MANAGER, undefined)).toBeUndefined();
    expect(listingScope(BOTH, undefined)).toEqual(['A1', 'B2']);
    expect(listingScope(BOTH, 'B2')).toEqual(['B2']);
    expect(listingScope(MANAGER, 'A1')).toEqual(['A1']);
  });

  it('answers a listing of a property outside the scope with 404', () => {
    expect(thrownBy(() => listingScope(B2_MANAGER, 'A1'))).toBeInstanceOf(NotFoundError);
  });

  it('refuses a property filter from a resident with a 400 naming property', () => {
    const e = thrownBy(() => listingScope(RESIDENT, 'B2'));

    expect(e).toBeInstanceOf(ValidationError);
    expect((e as ValidationError).errors).toEqual([{ path: 'property', message: 'staff only' }]);
    expect(listingScope(RESIDENT, undefined)).toBeUndefined();
  });
});
