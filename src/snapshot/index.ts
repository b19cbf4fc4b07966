// The snapshot engine's public surface (the parser's exports are appended by its own module's owner).
export {analyzeGraph, type SnapshotAnalysis, type AnalysisOptions} from './analysis.js';
export type {EngineSummary, SummaryOptions} from './summary.js';
export type {ClassRetainersOptions} from './paths.js';
export {SnapshotParser, type SnapshotParserOptions} from './stream-parser.js';
export {parseSnapshotFile, parseSnapshotFileAsync, prestartParallelParse, type ParseFileOptions} from './read-file.js';
// analyzeGraph(graph, {shallowSizesElsewhere: startShallowSizesJob}): after a two-thread file parse, its
// second thread computes the shallow sizes and the shortest-path tree while this one does the rest.
export {startShallowSizesJob} from './edge-section-worker.js';
export {SnapshotFormatError} from './errors.js';
export type {HeapGraph, SourceLocations} from './graph.js';
