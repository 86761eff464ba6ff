// The registry dashboard: plain JavaScript over the projections query API (no build step).
// Charts use Chart.js, served by the projections service itself (/dashboard/vendor), never a CDN.
'use strict';

const view = document.getElementById('view');
const crumbs = document.getElementById('crumbs');
const TIMELINE_PAGE = 25;
const VERDICT_COLORS = { PASSED: '#0a6b36', FAILED: '#a61b12' };

const esc = (value) =>
  String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const fmt = (value) =>
  typeof value === 'number' ? (Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(5)))) : esc(value ?? '—');
const when = (time) =>
  time === null || time === undefined ? '—' : esc(new Date(time).toISOString().replace('T', ' ').slice(0, 16)) + ' UTC';
const testIdAttr = (testId) => (testId ? ` data-testid="${testId}"` : '');
const link = (href, text, testId) => `<a href="${esc(href)}"${testIdAttr(testId)}>${esc(text)}</a>`;
const enc = encodeURIComponent;
const modelHref = (model) => `#/models/${enc(model)}`;
const versionHref = (model, version) => `#/models/${enc(model)}/versions/${version}`;
const diffHref = (model, version, against) => `#/models/${enc(model)}/diff/${version}/${against}`;
const versionLink = (model, version) => link(versionHref(model, version), `v${version}`);
function table(headers, rows, testId, caption) {
  const captionHtml = caption ? `<caption class="visually-hidden">${esc(caption)}</caption>` : '';
  const head = `<thead><tr>${headers.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead>`;
  const body = rows.length
    ? rows.map((cells) => `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')
    : `<tr><td colspan="${headers.length}" class="muted">none</td></tr>`;
  return `<table${testIdAttr(testId)}>${captionHtml}${head}<tbody>${body}</tbody></table>`;
}
const metricList = (metrics) =>
  Object.entries(metrics ?? {})
    .map(([k, v]) => `${esc(k)} ${fmt(v)}`)
    .join(', ') || '—';

class NotFound extends Error {}
/** The page has no token, or the registry refused it: the sign-in form asks for one. */
class SignInNeeded extends Error {}

// The page authenticates like any API client: a bearer token with the reader role, pasted once
// and kept in sessionStorage (gone when the tab closes; never in a cookie, so no CSRF).
const TOKEN_KEY = 'modelreg-token';

async function api(path) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) throw new SignInNeeded('Paste an access token with the reader role to see the registry.');
  const response = await fetch(path, { headers: { accept: 'application/json', authorization: `Bearer ${token}` } });
  if (response.status === 401 || response.status === 403) {
    sessionStorage.removeItem(TOKEN_KEY);
    throw new SignInNeeded(
      `The registry refused the token: ${(await response.json().catch(() => ({}))).message ?? `HTTP ${response.status}`}`,
    );
  }
  if (response.status === 404) throw new NotFound((await response.json().catch(() => ({}))).message ?? `${path} was not found`);
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.json();
}

// --- charts -------------------------------------------------------------------------------

const charts = [];

function destroyCharts() {
  while (charts.length) charts.pop().destroy();
}

/** A canvas for a chart, with a text alternative and the plotted data as attributes (for tests and screen readers). */
function chartBox(testId, label, summary) {
  const attrs = Object.entries(summary)
    .map(([k, v]) => ` data-${k}="${esc(typeof v === 'string' ? v : JSON.stringify(v))}"`)
    .join('');
  const canvas = `<canvas data-testid="${testId}" role="img" aria-label="${esc(label)}"${attrs}>${esc(label)}</canvas>`;
  return `<div class="chart-box">${canvas}</div>`;
}

function drawChart(testId, config) {
  const canvas = view.querySelector(`canvas[data-testid="${testId}"]`);
  if (!canvas || typeof Chart === 'undefined') return;
  charts.push(
    new Chart(canvas, { ...config, options: { responsive: true, maintainAspectRatio: false, animation: false, ...config.options } }),
  );
}

const METRIC_PREFERENCE = ['auc', 'ndcg_at_20', 'precision_at_10'];

function chooseMetric(names, requested) {
  if (requested && names.includes(requested)) return requested;
  return METRIC_PREFERENCE.find((m) => names.includes(m)) ?? names[0];
}

function metricSelect(id, names, chosen) {
  if (names.length < 2) return '';
  const options = names.map((n) => `<option${n === chosen ? ' selected' : ''}>${esc(n)}</option>`).join('');
  return `<label for="${id}">Metric</label> <select id="${id}">${options}</select>`;
}

// --- sidebar ------------------------------------------------------------------------------

let modelNames = [];

async function loadModels() {
  const { items } = await api('/v1/models?limit=500');
  modelNames = items.map((m) => ({ name: m.modelName, latest: m.latestVersion }));
}

function renderModels(active) {
  const filter = document.getElementById('model-filter').value.trim().toLowerCase();
  document.getElementById('models').innerHTML = modelNames
    .filter((m) => m.name.includes(filter))
    .map((m) => {
      const state = m.name === active ? 'class="active" aria-current="page"' : 'class=""';
      const label = `${esc(m.name)} <span class="muted">v${m.latest}</span>`;
      return `<li><a href="${modelHref(m.name)}" ${state} data-testid="model-link">${label}</a></li>`;
    })
    .join('');
}

// --- overview -----------------------------------------------------------------------------

async function showOverview() {
  crumbs.innerHTML = '';
  const [overview, models] = await Promise.all([api('/v1/overview?limit=10'), api('/v1/models?limit=1')]);
  const canaries = overview.deployed.reduce((n, p) => n + p.canaries.length, 0);
  const serving = overview.deployed.filter((p) => p.servingVersion !== null).length;
  view.innerHTML = `<h1 data-testid="overview-title">Overview</h1>
    <div class="cards">
      <div class="card"><div class="muted">Models</div><div class="value" data-testid="count-models">${models.total}</div></div>
      <div class="card"><div class="muted">Surfaces serving</div><div class="value" data-testid="count-serving">${serving}</div></div>
      <div class="card"><div class="muted">Canaries running</div><div class="value" data-testid="count-canaries">${canaries}</div></div>
      <div class="card"><div class="muted">Recent gate failures</div><div class="value">${overview.recentGateFailures.length}</div></div>
    </div>
    <h2 class="section">What serves where</h2>
    ${table(
      ['environment', 'service', 'surface', 'model', 'serving (100%)', 'since', 'canaries'],
      overview.deployed.map((p) => [
        esc(p.environment),
        esc(p.service),
        esc(p.surface),
        link(modelHref(p.modelName), p.modelName),
        p.servingVersion ? link(versionHref(p.modelName, p.servingVersion), `v${p.servingVersion}`) : '—',
        when(p.servingSince),
        p.canaries.map((c) => `<span class="pill">v${c.modelVersion} at ${fmt(c.trafficPercent)}%</span>`).join('') || '—',
      ]),
      'overview-deployed',
      'What serves where',
    )}
    <div class="grid2">
      <div><h2 class="section">Recent gate failures</h2>${table(
        ['when', 'version', 'failed checks'],
        overview.recentGateFailures.map((f) => [
          when(f.decidedAt),
          link(versionHref(f.modelName, f.modelVersion), `${f.modelName} v${f.modelVersion}`),
          esc(f.failedChecks.join(', ')),
        ]),
        'overview-failures',
        'Recent gate failures',
      )}</div>
      <div><h2 class="section">Recent rollbacks</h2>${table(
        ['when', 'model', 'where', 'reason'],
        overview.recentRollbacks.map((r) => [
          when(r.occurredAt),
          link(
            modelHref(r.modelName),
            `${r.modelName} v${r.details.fromVersion ?? '?'} → v${r.details.toVersion ?? r.modelVersion ?? '?'}`,
          ),
          esc(`${r.service} / ${r.surface} / ${r.environment}`),
          esc(r.details.reason ?? ''),
        ]),
        'overview-rollbacks',
        'Recent rollbacks',
      )}</div>
    </div>
    <h2 class="section">Recent activity</h2>
    ${table(
      ['recorded', 'event', 'model', 'version'],
      overview.recentActivity.map((a) => [
        when(a.loggedAt),
        esc(a.eventType),
        link(modelHref(a.modelName), a.modelName),
        a.modelVersion ? link(versionHref(a.modelName, a.modelVersion), `v${a.modelVersion}`) : '—',
      ]),
      'overview-activity',
      'Recent activity',
    )}`;
}

// --- model --------------------------------------------------------------------------------

// Who asked: the principal's subject (issuer and roles on hover) and the request id.
function timelineWho(e) {
  if (!e.principal && !e.requestId) return '—';
  const who = e.principal
    ? `<span title="${esc(`${e.principal.issuer} · ${e.principal.roles.join(', ')}`)}">${esc(e.principal.subject)}</span>`
    : 'anonymous';
  return e.requestId ? `${who} <small>(request ${esc(e.requestId)})</small>` : who;
}

function timelineDetails(e) {
  const d = e.details ?? {};
  if (e.eventType === 'OnlineMetricsReported') return metricList(d.metrics);
  if (e.eventType === 'DeploymentReportRejected') return `${esc(d.rule ?? '')}: ${esc(d.reason ?? '')}`;
  if (e.eventType === 'RolledBack') {
    const trigger = d.triggerMetric ? ` (${esc(d.triggerMetric)} ${fmt(d.triggerValue)})` : '';
    return `v${fmt(d.fromVersion)} → v${fmt(d.toVersion)}: ${esc(d.reason ?? '')}${trigger}`;
  }
  if (e.eventType === 'RollbackRecommended')
    return `${esc(d.guardrail ?? d.metric ?? '')} ${fmt(d.observed ?? d.value)}: ${esc(d.reason ?? '')}`;
  if (e.eventType === 'CanaryStarted')
    return `${fmt(d.trafficPercent)}% against ${d.baselineVersion ? `v${d.baselineVersion}` : 'no baseline'}`;
  if (e.eventType === 'CanaryTrafficChanged') return `${fmt(d.fromPercent)}% → ${fmt(d.toPercent)}%`;
  if (e.eventType === 'OfflineOnlineDivergenceDetected')
    return `${esc(d.metric ?? '')}: offline ${fmt(d.offlineValue)}, online ${fmt(d.onlineValue)}`;
  return esc(d.reason ?? d.decision ?? '');
}

async function showModel(model, params) {
  crumbs.innerHTML = `/ ${link(modelHref(model), model)}`;
  const page = Math.max(1, Number(params.get('page')) || 1);
  const type = params.get('type') ?? '';
  const rejected = params.get('rejected') === '1';
  const timelineQuery = new URLSearchParams({
    order: 'desc',
    limit: String(TIMELINE_PAGE),
    offset: String((page - 1) * TIMELINE_PAGE),
    includeRejected: String(rejected),
  });
  if (type) timelineQuery.set('eventType', type);
  const [versions, history, deployed, timeline] = await Promise.all([
    api(`/v1/models/${enc(model)}/versions?limit=1`),
    api(`/v1/models/${enc(model)}/history?limit=5000`),
    api(`/v1/deployed?modelName=${enc(model)}`),
    api(`/v1/models/${enc(model)}/timeline?${timelineQuery}`),
  ]);
  if (versions.total === 0) throw new NotFound(`No model named “${model}” is registered.`);
  const items = history.items;
  const metricNames = [...new Set(items.flatMap((i) => Object.keys(i.metrics ?? {})))].sort();
  const metric = chooseMetric(metricNames, params.get('metric'));
  const points = items.filter((i) => typeof i.metrics?.[metric] === 'number');
  const pages = Math.max(1, Math.ceil(timeline.total / TIMELINE_PAGE));
  const newest = [...items].reverse();
  const historyChart = points.length
    ? chartBox('history-chart', `${metric} by version; green passed, red failed`, {
        metric,
        points: String(points.length),
        labels: points.map((p) => `v${p.modelVersion}`),
      })
    : '<p class="muted">No metrics to chart.</p>';
  const typeOptions = timeline.eventTypes.map((t) => `<option${t === type ? ' selected' : ''}>${t}</option>`).join('');
  view.innerHTML = `<h1 data-testid="model-title">${esc(model)}</h1>
    <h2 class="section">Training history</h2>
    <div class="toolbar">${metricSelect('history-metric', metricNames, metric)}</div>
    ${historyChart}
    <h2 class="section">Currently deployed</h2>
    ${table(
      ['environment', 'service', 'surface', 'serving (100%)', 'since', 'canaries'],
      deployed.items.map((p) => [
        esc(p.environment),
        esc(p.service),
        esc(p.surface),
        p.servingVersion ? `v${p.servingVersion}` : '—',
        when(p.servingSince),
        p.canaries.map((c) => `<span class="pill">v${c.modelVersion} at ${fmt(c.trafficPercent)}%</span>`).join('') || '—',
      ]),
      'deployed-table',
      'Currently deployed',
    )}
    <h2 class="section">Versions</h2>
    ${table(
      ['version', 'registered', 'commit', 'verdict', 'metrics', 'lineage'],
      newest.map((v, i) => [
        link(versionHref(model, v.modelVersion), `v${v.modelVersion}`, 'version-link'),
        when(v.registeredAt),
        `<code>${esc(v.codeCommit)}</code>`,
        `<span class="${esc(v.verdict)}">${esc(v.verdict ?? '—')}</span>`,
        metricList(v.metrics),
        newest[i + 1] ? link(diffHref(model, v.modelVersion, newest[i + 1].modelVersion), `diff vs v${newest[i + 1].modelVersion}`) : '—',
      ]),
      'versions-table',
      'Versions, newest first',
    )}
    <h2 class="section">Deployment timeline</h2>
    <div class="toolbar">
      <label for="timeline-type">Event</label>
      <select id="timeline-type"><option value="">all events</option>${typeOptions}</select>
      <label><input type="checkbox" id="timeline-rejected"${rejected ? ' checked' : ''}> show refused reports</label>
      <button type="button" id="timeline-newer"${page <= 1 ? ' disabled' : ''}>Newer</button>
      <span data-testid="timeline-page">page ${page} of ${pages} (${timeline.total} events)</span>
      <button type="button" id="timeline-older"${page >= pages ? ' disabled' : ''}>Older</button>
    </div>
    ${table(
      ['when', 'event', 'version', 'where', 'who', 'details'],
      timeline.items.map((e) => [
        when(e.occurredAt),
        esc(e.eventType),
        e.modelVersion ? `v${e.modelVersion}` : '—',
        esc([e.service, e.surface, e.environment].filter(Boolean).join(' / ')),
        timelineWho(e),
        timelineDetails(e),
      ]),
      'timeline-table',
      'Deployment timeline, newest first',
    )}`;
  const go = (changes) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) v === null ? next.delete(k) : next.set(k, v);
    location.hash = `${modelHref(model)}?${next}`;
  };
  document.getElementById('timeline-type').addEventListener('change', (e) => go({ type: e.target.value || null, page: null }));
  document
    .getElementById('timeline-rejected')
    .addEventListener('change', (e) => go({ rejected: e.target.checked ? '1' : null, page: null }));
  document.getElementById('timeline-newer').addEventListener('click', () => go({ page: String(page - 1) }));
  document.getElementById('timeline-older').addEventListener('click', () => go({ page: String(page + 1) }));
  document.getElementById('history-metric')?.addEventListener('change', (e) => go({ metric: e.target.value }));
  drawChart('history-chart', {
    type: 'line',
    data: {
      labels: points.map((p) => `v${p.modelVersion}`),
      datasets: [
        {
          label: metric,
          data: points.map((p) => p.metrics[metric]),
          borderColor: '#2f5bd3',
          pointRadius: 5,
          pointBackgroundColor: points.map((p) => VERDICT_COLORS[p.verdict] ?? '#6b7280'),
        },
      ],
    },
    options: {
      scales: {
        x: { title: { display: true, text: 'version' }, ticks: { autoSkip: true, maxRotation: 0 } },
        y: { title: { display: true, text: metric } },
      },
      plugins: { legend: { display: false } },
    },
  });
}

// --- version ------------------------------------------------------------------------------

function sliceSection(v, baseline, requested) {
  const slices = [...(v.metrics?.slices ?? [])].sort((a, b) => b.trafficShare - a.trafficShare);
  if (slices.length === 0) return '<p class="muted">No slice metrics.</p>';
  const names = [...new Set(slices.flatMap((s) => Object.keys(s.metrics)))].sort();
  const metric = chooseMetric(names, requested);
  const baseBySlice = new Map((baseline?.metrics?.slices ?? []).map((s) => [s.slice, s]));
  const rows = slices.map((s) => [
    esc(s.slice),
    `${fmt(s.trafficShare * 100)}%`,
    ...names.map((n) => {
      const base = baseBySlice.get(s.slice)?.metrics[n];
      return `${fmt(s.metrics[n])}${base !== undefined ? ` <span class="muted">(v${baseline.modelVersion}: ${fmt(base)})</span>` : ''}`;
    }),
  ]);
  const chartLabel = `${metric} per slice${baseline ? `, against v${baseline.modelVersion}` : ''}`;
  return `<div class="toolbar">${metricSelect('slice-metric', names, metric)}</div>
    ${chartBox('slice-chart', chartLabel, { metric, labels: slices.map((s) => s.slice) })}
    ${table(['slice', 'traffic', ...names], rows, 'slices-table', 'Slice metrics')}`;
}

function drawSliceChart(v, baseline, metric) {
  const slices = [...(v.metrics?.slices ?? [])].sort((a, b) => b.trafficShare - a.trafficShare);
  const baseBySlice = new Map((baseline?.metrics?.slices ?? []).map((s) => [s.slice, s]));
  const datasets = [{ label: `v${v.modelVersion}`, data: slices.map((s) => s.metrics[metric] ?? null), backgroundColor: '#2f5bd3' }];
  if (baseline)
    datasets.push({
      label: `v${baseline.modelVersion} (baseline)`,
      data: slices.map((s) => baseBySlice.get(s.slice)?.metrics[metric] ?? null),
      backgroundColor: '#9aa6bd',
    });
  drawChart('slice-chart', {
    type: 'bar',
    data: { labels: slices.map((s) => s.slice), datasets },
    options: { scales: { x: { ticks: { autoSkip: false, maxRotation: 45 } }, y: { title: { display: true, text: metric } } } },
  });
}

function abSection(abTests) {
  const results = abTests.flatMap((t) => t.results.map((r) => ({ ...r, label: `${t.testId}: ${r.metric}` })));
  if (results.length === 0) return '';
  return chartBox('ab-chart', 'A/B relative lift with confidence intervals, percent', {
    labels: results.map((r) => r.label),
    lifts: results.map((r) => Number((r.relativeLift * 100).toPrecision(4))),
  });
}

function drawAbChart(abTests) {
  const results = abTests.flatMap((t) => t.results.map((r) => ({ ...r, label: `${t.testId}: ${r.metric}` })));
  if (results.length === 0) return;
  drawChart('ab-chart', {
    type: 'bar',
    data: {
      labels: results.map((r) => r.label),
      datasets: [
        {
          type: 'bar',
          label: 'confidence interval (%)',
          data: results.map((r) => [r.confidenceLow * 100, r.confidenceHigh * 100]),
          backgroundColor: 'rgba(47, 91, 211, 0.35)',
          barPercentage: 0.5,
        },
        {
          type: 'scatter',
          label: 'relative lift (%)',
          data: results.map((r, i) => ({ x: i, y: r.relativeLift * 100 })),
          backgroundColor: '#1d2330',
          pointRadius: 5,
        },
      ],
    },
    options: { indexAxis: 'x', scales: { y: { title: { display: true, text: 'lift, %' } } } },
  });
}

/** Where this version reproduces an earlier one and where later runs reproduced it, with each difference. */
function reproductionSection(model, reproductions) {
  const rows = [...reproductions.reproduces, ...reproductions.reproducedBy].map((r) => [
    `${versionLink(model, r.modelVersion)} reproduces ${versionLink(model, r.reproducedVersion)}`,
    `<span class="${r.outcome === 'DIVERGED' ? 'FAILED' : 'PASSED'}">${esc(r.outcome)}</span>`,
    `${esc(r.policy.policyId)} v${r.policy.policyVersion}`,
    r.differences.length ? r.differences.map(esc).join('<br>') : '<span class="muted">none</span>',
  ]);
  return rows.length
    ? table(['reproduction', 'outcome', 'policy', 'differences'], rows, 'reproductions-table', 'Reproductions')
    : '<p class="muted" data-testid="no-reproductions">Never reproduced.</p>';
}

/** One gate decision: its verdict and context, then a row per check. */
function decisionSection(d) {
  const against = d.baselineVersion ? `v${d.baselineVersion}` : 'no baseline';
  const policy = `policy ${esc(d.policy.policyId)} v${d.policy.policyVersion}`;
  const context = `against ${against} (${esc(d.baselineRule)}), ${policy}, ${when(d.decidedAt)}`;
  const verdict = `<span class="${esc(d.verdict)}" data-testid="verdict">${esc(d.verdict)}</span>`;
  return `<h3>Gate decision: ${verdict} <span class="muted">${context}</span></h3>
      ${table(
        ['check', 'where', 'observed', 'baseline', 'rule', 'outcome', 'explanation'],
        d.checks.map((c) => [
          esc(c.checkId),
          esc(c.slice ?? c.group ?? c.target ?? ''),
          fmt(c.observed),
          fmt(c.baseline),
          esc(c.comparator),
          `<span class="${esc(c.outcome)}">${esc(c.outcome)}${c.reason ? ` (${esc(c.reason)})` : ''}</span>`,
          esc(c.explanation),
        ]),
        'checks-table',
        'Gate checks',
      )}`;
}

/** An A/B result: the lift in percent, its confidence interval and the samples on each side. */
function abResult(r) {
  const interval = `[${fmt(r.confidenceLow * 100)}%, ${fmt(r.confidenceHigh * 100)}%]`;
  const lift = `${r.relativeLift >= 0 ? '+' : ''}${fmt(r.relativeLift * 100)}%`;
  return `${esc(r.metric)} ${lift} ${interval} n=${r.controlSamples}/${r.treatmentSamples}`;
}

async function showVersion(model, version, params) {
  crumbs.innerHTML = `/ ${link(modelHref(model), model)} / v${esc(version)}`;
  const base = `/v1/models/${enc(model)}/versions/${enc(version)}`;
  const [v, decisions, online, reproductions] = await Promise.all([
    api(base),
    api(`${base}/decisions`),
    api(`${base}/online`),
    api(`${base}/reproductions`),
  ]);
  const latest = decisions.items[decisions.items.length - 1];
  const baselineVersion = latest?.baselineVersion ?? null;
  const baseline = baselineVersion ? await api(`/v1/models/${enc(model)}/versions/${baselineVersion}`).catch(() => null) : null;
  const decisionHtml = decisions.items.map(decisionSection).join('');
  const hyper = Object.entries(v.hyperparameters ?? {}).map(([k, val]) => [k, val, v.hyperparameterTypes?.[k] ?? typeof val]);
  const sliceMetric = params.get('sliceMetric');
  const previous = Number(version) - 1;
  const baselineDiffLink = baselineVersion
    ? link(diffHref(model, version, baselineVersion), `lineage diff vs baseline v${baselineVersion}`, 'diff-baseline-link')
    : '';
  const previousDiffLink =
    previous > 0 ? link(diffHref(model, version, previous), `lineage diff vs v${previous}`, 'diff-previous-link') : '';
  const lineageRows = [
    ['commit', `<code>${esc(v.code.commit)}</code>`],
    ['repository', esc(v.code.repository)],
    ['code hash', `<code>${esc(v.code.codeHash)}</code>`],
    ...v.dataSnapshots.map((s) => [
      'snapshot',
      `${esc(s.snapshotId)} <span class="muted">${esc(s.source)}, ${when(s.coveredFrom)} → ${when(s.coveredTo)}</span>`,
    ]),
    ...v.features.map((f) => ['feature', `${esc(f.name)}@${esc(f.version)}`]),
  ];
  const env = v.environment;
  const gpu = `${esc(env.gpuModel ?? 'no GPU')} ×${env.gpuCount}`;
  const setupRows = [
    ...hyper.map(([k, val, type]) => [esc(k), `${fmt(val)} <span class="muted">${esc(type)}</span>`]),
    ...Object.entries(v.seeds ?? {}).map(([k, s]) => [`seed ${esc(k)}`, esc(s)]),
    ['environment', `<code>${esc(env.fingerprint.slice(0, 16))}…</code> ${gpu}, CUDA ${esc(env.cudaVersion ?? '—')}`],
  ];
  view.innerHTML = `<h1 data-testid="version-title">${esc(model)} v${esc(version)}</h1>
    <p class="links">
      <a href="${esc(`${base}/audit`)}" data-testid="audit-link" download>audit export (JSON Lines)</a>
      <a href="${esc(`${base}/audit-bundle`)}" data-testid="audit-bundle-link" download>audit bundle (verify offline)</a>
      ${baselineDiffLink}
      ${previousDiffLink}
    </p>
    <div class="grid2">
      <div><h2 class="section">Code and data</h2>${table(['field', 'value'], lineageRows, 'lineage-table', 'Code and data')}</div>
      <div><h2 class="section">Training setup</h2>${table(['field', 'value'], setupRows, 'setup-table', 'Training setup')}</div>
    </div>
    ${decisionHtml || '<p class="muted">No gate decision yet.</p>'}
    <h2 class="section">Reproductions</h2>${reproductionSection(model, reproductions)}
    <h2 class="section">Slice metrics</h2>${sliceSection(v, baseline, sliceMetric)}
    <h2 class="section">Online metrics</h2>${table(
      ['where', 'window', 'metrics'],
      online.onlineMetrics.map((m) => [
        esc(`${m.service} / ${m.surface} / ${m.environment}`),
        `${when(m.windowStart)} → ${when(m.windowEnd)}`,
        metricList(m.metrics),
      ]),
      'online-table',
      'Online metrics',
    )}
    <h2 class="section">A/B tests</h2>${abSection(online.abTests)}${table(
      ['test', 'where', 'control → treatment', 'decision', 'results'],
      online.abTests.map((t) => [
        esc(t.testId),
        esc(`${t.service} / ${t.surface}`),
        `v${t.controlVersion} → v${t.treatmentVersion}`,
        esc(t.decision),
        t.results.map(abResult).join('<br>'),
      ]),
      'ab-table',
      'A/B tests',
    )}`;
  const chosen = view.querySelector('canvas[data-testid="slice-chart"]')?.dataset.metric;
  if (chosen) drawSliceChart(v, baseline, chosen);
  drawAbChart(online.abTests);
  document.getElementById('slice-metric')?.addEventListener('change', (e) => {
    location.hash = `${versionHref(model, version)}?sliceMetric=${enc(e.target.value)}`;
  });
}

// --- diff ---------------------------------------------------------------------------------

const typed = (value, type) => {
  const shown = fmt(typeof value === 'object' && value !== null ? JSON.stringify(value) : value);
  return `${shown}${type ? ` <span class="muted">(${esc(type)})</span>` : ''}`;
};
const changeRows = (changes) =>
  changes.map((c) => [
    esc(c.field),
    `<span class="removed">${typed(c.from, c.fromType)}</span>`,
    `<span class="added">${typed(c.to, c.toType)}</span>`,
  ]);
const setRows = (set, keyOf) => [
  ...set.added.map((item) => ['added', `<span class="added">${esc(keyOf(item))}</span>`]),
  ...set.removed.map((item) => ['removed', `<span class="removed">${esc(keyOf(item))}</span>`]),
  ...set.changed.map((c) => [
    'changed',
    `${esc(c.key)}: ${c.changes.map((x) => `${esc(x.field)} ${fmt(x.from)} → ${fmt(x.to)}`).join('; ')}`,
  ]),
];
const deltaRows = (prefix, deltas) =>
  deltas.map((d) => [
    esc(prefix ? `${prefix} · ${d.metric}` : d.metric),
    fmt(d.from),
    fmt(d.to),
    d.delta === null ? '—' : `<span class="${d.delta >= 0 ? 'added' : 'removed'}">${d.delta >= 0 ? '+' : ''}${fmt(d.delta)}</span>`,
  ]);

/** A titled half of a two-column grid. */
const panel = (title, html) => `<div><h2 class="section">${title}</h2>${html}</div>`;

async function showDiff(model, version, against) {
  crumbs.innerHTML = `/ ${link(modelHref(model), model)} / diff v${esc(against)} → v${esc(version)}`;
  const d = await api(`/v1/models/${enc(model)}/diff?version=${enc(version)}&against=${enc(against)}`);
  const metricRows = [
    ...deltaRows('', d.metrics.overall),
    ...d.metrics.slices.flatMap((s) => deltaRows(`slice ${s.slice}`, s.deltas)),
    ...d.metrics.fairness.flatMap((g) => deltaRows(`${g.attribute}=${g.group}`, g.deltas)),
    ...d.metrics.operational.flatMap((t) => deltaRows(`target ${t.target}`, t.deltas)),
  ];
  const fields = ['field', `v${against}`, `v${version}`];
  const changes = ['change', 'what'];
  const hyperparameterRows = [...changeRows(d.hyperparameters), ...changeRows(d.seeds)];
  const dataRows = [...setRows(d.dataSnapshots, (s) => s.snapshotId), ...setRows(d.features, (f) => `${f.name}@${f.version}`)];
  const environmentRows = [
    ...changeRows(d.environment.fields).map(([f, a, b]) => ['changed', `${f}: ${a} → ${b}`]),
    ...setRows(d.environment.packages, (p) => `${p.name} ${p.version}`),
    ...setRows(d.artifacts, (a) => `${a.target} ${String(a.sha256).slice(0, 12)}…`),
  ];
  const metricTable = table(['metric', `v${against}`, `v${version}`, 'change'], metricRows, 'diff-metrics', 'Metric changes');
  const identical = '<p data-testid="diff-identical">The lineage is identical; only metrics may differ.</p>';
  view.innerHTML = `<h1 data-testid="diff-title">${esc(model)}: v${esc(against)} → v${esc(version)}</h1>
    <p class="links">${versionLink(model, against)} ${versionLink(model, version)}</p>
    ${d.identicalLineage ? identical : ''}
    <div class="grid2">
      ${panel('Code', table(fields, changeRows(d.code), 'diff-code', 'Code changes'))}
      ${panel('Hyperparameters and seeds', table(fields, hyperparameterRows, 'diff-hyperparameters', 'Hyperparameter and seed changes'))}
      ${panel('Data snapshots and features', table(changes, dataRows, 'diff-data', 'Data and feature changes'))}
      ${panel('Environment and artifacts', table(changes, environmentRows, 'diff-environment', 'Environment and artifact changes'))}
    </div>
    <h2 class="section">Metrics</h2>${metricTable}`;
}

// --- routing ------------------------------------------------------------------------------

function showNotFound(message) {
  crumbs.innerHTML = '';
  const back = `<p>${link('#/', 'Back to the overview')}</p>`;
  view.innerHTML = `<div class="not-found" data-testid="not-found"><h1>Not found</h1><p>${esc(message)}</p>${back}</div>`;
}

function showSignIn(message) {
  crumbs.innerHTML = '';
  const textarea = '<textarea id="token" rows="4" cols="60" autocomplete="off" spellcheck="false" required></textarea>';
  view.innerHTML = `<form class="sign-in" data-testid="sign-in"><h1>Sign in</h1><p>${esc(message)}</p>
    <label for="token">Access token (reader role)</label>${textarea}
    <p><button type="submit">Use this token</button></p></form>`;
  view.querySelector('form').addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, view.querySelector('#token').value.trim());
    route();
  });
}

function parseHash() {
  const [path, query = ''] = location.hash.replace(/^#\/?/, '').split('?');
  return { parts: path.split('/').filter(Boolean).map(decodeURIComponent), params: new URLSearchParams(query) };
}

async function route() {
  const { parts, params } = parseHash();
  destroyCharts();
  try {
    if (modelNames.length === 0) await loadModels();
    renderModels(parts[0] === 'models' ? parts[1] : undefined);
    const [section, model, kind, a, b] = parts;
    if (parts.length === 0) await showOverview();
    else if (section === 'models' && model && kind === undefined) await showModel(model, params);
    else if (section === 'models' && model && kind === 'versions' && a && b === undefined) await showVersion(model, a, params);
    else if (section === 'models' && model && kind === 'diff' && a && b) await showDiff(model, a, b);
    else showNotFound(`There is no page at #/${parts.map(enc).join('/')}.`);
  } catch (error) {
    if (error instanceof SignInNeeded) showSignIn(error.message);
    else if (error instanceof NotFound) showNotFound(error.message);
    else view.innerHTML = `<p class="FAILED" role="alert">${esc(error.message)}</p>`;
  }
  document.title = `${view.querySelector('h1')?.textContent ?? 'modelreg'} · modelreg`;
}

document.getElementById('model-filter').addEventListener('input', () => renderModels(parseHash().parts[1]));
window.addEventListener('hashchange', route);
route();
