import { authorize } from './access';
import { NotFoundError } from './errors';
import { type PropertyPolicy, type PropertySettings, policyFor, type Technician } from './policy';
import type { Ports } from './ports';
import { type Caller, propertyOf } from './types';

// Properties and the roster: what managers configure, and how every decision reads a property's policy.

/** The policy of the property a unit belongs to: stored, or the defaults under the deployment's seed. */
export async function policyOfUnit(p: Ports, unitId: string): Promise<PropertyPolicy> {
  const propertyId = propertyOf(unitId);
  return policyFor(p.settings, propertyId, await p.directory.property(propertyId));
}

/** Every configured property (a property nobody configured has the defaults and is not listed). */
export async function listProperties(p: Ports, caller: Caller) {
  authorize(caller, 'configure');
  const stored = await p.directory.properties();
  return { items: stored.map(({ propertyId, ...s }) => policyFor(p.settings, propertyId, s)) };
}

export async function getProperty(p: Ports, caller: Caller, propertyId: string): Promise<PropertyPolicy> {
  authorize(caller, 'configure');
  return policyFor(p.settings, propertyId, await p.directory.property(propertyId));
}

export async function putProperty(
  p: Ports,
  caller: Caller,
  propertyId: string,
  settings: PropertySettings,
): Promise<PropertyPolicy> {
  authorize(caller, 'configure');
  await p.directory.saveProperty(propertyId, settings);
  return policyFor(p.settings, propertyId, settings);
}

export async function getTechnician(p: Ports, caller: Caller, technicianId: string): Promise<Technician> {
  authorize(caller, 'configure');
  const t = await p.directory.technician(technicianId);
  if (!t) throw new NotFoundError('No such technician');
  return t;
}

export async function putTechnician(p: Ports, caller: Caller, technician: Technician): Promise<Technician> {
  authorize(caller, 'configure');
  await p.directory.saveTechnician(technician);
  return technician;
}

export async function listTechnicians(p: Ports, caller: Caller, property?: string) {
  authorize(caller, 'configure');
  return { items: await p.directory.technicians(property) };
}
