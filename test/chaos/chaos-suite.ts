import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { integerInRange, type Env } from '@modelreg/config';
import { EventCodec, SchemaCatalog } from '@modelreg/events';
import { createKafkaClient } from '@modelreg/kafka';
import { createJsonLogger } from '@modelreg/logging';
import { REPO_ROOT } from '@modelreg/testing';
import { ALL_FAULTS, type FaultContext } from './faults';
import type { LogAudit } from './log-audit';
import { consumerGroups } from './log-probes';
import { auditRegistry } from './registry-audit';
import { PrivateStack } from './private-stack';
import { postJson, retryUntil } from './registry-calls';
import { allReady, measureRecovery, replayProjections, settle, waitUntilReady, type Recovery, type ReplayOutcome } from './recovery-probes';
import { CHAOS_POLICY, SteadyLoad, type LoadFigures } from './steady-load';

export interface ChaosSettings {
  /** Times the whole fault list is run. */
  rounds: number;
  outageMs: number;
  /** Longest wait for recovery after a fault before the suite records it as not recovered and goes on. */
  recoveryTimeoutMs: number;
  /** Steady load between faults before the next one. */
  steadyMs: number;
  registrationEveryMs: number;
  queryEveryMs: number;
  models: number;
  /** Keep the private stack's folder (data and service logs) after the run. */
  keepData: boolean;
}

/**
 * A fault and its recovery: `writeRecoveryMs` from the fault's end until a registration was acknowledged
 * again, `recoveryMs` until, in addition, every consumer group had consumed what was on the log and that
 * write was in the read model.
 */
export interface FaultResult extends Recovery {
  fault: string;
  round: number;
  /** When the fault began and ended (ISO). */
  from: string;
  to: string;
}

export interface Invariant {
  name: string;
  ok: boolean;
  details: string[];
}

export interface ChaosReport {
  settings: ChaosSettings;
  startedAt: string;
  durationSeconds: number;
  load: LoadFigures;
  audit: LogAudit;
  faults: FaultResult[];
  restarts: Record<string, { total: number; planned: number; unplanned: number }>;
  replay: ReplayOutcome;
  invariants: Invariant[];
  stackDir: string;
}

