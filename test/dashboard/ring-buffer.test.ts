import { describe, expect, it } from 'vitest';
import { RingBuffer } from '../../src/dashboard/ring-buffer.js';

describe('RingBuffer', () => {
  it('gives the items pushed, oldest first, while it has room', () => {
    const buffer = new RingBuffer<number>(3);
    buffer.push(1);
    buffer.push(2);

    expect(buffer.toArray()).toEqual([1, 2]);
  });

  it('keeps only the latest items once full', () => {
    const buffer = new RingBuffer<number>(3);
    for (let item = 1; item <= 7; item++) buffer.push(item);

    expect(buffer.toArray()).toEqual([5, 6, 7]);
    expect(buffer.size).toBe(3);
  });
});
