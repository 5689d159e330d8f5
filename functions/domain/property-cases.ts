import { assertInScope, authorize, inScope } from './access';
import { ForbiddenError, NotFoundError } from './errors';
import { type PropertyPolicy, type PropertySettings, policyFor, type Technician } from './policy';
import type { Ports } from './ports';
import { type Caller, propertyOf } from './types';

// Properties and the roster: what managers configure, and how every decision reads a property's policy.
// A manager limited to some properties (access.ts inScope) sees those and the technicians who work
// at one of them; only company scope changes a property, and a limited manager changes only the
// technicians who work at their properties alone.

/** The policy of the property a unit belongs to: stored, or the defaults under the deployment's seed. */
export async function policyOfUnit(p: Ports, unitId: string): Promise<PropertyPolicy> {
  const propertyId = propertyOf(unitId);
  return policyFor(p.settings, propertyId, await p.directory.property(propertyId));
}

/** Every configured property (a property nobody configured has the defaults and is not listed). */
export async function listProperties(p: Ports, caller: Caller) {
  authorize(caller, 'configure');
  const stored = (await p.directory.properties()).filter((s) => inScope(caller, s.propertyId));
  return { items: stored.map(({ propertyId, ...s }) => policyFor(p.settings, propertyId, s)) };
}

export async function getProperty(p: Ports, caller: Caller, propertyId: string): Promise<PropertyPolicy> {
  authorize(caller, 'configure');
  assertInScope(caller, propertyId, 'property');
  return policyFor(p.settings, propertyId, await p.directory.property(propertyId));
}

export async function putProperty(
  p: Ports,
  caller: Caller,
  propertyId: string,
  settings: PropertySettings,
): Promise<PropertyPolicy> {
  authorize(caller, 'configure');
  if (caller.properties)
    throw new ForbiddenError("Only a manager with company scope may change a property's settings");
  await p.directory.saveProperty(propertyId, settings);
  return policyFor(p.settings, propertyId, settings);
}

/** A technician a limited manager may see: one who works at one of their properties. */
const worksInScope = (caller: Caller, t: Technician) => t.properties.some((id) => inScope(caller, id));

export async function getTechnician(p: Ports, caller: Caller, technicianId: string): Promise<Technician> {
  authorize(caller, 'configure');
  const t = await p.directory.technician(technicianId);
  if (!t || !worksInScope(caller, t)) throw new NotFoundError('No such technician');
  return t;
}

export async function putTechnician(p: Ports, caller: Caller, technician: Technician): Promise<Technician> {
  authorize(caller, 'configure');
  if (caller.properties) {
    // Both the roster entry as it is and as it would be: a limited manager must not take a
    // technician away from, or give one to, a property outside their scope.
    const before = await p.directory.technician(technician.technicianId);
    const ids = [...(before?.properties ?? []), ...technician.properties];
    if (!ids.every((id) => inScope(caller, id)))
      throw new ForbiddenError(
        `A manager limited to ${caller.properties.join(', ')} may change only technicians who work there alone`,
      );
  }
  await p.directory.saveTechnician(technician);
  return technician;
}

export async function listTechnicians(p: Ports, caller: Caller, property?: string) {
  authorize(caller, 'configure');
  if (property !== undefined) assertInScope(caller, property, 'property');
  const all = await p.directory.technicians(property);
  return { items: all.filter((t) => worksInScope(caller, t)) };
}
