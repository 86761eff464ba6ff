export { createTestEnvironment } from './test-environment';
export type { TestEnvironment } from './test-environment';
export { startService, freePort } from './service-process';
export type { RunningService, ServiceName, StartOptions } from './service-process';
export { eventually } from './eventually';
export { testKafka, uniqueTopics, readMessages, readAllMessages } from './kafka-fixtures';
export { REPO_ROOT, stackConnection } from './stack-connection';
export { startPrivatePostgres, startPrivateS3 } from './private-servers';
export type { PrivatePostgres, PrivateS3 } from './private-servers';
