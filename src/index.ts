/**
 * heaptop's programmatic API (the package's "exports"): the snapshot engine and the leak analysis,
 * usable without the terminal UI — e.g. in a test that writes snapshots and asserts on growth.
 *
 *   import {parseSnapshotFile, analyzeGraph, rankGrowth} from 'heaptop';
 *   const summary = analyzeGraph(parseSnapshotFile('a.heapsnapshot')).summary({retained: true});
 */
export * from './snapshot/index.js';
export {rankGrowth, type GrowthResult, type GrowthOptions} from './analysis/growth.js';
export {classifyTrend} from './analysis/trend.js';
export {explainVerdict, combineVerdict} from './analysis/verdict.js';
export {buildAllocationSites, sitesForClass} from './analysis/allocation-sites.js';
export {analyzeFiles, type AnalyzeOptions, type AnalyzeResult} from './headless/analyze.js';
export type * from './model/types.js';
