// npm run chaos: the long fault suite on a private stack; figures in tmp/chaos/results.json.
import { chaosSettings, FULL_SETTINGS, runChaosSuite } from './chaos-suite';
import { runSuiteCommand } from './suite-command';

runSuiteCommand(
  'chaos',
  'results.json',
  (print) => runChaosSuite(chaosSettings(process.env, FULL_SETTINGS), print),
  (fault) => `round ${fault.round} ${fault.fault}`,
  (report) =>
    Object.entries(report.restarts).map(
      ([service, restarts]) => `${service}: ${restarts.total} restarts (${restarts.planned} killed by the suite)`,
    ),
);
