import type { SliceMetrics } from '@modelreg/events';
import type { SliceSelection } from '../policy/gate-policy';

/**
 * The slices a check covers: the named ones, or the k with the largest traffic share (ties broken
 * by slice name, so the selection is deterministic). Fewer than k slices selects what there is;
 * the check reports the shortfall as missing.
 */
export function selectSlices(slices: readonly SliceMetrics[], selection: SliceSelection): { names: string[]; shortfall: number } {
  if ('names' in selection) return { names: [...selection.names], shortfall: 0 };
  const ranked = [...slices].sort((a, b) => b.trafficShare - a.trafficShare || (a.slice < b.slice ? -1 : a.slice > b.slice ? 1 : 0));
  const names = ranked.slice(0, selection.topKByTraffic).map((slice) => slice.slice);
  return { names, shortfall: selection.topKByTraffic - names.length };
}

const indexes = new WeakMap<readonly SliceMetrics[], Map<string, SliceMetrics>>();

/** A slice's metric by slice name, through an index built once per slice list (checks look up every slice). */
export function sliceMetric(slices: readonly SliceMetrics[], sliceName: string, metric: string): number | undefined {
  let index = indexes.get(slices);
  if (!index) {
    index = new Map(slices.map((slice) => [slice.slice, slice]));
    indexes.set(slices, index);
  }
  return index.get(sliceName)?.metrics[metric];
}
