/**
 * Small helpers over 32-bit integer masks. A cron field is a set of small numbers, kept as
 * bits so that "the next allowed value from here" is a couple of integer operations.
 */

/** The mask with only bit `index` set (0-31). */
export function bit(index: number): number {
  return (1 << index) >>> 0;
}

/** True when bit `index` of `mask` is set. */
export function hasBit(mask: number, index: number): boolean {
  return index >= 0 && index < 32 && ((mask >>> index) & 1) === 1;
}

/** The lowest set bit of `mask` at or above `from`, or -1 when there is none. */
export function nextBit(mask: number, from: number): number {
  if (from > 31) return -1;

  const remaining = mask & (-1 << Math.max(from, 0));
  if (remaining === 0) return -1;

  return 31 - Math.clz32(remaining & -remaining);
}

/** How many bits of `mask` are set. */
export function countBits(mask: number): number {
  let count = 0;
  for (let rest = mask >>> 0; rest !== 0; rest = (rest & (rest - 1)) >>> 0) count += 1;
  return count;
}

/** The indexes of the set bits of `mask`, lowest first. */
export function bitIndexes(mask: number): number[] {
  const indexes: number[] = [];
  for (let index = nextBit(mask, 0); index >= 0; index = nextBit(mask, index + 1)) {
    indexes.push(index);
  }
  return indexes;
}

/** The mask with bits 0 to `count - 1` set (count 0-32). */
export function lowBits(count: number): number {
  return count >= 32 ? 0xffffffff : (bit(count) - 1) >>> 0;
}
