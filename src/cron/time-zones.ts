import { shown } from '../config/checks.js';
import { OrbitError } from '../errors/orbit-error.js';
import { ZoneOffsets } from './zone-offsets.js';

/** Names looked up so far, valid ones only; zone names are few, but callers may send junk. */
const MAX_REMEMBERED_NAMES = 1024;
const byGivenName = new Map<string, ZoneOffsets>();
const byCanonicalName = new Map<string, ZoneOffsets>();
let localZone: { tzVariable: string | undefined; zone: string } | undefined;

/**
 * The shared offset table of an IANA zone. Aliases (`US/Eastern`, `America/New_York`) share
 * one table.
 *
 * @throws OrbitError `INVALID_TIMEZONE` when `Intl` does not know the zone.
 */
export function zoneOffsetsFor(zone: string): ZoneOffsets {
  const known = byGivenName.get(zone);
  if (known !== undefined) return known;

  const canonical = canonicalZone(zone);
  const offsets = byCanonicalName.get(canonical) ?? new ZoneOffsets(canonical);
  byCanonicalName.set(canonical, offsets);

  if (byGivenName.size >= MAX_REMEMBERED_NAMES) byGivenName.clear();
  byGivenName.set(zone, offsets);
  return offsets;
}

/** The process's local IANA zone, as `Intl` sees it (it follows the `TZ` variable). */
export function localTimezone(): string {
  const tzVariable = process.env.TZ;
  if (localZone === undefined || localZone.tzVariable !== tzVariable) {
    localZone = { tzVariable, zone: new Intl.DateTimeFormat().resolvedOptions().timeZone };
  }
  return localZone.zone;
}

function canonicalZone(zone: unknown): string {
  if (typeof zone !== 'string' || zone.trim() === '') {
    throw new OrbitError(
      'INVALID_TIMEZONE',
      `timezone must be an IANA zone name; got ${shown(zone)}`,
    );
  }

  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch (error) {
    throw new OrbitError(
      'INVALID_TIMEZONE',
      `timezone '${zone}' is not a known IANA zone (such as 'Europe/Paris' or 'UTC')`,
      { cause: error },
    );
  }
}
