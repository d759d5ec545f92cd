import type { LineAnalyzer } from './line-analyzer.js';

/** What a scan of IANA time zone source finds. */
export interface TzSummary {
  kind: 'tz';
  /** The release named in a `# version` line, if the file has one. */
  version: string | undefined;
  zones: number;
  links: number;
  rules: number;
  /** Distinct rule names. */
  ruleSets: number;
  /** Zones per first part of their name (`Europe`, `America`, ...), most first. */
  zonesByRegion: Record<string, number>;
  /** Zones whose current period follows a rule set with a rule in force until `max`. */
  zonesWithDst: number;
  /** The zone with the most periods: the longest recorded history. */
  longestHistory: { zone: string; periods: number } | undefined;
}

interface ZoneHistory {
  periods: number;
  /** The RULES field of the zone's latest period: `-`, a fixed saving, or a rule name. */
  currentRules: string;
}

const KEYWORDS: Readonly<Record<string, 'rule' | 'zone' | 'link'>> = {
  r: 'rule',
  rule: 'rule',
  z: 'zone',
  zone: 'zone',
  l: 'link',
  link: 'link',
};

/**
 * Reads tz source lines, in the compact `tzdata.zi` form or the full one: `Rule`, `Zone`
 * and `Link` records, and the continuation lines that extend the zone above them.
 */
export function createTzAnalyzer(): LineAnalyzer<TzSummary> {
  const zones = new Map<string, ZoneHistory>();
  const ruleSets = new Set<string>();
  const ongoingRuleSets = new Set<string>();
  let version: string | undefined;
  let links = 0;
  let rules = 0;
  let openZone: ZoneHistory | undefined;

  function addRecord(fields: string[]): void {
    const keyword = KEYWORDS[fields[0]?.toLowerCase() ?? ''];

    if (keyword === 'rule') {
      rules += 1;
      ruleSets.add(fields[1] ?? '');
      if (/^ma(x)?$/i.test(fields[3] ?? '')) ongoingRuleSets.add(fields[1] ?? '');
    } else if (keyword === 'zone') {
      openZone = { periods: 1, currentRules: fields[3] ?? '-' };
      zones.set(fields[1] ?? '', openZone);
    } else if (keyword === 'link') {
      links += 1;
    } else if (openZone !== undefined) {
      openZone.periods += 1;
      openZone.currentRules = fields[1] ?? '-';
    }

    if (keyword !== 'zone' && keyword !== undefined) openZone = undefined;
  }

  return {
    startFile() {
      openZone = undefined;
    },
    addLine(line) {
      const versionMatch = /^#\s*version\s+(\S+)/.exec(line);
      if (versionMatch !== null) version = versionMatch[1];

      const fields = line.replace(/#.*/, '').trim().split(/\s+/);
      if (fields[0] !== '') addRecord(fields);
    },
    finish() {
      return {
        kind: 'tz',
        version,
        zones: zones.size,
        links,
        rules,
        ruleSets: ruleSets.size,
        zonesByRegion: countRegions(zones.keys()),
        zonesWithDst: [...zones.values()].filter((zone) => ongoingRuleSets.has(zone.currentRules))
          .length,
        longestHistory: longestHistory(zones),
      };
    },
  };
}

function countRegions(zoneNames: Iterable<string>): Record<string, number> {
  const counts = new Map<string, number>();
  for (const name of zoneNames) {
    const region = name.includes('/') ? name.slice(0, name.indexOf('/')) : '(no region)';
    counts.set(region, (counts.get(region) ?? 0) + 1);
  }

  const sorted = [...counts].sort(([nameA, a], [nameB, b]) => b - a || nameA.localeCompare(nameB));
  return Object.fromEntries(sorted);
}

function longestHistory(zones: Map<string, ZoneHistory>): TzSummary['longestHistory'] {
  let best: TzSummary['longestHistory'];
  for (const [zone, { periods }] of zones) {
    if (best === undefined || periods > best.periods) best = { zone, periods };
  }
  return best;
}
