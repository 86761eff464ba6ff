import { bootstrapServers, clusterProperties, localClusterNodes, replicationSettings } from './kafka-cluster';

describe('the local Kafka cluster layout', () => {
  it('keeps 3 replicas and needs 2 in sync from three nodes on, and stays single-replica alone', () => {
    expect(replicationSettings(1)).toEqual({ replicas: 1, minInsync: 1 });
    expect(replicationSettings(2)).toEqual({ replicas: 2, minInsync: 1 });
    expect(replicationSettings(3)).toEqual({ replicas: 3, minInsync: 2 });
    expect(replicationSettings(5)).toEqual({ replicas: 3, minInsync: 2 });
  });

  it('puts node k on 127.0.0.k with the same ports, every node voting in one controller quorum', () => {
    const nodes = localClusterNodes(3, 20_000, 20_001);
    expect(bootstrapServers(nodes)).toBe('127.0.0.1:20000,127.0.0.2:20000,127.0.0.3:20000');
    const second = clusterProperties(nodes[1]!, nodes);
    expect(second).toEqual(
      expect.arrayContaining([
        'node.id=2',
        'controller.quorum.voters=1@127.0.0.1:20001,2@127.0.0.2:20001,3@127.0.0.3:20001',
        'listeners=PLAINTEXT://127.0.0.2:20000,CONTROLLER://127.0.0.2:20001',
        'advertised.listeners=PLAINTEXT://127.0.0.2:20000',
        'default.replication.factor=3',
        'min.insync.replicas=2',
        'offsets.topic.replication.factor=3',
        'transaction.state.log.min.isr=2',
      ]),
    );
    expect(new Set(nodes.map((node) => node.dir)).size).toBe(3);
  });
});
