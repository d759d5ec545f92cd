import { describe, expect, it } from 'vitest';
import { DueQueue, type DueEntry } from '../../src/dispatch/due-queue.js';
import { seededRandom } from '../support/seeded-random.js';

function entry(dueAt: number, seq: number): DueEntry {
  return { dueAt, seq, queueHandle: -1 };
}

function byDueThenSeq(a: DueEntry, b: DueEntry): number {
  return a.dueAt - b.dueAt || a.seq - b.seq;
}

function drain(queue: DueQueue<DueEntry>): DueEntry[] {
  const popped: DueEntry[] = [];
  for (let next = queue.pop(); next !== undefined; next = queue.pop()) popped.push(next);
  return popped;
}

describe('DueQueue', () => {
  it('gives entries back by due instant, then by order of addition', () => {
    const queue = new DueQueue<DueEntry>();
    const entries = [entry(30, 0), entry(10, 1), entry(20, 2), entry(10, 3), entry(10, 0.5)];
    for (const each of entries) queue.push(each);

    expect(drain(queue)).toEqual([...entries].sort(byDueThenSeq));
    expect(entries.every((each) => each.queueHandle === -1)).toBe(true);
  });

  it('keeps its order through random pushes, moves and removals', () => {
    const random = seededRandom(7);
    const queue = new DueQueue<DueEntry>();
    const queued = new Set<DueEntry>();
    let seq = 0;

    for (let step = 0; step < 20_000; step++) {
      const roll = random();
      const some = [...queued][Math.floor(random() * queued.size)];
      if (roll < 0.45 || some === undefined) {
        const added = entry(Math.floor(random() * 50), seq++);
        queue.push(added);
        queued.add(added);
      } else if (roll < 0.65) {
        some.dueAt = Math.floor(random() * 50);
        queue.update(some);
      } else if (roll < 0.8) {
        queue.remove(some);
        queued.delete(some);
        expect(queue.has(some)).toBe(false);
      } else {
        const first = [...queued].sort(byDueThenSeq)[0];
        expect(queue.pop()).toBe(first);
        queued.delete(first as DueEntry);
      }
    }

    expect(queue.size).toBe(queued.size);
    expect(drain(queue)).toEqual([...queued].sort(byDueThenSeq));
  });

  it('restores its order after many due instants changed at once', () => {
    const random = seededRandom(11);
    const queue = new DueQueue<DueEntry>();
    const entries = Array.from({ length: 1_000 }, (_, seq) => entry(random() * 100, seq));
    for (const each of entries) queue.push(each);

    for (const each of queue.entries()) each.dueAt = 100 - each.dueAt;
    queue.reorder();

    expect(drain(queue)).toEqual([...entries].sort(byDueThenSeq));
  });
});