export const BOUNDED_SETTINGS: ChaosSettings = {
  rounds: 1,
  outageMs: 5_000,
  recoveryTimeoutMs: 45_000,
  steadyMs: 2_000,
  registrationEveryMs: 400,
  queryEveryMs: 300,
  models: 3,
  keepData: false,
};
export const FULL_SETTINGS: ChaosSettings = {
  rounds: 3,
  outageMs: 15_000,
  recoveryTimeoutMs: 90_000,
  steadyMs: 10_000,
  registrationEveryMs: 250,
  queryEveryMs: 200,
  models: 5,
  keepData: true,
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The fault suite: a private registry under steady load goes through every fault in turn, with
 * recovery measured in between; then the log, the dead letters and the read models are checked
 * against what the registry acknowledged. The harness only does what an orchestrator does:
 * stops and starts servers (the faults) and lets the supervisor restart exited services.
 */
export async function runChaosSuite(settings: ChaosSettings, printLine: (line: string) => void): Promise<ChaosReport> {
  const startedAt = Date.now();
  const print = (line: string) => printLine(`${String(Math.round((Date.now() - startedAt) / 1000)).padStart(4)} s  ${line}`);
  execFileSync(process.execPath, [resolve(REPO_ROOT, 'tools/build.js')], { stdio: 'ignore' });
  const stack = new PrivateStack(print);
  const codec = new EventCodec(SchemaCatalog.load());
  try {
    await stack.start();
    print(`private stack up in ${stack.dir}`);
    const kafka = createKafkaClient({
      brokers: (stack.env['KAFKA_BROKERS'] as string).split(','),
      clientId: 'chaos',
      logger: createJsonLogger({ service: 'chaos', level: 'error' }),
    });
    await waitUntilReady(stack, 120_000);
    const published = await retryUntil(
      () => postJson(`${stack.urls.gateValidator}/v1/policies`, CHAOS_POLICY),
      (a) => a.status === 200 || a.status === 201,
      Date.now() + 60_000,
    );
    if (!published) throw new Error('could not publish the chaos gate policy');

    const models = Array.from({ length: settings.models }, (_, index) => `chaos-m${index}`);
    const load = new SteadyLoad(stack.urls, models, settings);
    load.start();
    const groups = consumerGroups(stack.env['TOPIC_PREFIX'] as string, stack.topics);
    const context: FaultContext = { stack, kafka, codec, outageMs: settings.outageMs, plannedKills: new Map(), poison: [] };
    const faults: FaultResult[] = [];
    for (let round = 1; round <= settings.rounds; round += 1) {
      for (const fault of ALL_FAULTS.filter((candidate) => round === settings.rounds || !candidate.lastRoundOnly)) {
        await sleep(settings.steadyMs);
        print(`round ${round}: ${fault.name}`);
        let result: FaultResult;
        const from = new Date().toISOString();
        try {
          await fault.inject(context);
          const to = new Date();
          result = {
            fault: fault.name,
            round,
            from,
            to: to.toISOString(),
            ...(await measureRecovery(stack, kafka, load, groups, to.getTime(), settings.recoveryTimeoutMs)),
          };
        } catch (error) {
          result = {
            fault: fault.name,
            round,
            from,
            to: new Date().toISOString(),
            writeRecoveryMs: null,
            recoveryMs: null,
            error: (error as Error).message,
          };
        }
        print(
          `  recovered: writes ${format(result.writeRecoveryMs)}, ` +
            `consumers ${format(result.recoveryMs)}${result.error ? ` (${result.error})` : ''}`,
        );
        if (result.recoveryMs === null) for (const line of stack.logDigest(from)) print(`    ${line}`);
        faults.push(result);
      }
    }

    const figures = await load.stop(60_000);
    print('load stopped; waiting for the registry to settle');
    const settled = await settle(stack, kafka, groups, settings.recoveryTimeoutMs);
    const { audit, readModelShortfall } = await auditRegistry({
      stack,
      kafka,
      codec,
      load,
      models,
      poison: context.poison,
      topicPrefix: stack.env['TOPIC_PREFIX'] as string,
    });
    const replay = await replayProjections(stack, settings.recoveryTimeoutMs);
    const restarts = restartFigures(stack, context.plannedKills);
    const ready = await allReady(stack);

    const invariants: Invariant[] = [
      ...exactlyOnceInvariants(figures.refused, audit),
      check('every poison record is dead-lettered with a reason', audit.poisonNotDeadLettered),
      check('no poison record turned into events', audit.poisonPropagated),
      check(
        'every fault recovered without a person',
        faults
          .filter((f) => f.recoveryMs === null)
          .map((f) => `round ${f.round}, ${f.fault}: ${f.error ?? `not recovered within ${settings.recoveryTimeoutMs} ms`}`),
      ),
      check('consumers caught up and outboxes drained at the end', settled),
      check('every service ready at the end', ready),
      check(
        'no service exited other than when killed',
        Object.entries(restarts)
          .filter(([, r]) => r.unplanned > 0)
          .map(([service, r]) => `${service}: ${r.unplanned} unplanned restart(s)`),
      ),
      ...readModelInvariants(readModelShortfall, replay),
    ];
    return {
      settings,
      startedAt: new Date(startedAt).toISOString(),
      durationSeconds: Math.round((Date.now() - startedAt) / 1000),
      load: figures,
      audit,
      faults,
      restarts,
      replay,
      invariants,
      stackDir: stack.dir,
    };
  } finally {
    await stack.stop(settings.keepData);
  }
}

/** Why a replay did not finish cleanly (its state and error), or nothing. */
export function replayNotDone(replay: ReplayOutcome): string[] {
  return replay.state !== 'done' || replay.error ? [`replay ${replay.state}${replay.error ? `: ${replay.error}` : ''}`] : [];
}

export function replayFindings(replay: ReplayOutcome): string[] {
  const notDone = replayNotDone(replay);
  if (notDone.length > 0) return notDone;
  if (replay.tables === 0) return ['replay reported no table checksums'];
  return replay.unequal.map((table) => `${table} differs from its rebuild`);
}

/** What both suites assert of the read model once the load is over: every version on the log, and equal to a clean rebuild. */
export function readModelInvariants(readModelShortfall: string[], replay: ReplayOutcome): Invariant[] {
  return [
    check('the read model holds every version on the log', readModelShortfall),
    check('projections equal a clean rebuild', replayFindings(replay)),
  ];
}

/** The bounded settings unless CHAOS_ROUNDS, CHAOS_OUTAGE_SECONDS or CHAOS_STEADY_SECONDS say otherwise. */
export function chaosSettings(env: Env, defaults: ChaosSettings): ChaosSettings {
  return {
    ...defaults,
    rounds: integerInRange(env, 'CHAOS_ROUNDS', defaults.rounds, 1, 100),
    outageMs: integerInRange(env, 'CHAOS_OUTAGE_SECONDS', defaults.outageMs / 1000, 1, 600) * 1000,
    steadyMs: integerInRange(env, 'CHAOS_STEADY_SECONDS', defaults.steadyMs / 1000, 0, 600) * 1000,
  };
}

/** What both suites assert of the log: every valid write taken, on the log once, versions gapless, one decision each. */
export function exactlyOnceInvariants(
  refused: string[],
  audit: Pick<LogAudit, 'lost' | 'duplicated' | 'versionGaps' | 'decisionsNotOnce'>,
): Invariant[] {
  return [
    check('no valid write was refused', refused),
    check('every acknowledged write is on the log', audit.lost),
    check(
      'no event is on the log twice',
      audit.duplicated.map((copy) => `${copy}: appended again`),
    ),
    check('versions per model are gapless and unique', audit.versionGaps),
    check('each version got exactly one automatic gate decision', audit.decisionsNotOnce),
  ];
}

export function check(name: string, details: string[]): Invariant {
  return {
    name,
    ok: details.length === 0,
    details: details.slice(0, 20).concat(details.length > 20 ? [`... and ${details.length - 20} more`] : []),
  };
}

export function format(ms: number | null): string {
  return ms === null ? 'no' : `${(ms / 1000).toFixed(1)} s`;
}

function restartFigures(stack: PrivateStack, plannedKills: Map<string, number>): ChaosReport['restarts'] {
  const figures: ChaosReport['restarts'] = {};
  for (const service of ['ingestion', 'gate-validator', 'deployment-tracker', 'projections']) {
    const total = stack.supervisor?.restarts.get(service) ?? 0;
    const planned = plannedKills.get(service) ?? 0;
    figures[service] = { total, planned, unplanned: total - planned };
  }
  return figures;
}
