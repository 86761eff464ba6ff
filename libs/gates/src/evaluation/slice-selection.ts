import type { SliceMetrics } from '@modelreg/events';
import type { SliceSelection } from '../policy/gate-policy';
import type { GateSubject } from './check-context';

export interface SelectedSlices {
  names: string[];
  /** How many of the k slices exist nowhere: the check reports each as missing. */
  shortfall: number;
  /** Where a top-k came from, for explanations, e.g. "top 5 by traffic share on baseline v126"; null for named slices. */
  basis: string | null;
}

/**
 * The slices a check covers: the named ones, or the k with the largest traffic share. Traffic is
 * production's: the shares recorded for the baseline, so a candidate that omits one of the
 * baseline's largest slices is checked on it (and fails it as missing) instead of having the next
 * slice silently take its place. When the baseline has fewer than k slices, the candidate's
 * largest other slices fill the rest; with no baseline the candidate's own shares are used, and
 * the basis says so. Ties are broken by slice name, so the selection is deterministic.
 */
export function selectSlices(candidate: readonly SliceMetrics[], baseline: GateSubject | null, selection: SliceSelection): SelectedSlices {
  if ('names' in selection) return { names: [...selection.names], shortfall: 0, basis: null };
  const k = selection.topKByTraffic;
  if (!baseline) {
    const names = byTraffic(candidate).slice(0, k);
    return { names, shortfall: k - names.length, basis: `top ${k} by the candidate's own traffic share (no baseline)` };
  }
  const names = byTraffic(baseline.metrics.slices).slice(0, k);
  const fromBaseline = names.length;
  if (fromBaseline < k) {
    const chosen = new Set(names);
    names.push(
      ...byTraffic(candidate)
        .filter((name) => !chosen.has(name))
        .slice(0, k - fromBaseline),
    );
  }
  const filled = names.length - fromBaseline;
  const fill = filled > 0 ? ` (which has ${fromBaseline}; ${filled} more by the candidate's share)` : '';
  const basis = `top ${k} by traffic share on baseline v${baseline.modelVersion}${fill}`;
  return { names, shortfall: k - names.length, basis };
}

function byTraffic(slices: readonly SliceMetrics[]): string[] {
  return [...slices]
    .sort((a, b) => b.trafficShare - a.trafficShare || (a.slice < b.slice ? -1 : a.slice > b.slice ? 1 : 0))
    .map((slice) => slice.slice);
}

const indexes = new WeakMap<readonly SliceMetrics[], Map<string, SliceMetrics>>();

/** A slice by name, through an index built once per slice list (checks look up every slice). */
export function findSlice(slices: readonly SliceMetrics[], sliceName: string): SliceMetrics | undefined {
  let index = indexes.get(slices);
  if (!index) {
    index = new Map(slices.map((slice) => [slice.slice, slice]));
    indexes.set(slices, index);
  }
  return index.get(sliceName);
}

/** A slice's metric by slice name. */
export function sliceMetric(slices: readonly SliceMetrics[], sliceName: string, metric: string): number | undefined {
  return findSlice(slices, sliceName)?.metrics[metric];
}
