export { placementHistories, assertPersistenceKeepsServingViews, sampleReportBodies, HISTORY_PLACEMENT } from './placement-histories';
