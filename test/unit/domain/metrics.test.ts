import { applyWebhook, type Decision, recordCallback } from '../../../functions/domain/lifecycle';
import { metricsFor } from '../../../functions/domain/metrics';
import type { HistoryItem, Job } from '../../../functions/domain/types';
import { AGENT, at, DAY, jobIn, MINUTE, NOW, policyFrom, settings, webhookEvent } from '../support/fixtures';

const item = (type: string): HistoryItem => ({
  type,
  at: '2026-11-23T08:00:00.000Z',
  actor: 'system',
  data: {},
});
const decision = (types: string[], arrivalMet: boolean | null = null): Decision => ({
  job: { sla: { arrivalMet } } as Job,
  history: types.map(item),
  resume: null,
});

test('a booking counts one JobsBooked', () => {
  expect(metricsFor(decision(['job.booked']))).toEqual([{ name: 'JobsBooked', value: 1 }]);
});

test('an arrival counts 1 when on time and 0 when late, so the average is the on-time rate', () => {
  expect(metricsFor(decision(['job.arrived'], true))).toEqual([{ name: 'ArrivalOnTime', value: 1 }]);
  expect(metricsFor(decision(['job.arrived'], false))).toEqual([{ name: 'ArrivalOnTime', value: 0 }]);
});

test('each missed SLA counts once, with its type', () => {
  expect(metricsFor(decision(['sla.arrival_missed']))).toEqual([
    { name: 'SlaMissed', value: 1, type: 'sla.arrival_missed' },
  ]);
  expect(metricsFor(decision(['sla.callback_missed']))).toEqual([
    { name: 'SlaMissed', value: 1, type: 'sla.callback_missed' },
  ]);
});

test('a signed form schedules a callback; a completed callback counts as completed', () => {
  expect(metricsFor(decision(['job.form_signed']))).toEqual([{ name: 'CallbackScheduled', value: 1 }]);
  expect(metricsFor(decision(['callback.completed']))).toEqual([{ name: 'CallbackCompleted', value: 1 }]);
});

test('other steps count nothing', () => {
  expect(
    metricsFor(decision(['job.accepted', 'job.diagnosed', 'callback.attempted', 'callback.reminder'])),
  ).toEqual([]);
});

test('a late arrival recorded before the timer counts the missed SLA, as the timer would, and a late arrival', () => {
  const late = applyWebhook(
    jobIn('en_route'),
    webhookEvent('job.arrived'),
    at(NOW, 11 * MINUTE),
    policyFrom(settings()),
  );

  expect(metricsFor(late)).toEqual([
    { name: 'SlaMissed', value: 1, type: 'sla.arrival_missed' },
    { name: 'ArrivalOnTime', value: 0 },
  ]);
});

test('a late reached callback counts the missed SLA and the completed callback', () => {
  const signed = jobIn('signed', { sla: { callbackDueAt: NOW.toISOString() } });

  const late = recordCallback(
    signed,
    AGENT,
    { reached: true, satisfaction: 3, issueResolved: true },
    at(NOW, DAY),
  );

  expect(metricsFor(late)).toEqual([
    { name: 'SlaMissed', value: 1, type: 'sla.callback_missed' },
    { name: 'CallbackCompleted', value: 1 },
  ]);
});
