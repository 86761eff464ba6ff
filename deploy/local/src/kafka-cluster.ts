import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { kafkaClusterId, startKafka, waitForKafka } from './kafka-server';
import { isPortOpen, waitUntil } from './processes';
import { LOCAL_DIR } from './stack-layout';

/** One node of a KRaft cluster: broker and controller in one process (combined mode). */
export interface KafkaNode {
  id: number;
  host: string;
  port: number;
  controllerPort: number;
  /** Its data, logs and server.properties. */
  dir: string;
}

/**
 * Replication that survives one node down: with three or more nodes every topic (the
 * registry's, the group offsets, the transaction log) keeps 3 replicas and refuses a write that
 * fewer than 2 of them hold, so an acknowledged (acks=all) record is on two disks and one broker
 * can go away without losing it or stopping writes.
 */
export function replicationSettings(nodeCount: number): { replicas: number; minInsync: number } {
  const replicas = Math.min(3, nodeCount);
  return { replicas, minInsync: replicas >= 3 ? 2 : 1 };
}

/** What makes `node` one of `nodes`; overrides the single-node properties of kafka-server.ts. */
export function clusterProperties(node: KafkaNode, nodes: readonly KafkaNode[]): string[] {
  const { replicas, minInsync } = replicationSettings(nodes.length);
  return [
    `node.id=${node.id}`,
    `controller.quorum.voters=${nodes.map((voter) => `${voter.id}@${voter.host}:${voter.controllerPort}`).join(',')}`,
    `listeners=PLAINTEXT://${node.host}:${node.port},CONTROLLER://${node.host}:${node.controllerPort}`,
    `advertised.listeners=PLAINTEXT://${node.host}:${node.port}`,
    `default.replication.factor=${replicas}`,
    `min.insync.replicas=${minInsync}`,
    `offsets.topic.replication.factor=${replicas}`,
    `transaction.state.log.replication.factor=${replicas}`,
    `transaction.state.log.min.isr=${minInsync}`,
    `share.coordinator.state.topic.replication.factor=${replicas}`,
    `share.coordinator.state.topic.min.isr=${minInsync}`,
  ];
}

/** `host:port,...`: what KAFKA_BROKERS names. */
export function bootstrapServers(nodes: readonly KafkaNode[]): string {
  return nodes.map((node) => `${node.host}:${node.port}`).join(',');
}

/**
 * The local stack's cluster: node k listens on 127.0.0.k with the ports of the single broker
 * (Linux routes all of 127.0.0.0/8 to the loopback interface), so a three-node stack needs no
 * port beyond the checkout's plan. Data in .local/kafka-cluster/node-k.
 */
export function localClusterNodes(count: number, port: number, controllerPort: number): KafkaNode[] {
  return Array.from({ length: count }, (_, index) => ({
    id: index + 1,
    host: `127.0.0.${index + 1}`,
    port,
    controllerPort,
    dir: resolve(LOCAL_DIR, 'kafka-cluster', `node-${index + 1}`),
  }));
}

export interface KafkaNodeStart {
  partitions: number;
  heap: string;
  log: (line: string) => void;
}

/** Starts one node (formatting its storage on first start with the cluster's shared id); returns its pid. */
export function startKafkaNode(node: KafkaNode, nodes: readonly KafkaNode[], options: KafkaNodeStart): number {
  mkdirSync(node.dir, { recursive: true });
  writeFileSync(join(node.dir, 'cluster-id'), sharedClusterId(nodes));
  return startKafka({
    ...options,
    port: node.port,
    controllerPort: node.controllerPort,
    dir: node.dir,
    extraProperties: clusterProperties(node, nodes),
  });
}

/** Every node listening, then a consumer group can join (its offsets topic needs the replicas of several nodes). */
export async function waitForKafkaCluster(nodes: readonly KafkaNode[]): Promise<void> {
  await Promise.all(
    nodes.map((node) => waitUntil(`kafka node ${node.id} on ${node.host}:${node.port}`, () => isPortOpen(node.port, node.host), 90_000)),
  );
  const first = nodes[0] as KafkaNode;
  await waitForKafka(first.port, null, first.host);
}

/** Every node of one cluster is formatted with the same id: the first node's, made once. */
function sharedClusterId(nodes: readonly KafkaNode[]): string {
  const file = join((nodes[0] as KafkaNode).dir, 'cluster-id');
  if (!existsSync(file)) {
    mkdirSync((nodes[0] as KafkaNode).dir, { recursive: true });
    writeFileSync(file, kafkaClusterId());
  }
  return readFileSync(file, 'utf8').trim();
}
