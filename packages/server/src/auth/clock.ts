/** Time comes in through this port so tests can move it. */
export interface Clock {
  now: () => Date;
}
export const systemClock: Clock = { now: () => new Date() };

export function addMinutes(date: Date, minutes: number): Date {
  return new Date(date.getTime() + minutes * 60_000);
}
