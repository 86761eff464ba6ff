import type { Bound, CanaryGuardrail, ChangeRequirement, CheckDefinition, Deviation, GatePolicy, SliceSelection } from './gate-policy';

/**
 * How a proposed policy version lets through more than the current one: one line per loosening (a
 * threshold made more permissive or dropped, a check removed, made skippable or changed in a way
 * that cannot be compared). Empty when the proposal is as strict or stricter everywhere. Such a
 * proposal needs a second policy admin's approval. Pure.
 */
export function isLoosening(current: GatePolicy, proposed: GatePolicy): string[] {
  const found: string[] = [];
  const note = (where: string, what: string) => found.push(`${where}: ${what}`);
  if (proposed.tolerance > current.tolerance) note('tolerance', `raised from ${current.tolerance} to ${proposed.tolerance}`);
  if (current.baseline.rule !== proposed.baseline.rule)
    note('baseline.rule', `changed from ${current.baseline.rule} to ${proposed.baseline.rule}`);
  if (current.baseline.environment !== proposed.baseline.environment)
    note('baseline.environment', `changed from ${current.baseline.environment} to ${proposed.baseline.environment}`);
  if (current.baseline.whenMissing === 'block' && proposed.baseline.whenMissing !== 'block')
    note('baseline.whenMissing', 'no longer blocks without a baseline');
  for (const pattern of current.models) if (!proposed.models.includes(pattern)) note('models', `no longer governs ${pattern}`);
  for (const check of current.checks) {
    const next = proposed.checks.find((candidate) => candidate.id === check.id);
    if (!next) note(`checks.${check.id}`, 'removed');
    else for (const what of looserCheck(check, next)) note(`checks.${check.id}`, what);
  }
  for (const guardrail of current.guardrails.canary) {
    const next = proposed.guardrails.canary.find((candidate) => candidate.metric === guardrail.metric);
    if (!next) note(`guardrails.canary.${guardrail.metric}`, 'removed');
    else for (const what of looserGuardrail(guardrail, next)) note(`guardrails.canary.${guardrail.metric}`, what);
  }
  for (const [metric, allowance] of Object.entries(current.guardrails.offlineOnlineTolerance)) {
    const next = proposed.guardrails.offlineOnlineTolerance[metric];
    if (next === undefined) note(`guardrails.offlineOnlineTolerance.${metric}`, 'removed');
    else
      for (const what of looserDeviation(asDeviation(allowance), asDeviation(next)))
        note(`guardrails.offlineOnlineTolerance.${metric}`, what);
  }
  return found;
}

function looserCheck(current: CheckDefinition, proposed: CheckDefinition): string[] {
  if (current.kind !== proposed.kind) return [`kind changed from ${current.kind} to ${proposed.kind}`];
  const found: string[] = [];
  if ('metric' in current && 'metric' in proposed && current.metric !== proposed.metric)
    found.push(`metric changed from ${current.metric} to ${proposed.metric}`);
  if ('target' in current && 'target' in proposed && current.target !== proposed.target)
    found.push(`target changed from ${current.target} to ${proposed.target}`);
  if ('ifAbsent' in current && 'ifAbsent' in proposed && current.ifAbsent === 'fail' && proposed.ifAbsent === 'skip')
    found.push('skipped when the artifact is absent');
  if ('bound' in current && 'bound' in proposed) found.push(...looserBound(current.bound, proposed.bound));
  if ('change' in current && 'change' in proposed) found.push(...looserChange(current.change, proposed.change));
  if ('slices' in current && 'slices' in proposed) found.push(...fewerSlices(current.slices, proposed.slices));
  if (current.kind === 'group-disparity' && proposed.kind === 'group-disparity') {
    if (proposed.maxGap > current.maxGap) found.push(`maxGap raised from ${current.maxGap} to ${proposed.maxGap}`);
    if (proposed.attributes && (!current.attributes || current.attributes.some((attribute) => !proposed.attributes?.includes(attribute))))
      found.push('covers fewer attributes');
  }
  if (
    current.kind === 'artifact-format' &&
    proposed.kind === 'artifact-format' &&
    proposed.formats.some((format) => !current.formats.includes(format))
  )
    found.push('accepts more formats');
  if (current.kind === 'operational' && proposed.kind === 'operational' && proposed.targets !== 'all-artifact-targets') {
    if (current.targets === 'all-artifact-targets' || current.targets.some((target) => !proposed.targets.includes(target)))
      found.push('covers fewer targets');
  }
  return found;
}

/** Inclusive and exclusive limits may only move inwards or stay; none may go. */
function looserBound(current: Bound, proposed: Bound): string[] {
  const found: string[] = [];
  const lower = (name: 'min' | 'above') =>
    current[name] !== undefined && (proposed[name] === undefined || (proposed[name] as number) < (current[name] as number));
  const upper = (name: 'max' | 'below' | 'maxDeviation') =>
    current[name] !== undefined && (proposed[name] === undefined || (proposed[name] as number) > (current[name] as number));
  for (const name of ['min', 'above'] as const) if (lower(name)) found.push(`${name} lowered or removed`);
  for (const name of ['max', 'below', 'maxDeviation'] as const) if (upper(name)) found.push(`${name} raised or removed`);
  if (current.target !== undefined && proposed.target !== current.target) found.push('target moved');
  return found;
}

function looserChange(current: ChangeRequirement, proposed: ChangeRequirement): string[] {
  if (current.direction !== proposed.direction) return ['direction changed'];
  const found: string[] = [];
  for (const name of ['absolute', 'relative'] as const) {
    if (current[name] !== undefined && (proposed[name] === undefined || (proposed[name] as number) < (current[name] as number)))
      found.push(`required ${name} change lowered or removed`);
  }
  return found;
}

function fewerSlices(current: SliceSelection, proposed: SliceSelection): string[] {
  if ('names' in current)
    return 'names' in proposed && current.names.every((name) => proposed.names.includes(name)) ? [] : ['covers fewer slices'];
  return 'topKByTraffic' in proposed && proposed.topKByTraffic >= current.topKByTraffic ? [] : ['covers fewer slices'];
}

function looserGuardrail(current: CanaryGuardrail, proposed: CanaryGuardrail): string[] {
  const found: string[] = [];
  if ((current.direction ?? 'higher') !== (proposed.direction ?? 'higher')) found.push('direction changed');
  if (current.bound) found.push(...(proposed.bound ? looserBound(current.bound, proposed.bound) : ['bound removed']));
  if (current.maxRegression)
    found.push(...(proposed.maxRegression ? looserDeviation(current.maxRegression, proposed.maxRegression) : ['maxRegression removed']));
  if (
    current.maxRelativeDrop !== undefined &&
    (proposed.maxRelativeDrop === undefined || proposed.maxRelativeDrop > current.maxRelativeDrop)
  )
    found.push('maxRelativeDrop raised or removed');
  return found;
}

function looserDeviation(current: Deviation, proposed: Deviation): string[] {
  const found: string[] = [];
  for (const name of ['absolute', 'relative'] as const) {
    if (current[name] !== undefined && (proposed[name] === undefined || (proposed[name] as number) > (current[name] as number)))
      found.push(`${name} allowance raised or removed`);
  }
  return found;
}

function asDeviation(allowance: number | Deviation): Deviation {
  return typeof allowance === 'number' ? { absolute: allowance } : allowance;
}
