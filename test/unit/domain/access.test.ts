import { type Action, assertCanRead, authorize, PERMISSIONS } from '../../../functions/domain/access';
import { ForbiddenError, NotFoundError } from '../../../functions/domain/errors';
import { AGENT, MANAGER, makeJob, OTHER_RESIDENT, RESIDENT, thrownBy } from '../support/fixtures';

// The contract's table of who may do what (docs/api.md), written out here, so a wrong edit
// to PERMISSIONS fails a test instead of agreeing with itself.
const CONTRACT: Record<Action, { resident: boolean; agent: boolean; manager: boolean }> = {
  book: { resident: true, agent: true, manager: false },
  rate: { resident: true, agent: false, manager: false },
  read: { resident: true, agent: true, manager: true },
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
