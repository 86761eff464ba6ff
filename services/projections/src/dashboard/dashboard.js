// The registry dashboard: plain JavaScript over the projections query API (no build step).
'use strict';

const view = document.getElementById('view');
const crumbs = document.getElementById('crumbs');

const esc = (value) => String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const fmt = (value) => (typeof value === 'number' ? (Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(5)))) : esc(value ?? '—'));
const when = (iso) => (iso ? esc(new Date(iso).toISOString().replace('T', ' ').slice(0, 16)) + ' UTC' : '—');
const link = (href, text) => `<a href="${esc(href)}">${esc(text)}</a>`;
const table = (headers, rows, testId) =>
  `<table${testId ? ` data-testid="${testId}"` : ''}><thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${
    rows.length ? rows.map((cells) => `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('') : `<tr><td colspan="${headers.length}" class="muted">none</td></tr>`
  }</tbody></table>`;

async function api(path) {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

async function loadModels(active) {
  const { items } = await api('/v1/models?limit=500');
  document.getElementById('models').innerHTML = items
    .map((m) => `<li><a href="#/models/${encodeURIComponent(m.modelName)}" class="${m.modelName === active ? 'active' : ''}" data-testid="model-link">${esc(m.modelName)} <span class="muted">v${m.latestVersion}</span></a></li>`)
    .join('');
}

/** Training history as an SVG line: the first metric every version reports (AUC for most models), verdicts as colored dots. */
function historyChart(items) {
  const metric = ['auc', 'ndcg_at_20', 'precision_at_10'].find((m) => items.some((i) => i.metrics && i.metrics[m] !== undefined)) ?? Object.keys(items[0]?.metrics ?? {})[0];
  const points = items.filter((i) => i.metrics && typeof i.metrics[metric] === 'number');
  if (!metric || points.length === 0) return '<p class="muted">No metrics to chart.</p>';
  const [w, h, pad] = [640, 220, 36];
  const values = points.map((p) => p.metrics[metric]);
  const [lo, hi] = [Math.min(...values), Math.max(...values)];
  const span = hi - lo || 1;
  const x = (i) => pad + (points.length === 1 ? (w - 2 * pad) / 2 : (i * (w - 2 * pad)) / (points.length - 1));
  const y = (v) => h - pad - ((v - lo) / span) * (h - 2 * pad);
  const path = points.map((p, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.metrics[metric]).toFixed(1)}`).join(' ');
  const dots = points
    .map((p, i) => `<circle cx="${x(i).toFixed(1)}" cy="${y(p.metrics[metric]).toFixed(1)}" r="4" fill="${p.verdict === 'FAILED' ? '#b42318' : p.verdict === 'PASSED' ? '#0b7a3e' : '#8a94a6'}"><title>v${p.modelVersion}: ${metric} ${fmt(p.metrics[metric])} (${p.verdict ?? 'no decision'})</title></circle>`)
    .join('');
  return `<svg class="chart" data-testid="history-chart" data-metric="${esc(metric)}" data-points="${points.length}" viewBox="0 0 ${w} ${h}" width="100%" role="img" aria-label="${esc(metric)} by version">
    <text x="${pad}" y="18" font-size="12" fill="#4b5466">${esc(metric)} by version (green passed, red failed)</text>
    <text x="4" y="${y(hi) + 4}" font-size="11" fill="#6b7486">${fmt(hi)}</text><text x="4" y="${y(lo) + 4}" font-size="11" fill="#6b7486">${fmt(lo)}</text>
    <path d="${path}" fill="none" stroke="#3a63c8" stroke-width="2"/>${dots}</svg>`;
}

async function showModel(model) {
  crumbs.innerHTML = ` / ${link(`#/models/${encodeURIComponent(model)}`, model)}`;
  const [history, deployed, timeline] = await Promise.all([
    api(`/v1/models/${encodeURIComponent(model)}/history?limit=5000`),
    api(`/v1/deployed?modelName=${encodeURIComponent(model)}`),
    api(`/v1/models/${encodeURIComponent(model)}/timeline?limit=200`),
  ]);
  view.innerHTML = `<h1 data-testid="model-title">${esc(model)}</h1>
    <h3>Training history</h3>${historyChart(history.items)}
    <h3>Currently deployed</h3>${table(['environment', 'service', 'surface', 'serving (100%)', 'since', 'canaries'], deployed.items.map((p) => [esc(p.environment), esc(p.service), esc(p.surface), p.servingVersion ? `v${p.servingVersion}` : '—', when(p.servingSince), p.canaries.map((c) => `<span class="pill">v${c.modelVersion} at ${fmt(c.trafficPercent)}%</span>`).join('') || '—']), 'deployed-table')}
    <h3>Versions</h3>${table(['version', 'registered', 'commit', 'verdict', 'metrics'], [...history.items].reverse().map((v) => [`<a href="#/models/${encodeURIComponent(model)}/versions/${v.modelVersion}" data-testid="version-link">v${v.modelVersion}</a>`, when(v.registeredAt), `<code>${esc(v.codeCommit)}</code>`, `<span class="${esc(v.verdict)}">${esc(v.verdict ?? '—')}</span>`, Object.entries(v.metrics ?? {}).map(([k, val]) => `${esc(k)} ${fmt(val)}`).join(', ')]), 'versions-table')}
    <h3>Deployment timeline</h3>${table(['when', 'event', 'version', 'where', 'details'], timeline.items.map((e) => [when(e.occurredAt), esc(e.eventType), e.modelVersion ? `v${e.modelVersion}` : '—', esc([e.service, e.surface, e.environment].filter(Boolean).join(' / ')), esc(e.details.reason ?? e.details.guardrail ?? e.details.rule ?? (e.details.trafficPercent ?? e.details.toPercent ?? '') )]), 'timeline-table')}`;
}

