/** The mock's notion of "now": real time plus an offset that tests can advance. */
export interface Clock {
  now(): number;
  advance(seconds: number): number;
  reset(): void;
}

export function createClock(base: () => number = Date.now): Clock {
  let offset = 0;
  return {
    now: () => base() + offset,
    advance(seconds) {
      offset += seconds * 1000;
      return base() + offset;
    },
    reset() {
      offset = 0;
    },
  };
}
