import { setTimeout as sleep } from 'node:timers/promises';

const originMs = performance.timeOrigin;

/** Wall-clock epoch milliseconds with sub-millisecond resolution. */
export function nowMs(): number {
  return originMs + performance.now();
}

/** Resolves at `atMs` (epoch ms), or at once when it has passed. */
export async function waitUntil(atMs: number): Promise<void> {
  const delayMs = atMs - nowMs();
  if (delayMs > 0) await sleep(delayMs);
}

/** The next whole second at least `leadMs` from now. */
export function wholeSecondAfter(leadMs: number): number {
  return Math.ceil((nowMs() + leadMs) / 1000) * 1000;
}

/** Polls `isDone` every `pollMs` until it holds or `deadlineMs` (epoch ms) passes. */
export async function waitFor(
  isDone: () => boolean,
  deadlineMs: number,
  pollMs = 20,
): Promise<boolean> {
  while (!isDone()) {
    if (nowMs() > deadlineMs) return false;
    await sleep(pollMs);
  }

  return true;
}