async function showVersion(model, version) {
  crumbs.innerHTML = ` / ${link(`#/models/${encodeURIComponent(model)}`, model)} / v${esc(version)}`;
  const base = `/v1/models/${encodeURIComponent(model)}/versions/${version}`;
  const [v, decisions, online] = await Promise.all([api(base), api(`${base}/decisions`), api(`${base}/online`)]);
  const decisionHtml = decisions.items
    .map((d) => `<h3>Gate decision: <span class="${esc(d.verdict)}" data-testid="verdict">${esc(d.verdict)}</span> <span class="muted">against ${d.baselineVersion ? `v${d.baselineVersion}` : 'no baseline'} (${esc(d.baselineRule)}), policy ${esc(d.policy.policyId)} v${d.policy.policyVersion}, ${when(d.decidedAt)}</span></h3>
      ${table(['check', 'where', 'observed', 'baseline', 'rule', 'outcome', 'explanation'], d.checks.map((c) => [esc(c.checkId), esc(c.slice ?? c.group ?? c.target ?? ''), fmt(c.observed), fmt(c.baseline), esc(c.comparator), `<span class="${esc(c.outcome)}">${esc(c.outcome)}${c.reason ? ` (${esc(c.reason)})` : ''}</span>`, esc(c.explanation)]), 'checks-table')}`)
    .join('');
  view.innerHTML = `<h1 data-testid="version-title">${esc(model)} v${esc(version)}</h1>
    <div class="grid2">
      <div><h3>Code and data</h3>${table(['', ''], [['commit', `<code>${esc(v.code.commit)}</code>`], ['repository', esc(v.code.repository)], ['code hash', `<code>${esc(v.code.codeHash)}</code>`], ...v.dataSnapshots.map((s) => ['snapshot', `${esc(s.snapshotId)} <span class="muted">${esc(s.source)}, ${when(new Date(s.coveredFrom).toISOString())} → ${when(new Date(s.coveredTo).toISOString())}</span>`]), ...v.features.map((f) => ['feature', `${esc(f.name)}@${esc(f.version)}`])], 'lineage-table')}</div>
      <div><h3>Training setup</h3>${table(['', ''], [...Object.entries(v.hyperparameters).map(([k, val]) => [esc(k), `${fmt(Object.values(val)[0])} <span class="muted">${esc(Object.keys(val)[0])}</span>`]), ...Object.entries(v.seeds).map(([k, s]) => [`seed ${esc(k)}`, esc(s)]), ['environment', `<code>${esc(v.environment.fingerprint.slice(0, 16))}…</code> ${esc(v.environment.gpuModel ?? 'no GPU')} ×${v.environment.gpuCount}, CUDA ${esc(v.environment.cudaVersion ?? '—')}`]], 'setup-table')}</div>
    </div>
    ${decisionHtml || '<p class="muted">No gate decision yet.</p>'}
    <h3>Online metrics</h3>${table(['where', 'window', 'metrics'], online.onlineMetrics.map((m) => [esc(`${m.service} / ${m.surface} / ${m.environment}`), `${when(m.windowStart)} → ${when(m.windowEnd)}`, Object.entries(m.metrics).map(([k, val]) => `${esc(k)} ${fmt(val)}`).join(', ')]), 'online-table')}
    <h3>A/B tests</h3>${table(['test', 'where', 'control → treatment', 'decision', 'results'], online.abTests.map((t) => [esc(t.testId), esc(`${t.service} / ${t.surface}`), `v${t.controlVersion} → v${t.treatmentVersion}`, esc(t.decision), t.results.map((r) => `${esc(r.metric)} ${r.relativeLift >= 0 ? '+' : ''}${fmt(r.relativeLift * 100)}% [${fmt(r.confidenceLow * 100)}%, ${fmt(r.confidenceHigh * 100)}%] n=${r.controlSamples}/${r.treatmentSamples}`).join('<br>')]), 'ab-table')}`;
}

async function route() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  try {
    await loadModels(parts[0] === 'models' ? parts[1] : undefined);
    if (parts[0] === 'models' && parts[1] && parts[2] === 'versions' && parts[3]) await showVersion(parts[1], parts[3]);
    else if (parts[0] === 'models' && parts[1]) await showModel(parts[1]);
  } catch (error) {
    view.innerHTML = `<p class="FAILED">${esc(error.message)}</p>`;
  }
}

window.addEventListener('hashchange', route);
route();
