import {test} from 'node:test';
import assert from 'node:assert/strict';
import {adviceFor, classifyHops, type HopInfo} from '../../src/snapshot/hints.js';

/** Hops from a compact description: "edgeType:edgeName>Class" with optional flags after '!'. */
function hops(...specs: string[]): HopInfo[] {
	return specs.map(spec => {
		const [main, flag] = spec.split('!');
		const [edge, className] = main!.split('>');
		const [edgeType, edgeName] = edge!.split(':');
		return {
			edgeType: edgeType!, edgeName: edgeName ?? '', nodeType: className === 'Function' ? 'closure' : 'object', className: className!,
			contextKind: flag === 'module' ? 'module' : flag === 'function' ? 'function' : null,
			isGlobal: flag === 'global', isRootCategory: flag === 'root',
		};
	});
}

test('classic leaks get their hint', () => {
	const module = 'internal:context>system / Context!module';
	assert.equal(classifyHops(hops(':>global!global', 'property:f>Function', module, 'context:cache>Map', 'internal:table>(array)', 'internal:6>Session')), 'cache');
	assert.equal(classifyHops(hops(':>global!global', 'property:f>Function', module, 'context:bus>EventEmitter', 'property:_events>Object',
		'property:data>Array', 'element:3>Function', 'internal:context>system / Context!function', 'context:req>Request')), 'listener');
	assert.equal(classifyHops(hops(':>global!global', 'property:setTimeout>Function', 'internal:context>system / Context!module', 'context:timerListMap>Object',
		'element:1000>TimersList', 'property:_idlePrev>Timeout', 'property:_onTimeout>Function', 'internal:context>system / Context!function', 'context:held>Array', 'element:4>Blob')), 'timer');
	assert.equal(classifyHops(hops(':>global!global', 'property:f>Function', module, 'context:callbacks>Array', 'element:0>Function',
		'internal:context>system / Context!function', 'context:blob>Blob')), 'closure');
	assert.equal(classifyHops(hops(':>global!global', 'property:f>Function', module, 'context:s>Readable', 'property:_readableState>ReadableState',
		'property:buffer>Array', 'element:4>Chunk')), 'stream');
	assert.equal(classifyHops(hops(':>global!global', 'property:registry>Object', 'property:k1>Entry')), 'cache');
	assert.equal(classifyHops(hops(':>global!global', 'property:f>Function', module, 'context:items>Array', 'element:9>Item')), 'cache');
});

test('a variable captured by a listener is a listener leak, and a lone reference is "other"', () => {
	assert.equal(classifyHops(hops(':>global!global', 'property:current>Session')), 'other');
	assert.equal(classifyHops(hops(':>(Global handles)!root', 'internal:7>Session')), 'other');
	assert.equal(classifyHops(hops(':>global!global', 'property:emitter>EventEmitter', 'property:_events>Object', 'property:x>Function',
		'internal:context>system / Context!function', 'context:s>Session')), 'listener');
	assert.equal(classifyHops(hops(':>global!global', 'property:f>Function', 'internal:context>system / Context!function', 'context:m>Map', 'internal:table>(array)', 'internal:6>S')), 'cache',
		'a private Map kept in a closure is still a cache');
	assert.equal(classifyHops(hops(':>global!global', 'property:f>Function', 'internal:context>system / Context!module', 'context:m>Map', 'internal:table>(array)', 'internal:6>Function',
		'internal:context>system / Context!function', 'context:s>S')), 'closure', 'closures piling up in a Map capture the object');
});

test('each hint has one line of advice with the usual fix', () => {
	assert.match(adviceFor('listener'), /removeListener/);
	assert.match(adviceFor('cache'), /LRU, TTL/);
	assert.match(adviceFor('closure'), /null it after use/);
	assert.match(adviceFor('timer'), /clearInterval\/clearTimeout/);
	assert.match(adviceFor('stream'), /consume, pipe, or destroy/);
	assert.ok(!adviceFor('other').includes('\n'));
});
