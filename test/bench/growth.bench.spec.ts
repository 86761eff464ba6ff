import { growthChart } from './growth.bench';

describe('growth chart', () => {
  it('draws one line per plotted p99 over the sizes, labelled k and M, with room for the 50 ms target', () => {
    const chart = growthChart([
      {
        versions: 100_000,
        figures: { version_by_id_p99_ms: 3, impact_by_snapshot_p99_ms: 4, lineage_diff_p99_ms: 5, append_to_visible_p99_ms: 20 },
      },
      {
        versions: 5_000_000,
        figures: { version_by_id_p99_ms: 7, impact_by_snapshot_p99_ms: 9, lineage_diff_p99_ms: 8, append_to_visible_p99_ms: 64.5 },
      },
    ]);
    expect(chart.split('\n')).toEqual(
      expect.arrayContaining([
        '  x-axis ["100k", "5M"]',
        '  y-axis "ms" 0 --> 65',
        '  line [3, 7]',
        '  line [4, 9]',
        '  line [5, 8]',
        '  line [20, 64.5]',
      ]),
    );
    expect(chart.startsWith('```mermaid\nxychart-beta')).toBe(true);
  });
});
