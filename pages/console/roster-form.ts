import type * as z from 'zod';
import type { Technician } from '../../client/api-client';
import type { technicianSchema } from '../../functions/domain/schemas';
import type { Category } from '../../functions/domain/types';
import { numberOrText } from './property-form';

// The technician form as the inputs hold it, and the PUT /technicians/{technicianId} body.

export interface TechnicianForm {
  technicianId: string;
  name: string;
  skills: Category[];
  /** Property codes as typed: separated by commas or spaces. */
  properties: string;
  onDuty: boolean;
  maxOpenJobs: string;
}

/** A list typed into one field: split on commas (also the Chinese one) and spaces, each once. */
export const splitList = (text: string) => [...new Set(text.split(/[\s,，、]+/).filter(Boolean))];

export const formOfTechnician = (t: Technician): TechnicianForm => ({
  technicianId: t.technicianId,
  name: t.name,
  skills: [...t.skills],
  properties: t.properties.join(', '),
  onDuty: t.onDuty,
  maxOpenJobs: String(t.maxOpenJobs),
});

/** A new technician: working at the property the roster shows, on duty, the default load. */
export const newTechnician = (property: string, maxOpenJobs: number): TechnicianForm => ({
  technicianId: '',
  name: '',
  skills: [],
  properties: property,
  onDuty: true,
  maxOpenJobs: String(maxOpenJobs),
});

/** The PUT body; a count that is not a number goes as typed (hence the cast), for the server to name. */
export const technicianBodyOf = (f: TechnicianForm) =>
  ({
    name: f.name,
    skills: f.skills,
    properties: splitList(f.properties),
    onDuty: f.onDuty,
    maxOpenJobs: numberOrText(f.maxOpenJobs),
  }) as z.input<typeof technicianSchema>;

/** A technician with on duty flipped: the whole record, as PUT stores it. */
export const flippedDuty = ({ technicianId: _, ...t }: Technician) => ({ ...t, onDuty: !t.onDuty });
