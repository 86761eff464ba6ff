// npm run cluster-test: the long horizontal-scale suite on a private 3-node Kafka cluster; figures in tmp/chaos/cluster-results.json.
import { clusterSettings, FULL_CLUSTER_SETTINGS, runClusterSuite } from './cluster-suite';
import { runSuiteCommand } from './suite-command';

runSuiteCommand(
  'cluster',
  'cluster-results.json',
  (print) => runClusterSuite(clusterSettings(process.env, FULL_CLUSTER_SETTINGS), print),
  (fault) => fault.fault,
);
