import { Inject, Injectable } from '@nestjs/common';
import { EventDecodeError, withoutSeal, type GateEvaluated, type RegistryEvent } from '@modelreg/events';
import { partitionEnds, readLogRanges } from '@modelreg/kafka';
import type { GateValidatorDependencies } from '../gate-validator-dependencies';
import { GATE_VALIDATOR_DEPENDENCIES } from '../gate-validator.constants';
import { rebuildDecisions, type LoggedEvent } from '../state/gate-rebuild';

export interface RebuiltDecision {
  eventId: string;
  modelName: string;
  modelVersion: number;
  /** Whether the log holds this decision with exactly these bytes. */
  identical: boolean;
  /** The rebuilt GateEvaluated, single-object encoded, base64 (when asked for). */
  payload?: string;
}

export interface RebuildReport {
  /** Events read from offset 0 of the lineage, deployments and gates topics. */
  events: number;
  /** Decisions on the log that registrations caused. */
  logged: number;
  rebuilt: number;
  identical: number;
  /** Logged registration decisions the rebuild did not reproduce byte for byte (absent, or different). */
  differing: Array<{ eventId: string; modelName: string; modelVersion: number }>;
  decisions: RebuiltDecision[];
}

/**
 * Rebuilds the gate from offset 0 of the log (in memory, through the live fold and decision steps)
 * and compares every decision a registration caused with the one on the log, byte for byte. The
 * live state is not touched.
 */
@Injectable()
export class GateRebuildService {
  constructor(@Inject(GATE_VALIDATOR_DEPENDENCIES) private readonly deps: GateValidatorDependencies) {}

  async rebuild(withPayloads: boolean): Promise<RebuildReport> {
    const { topics, codec } = this.deps;
    // From offset 0 (the log start) to the ends as they are now; later appends are left out.
    const ends = await partitionEnds(this.deps.kafka, [topics.lineage, topics.deployments, topics.gates]);
    const records = await readLogRanges(
      this.deps.kafka,
      ends.map(({ topic, partition, low, high }) => ({ topic, partition, fromOffset: low, toOffset: high })),
      { timeoutMs: 120_000 },
    );
    const events: LoggedEvent[] = [];
    const logged = new Map<string, { decision: GateEvaluated; value: Buffer }>();
    for (const { topic, partition, offset, message } of records) {
      if (!message.value) continue;
      const value = message.value;
      let event: RegistryEvent;
      try {
        event = codec.decode(value);
      } catch (error) {
        // Dead-lettered when consumed live, so never applied there either.
        if (error instanceof EventDecodeError) continue;
        throw error;
      }
      events.push({ event, topic, partition, offset, timestamp: Number(message.timestamp) });
      // Compared as the gate decided it: the seal the outbox added is not the decision's.
      if (event.type === 'GateEvaluated' && event.data.trigger === 'RunRegistered')
        logged.set(event.data.envelope.eventId, { decision: event.data, value: withoutSeal(codec, value) });
    }
    const rebuilt = rebuildDecisions(events).map((decision): RebuiltDecision => {
      const bytes = codec.encode({ type: 'GateEvaluated', data: decision });
      const onLog = logged.get(decision.envelope.eventId);
      return {
        eventId: decision.envelope.eventId,
        modelName: decision.modelName,
        modelVersion: decision.candidateVersion,
        identical: onLog !== undefined && onLog.value.equals(bytes),
        ...(withPayloads ? { payload: bytes.toString('base64') } : {}),
      };
    });
    const reproduced = new Set(rebuilt.filter((decision) => decision.identical).map((decision) => decision.eventId));
    const differing = [...logged.values()]
      .filter(({ decision }) => !reproduced.has(decision.envelope.eventId))
      .map(({ decision }) => ({
        eventId: decision.envelope.eventId,
        modelName: decision.modelName,
        modelVersion: decision.candidateVersion,
      }));
    return {
      events: events.length,
      logged: logged.size,
      rebuilt: rebuilt.length,
      identical: reproduced.size,
      differing,
      decisions: rebuilt,
    };
  }
}
