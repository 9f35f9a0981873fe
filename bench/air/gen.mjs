#!/usr/bin/env node
// Scenario generator of bench/air: rebuilds AquaVM's own benchmark scenarios (the list of
// junk/gen-bench-data at air-v0.62.0) by running their scripts on the REAL AquaVM (avm.wasm
// 0.62.0 through ../shared/oracle/direct.mjs), peer by peer, the way the upstream generator
// runs them with its test network, so every prev_data / current_data below is genuine AVM data.
//
//   node gen.mjs --out DIR NAME...     generate the named scenarios (skips those already there)
//   node gen.mjs --list                print the known scenario names
//
// Each scenario lands in DIR/NAME/: script.air, prev_data.bin, cur_data.bin and meta.json
// (run parameters with the current peer's secret key, call results, the size of the inputs,
// and the outcome the real AVM gives for the benchmarked invocation). The scripts and values
// are our own rewrite of the upstream definitions; see bench/README.md for the deviations.

import { mkdirSync, writeFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { loadOracle } from './common.mjs';

const { direct: D, oracle: O } = await loadOracle();

const EMPTY = new Uint8Array(0);
const TIMESTAMP = 1700000000000;
const TTL = 0xffffffff; // the upstream runner's default: the largest ttl
const PARTICLE_ID = '0123456789ABCDEF'; // the executor-based upstream scenarios
const MIB = 1 << 20;

// ---------------------------------------------------------------- keys and values

const keyCache = new Map();
/** Deterministic ed25519 key of a named peer: seed = sha256("cascade-bench/" + name). */
function key(name) {
  if (!keyCache.has(name)) {
    const seed = crypto.createHash('sha256').update('cascade-bench/' + name).digest('hex');
    keyCache.set(name, O.peerKey(name, seed));
  }
  return keyCache.get(name);
}
const id = (name) => key(name).peerId;

/** A small deterministic PRNG (mulberry32). */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n deterministic pseudo-random bytes (AES-128-CTR keystream under a fixed key). */
function randomBytes(n, label) {
  const k = crypto.createHash('sha256').update('cascade-bench/' + label).digest().subarray(0, 16);
  const c = crypto.createCipheriv('aes-128-ctr', k, Buffer.alloc(16));
  return Buffer.concat([c.update(Buffer.alloc(n)), c.final()]);
}

/** The big string of the memory scenarios: sizeMb MiB of hex text (sizeMb/2 MiB of random bytes). */
function hexPayload(sizeMb) {
  return randomBytes((sizeMb * MIB) / 2, 'payload').toString('hex');
}

const ok = (v) => ({ retCode: 0, result: JSON.stringify(v) });

// ---------------------------------------------------------------- running the real AVM

let invoke = null; // makeDirectInvoke of a fresh direct AVM, per scenario

async function freshAvm() {
  invoke = D.makeDirectInvoke(await D.createDirectAvm());
}

function params(initPeerId, currentName, particleId) {
  return {
    initPeerId,
    currentPeerId: id(currentName),
    timestamp: TIMESTAMP,
    ttl: TTL,
    particleId,
    secretKey: key(currentName).seed,
  };
}

/**
 * One peer's turn as the upstream test runner takes it: invoke, answer every call request
 * with `service`, invoke again with the answers, until no call request is left. Returns the
 * last data and the union of next peers. Every invocation must succeed.
 */
async function callVm(script, prevData, data, p, service) {
  let callResults = [];
  const next = new Set();
  for (let round = 1; ; round++) {
    const r = await invoke({ script, prevData, data, params: p, callResults });
    if (r.retCode !== 0) {
      throw new Error(`AVM failed (ret_code ${r.retCode}) on ${p.currentPeerId}: ${r.errorMessage}`);
    }
    for (const pk of r.nextPeerPks) next.add(pk);
    if (r.callRequests.length === 0) return { data: r.data, nextPeerPks: [...next].sort(), rounds: round };
    callResults = r.callRequests.map(([cid, req]) => [Number(cid), service(req)]);
    prevData = r.data;
    data = EMPTY;
  }
}

/**
 * The upstream test executor's network: one queue of incoming data per peer, each peer keeps
 * its previous data; executeOne(peer) takes the peer's first queued data, runs one turn
 * (callVm) and queues the resulting data to every next peer.
 */
class Net {
  constructor(script, peerNames, initName, particleId, service) {
    Object.assign(this, { script, initName, particleId, service });
    this.byId = new Map(peerNames.map((n) => [id(n), n]));
    this.queue = new Map(peerNames.map((n) => [n, []]));
    this.prev = new Map(peerNames.map((n) => [n, EMPTY]));
    this.queue.get(initName).push(EMPTY);
  }

  async executeOne(name) {
    const data = this.queue.get(name).shift();
    if (!data) throw new Error(`nothing queued for ${name}`);
    const p = params(id(this.initName), name, this.particleId);
    const r = await callVm(this.script, this.prev.get(name), data, p, this.service);
    this.prev.set(name, r.data);
    for (const pk of r.nextPeerPks) {
      const n = this.byId.get(pk);
      if (!n) throw new Error(`unknown next peer ${pk}`);
      this.queue.get(n).push(r.data);
    }
    return r;
  }
}

function assertPeers(got, names, what) {
  const want = names.map(id).sort();
  if (JSON.stringify([...got].sort()) !== JSON.stringify(want)) {
    throw new Error(`${what}: next peers ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
  }
}

/** A balanced tree of seq over the given instructions. */
function seqTree(items) {
  if (items.length === 1) return items[0];
  const mid = items.length >> 1;
  return `(seq ${seqTree(items.slice(0, mid))} ${seqTree(items.slice(mid))})`;
}

const quoteList = (xs) => xs.map((x) => JSON.stringify(x)).join(' ');

// ---------------------------------------------------------------- scenarios
//
// Each returns {comment, script, prev, cur, init, current (peer name), particle, callResults}.
// "init"/"other" stand for the upstream peers init_peer_id/other_peer_id.

/** Two-peer scenarios of the upstream executor: init runs first, then `others` in order. */
async function executorScenario({ comment, script, peers, service, steps, pick }) {
  const net = new Net(script, peers, 'init', PARTICLE_ID, service);
  const results = {};
  for (const [name, check] of steps) {
    const r = await net.executeOne(name);
    if (check) check(r);
    (results[name] ||= []).push(r);
  }
  return { comment, script, particle: PARTICLE_ID, init: id('init'), callResults: [], ...pick(results) };
}

function byFunction(table) {
  return (req) => {
    const f = table[req.functionName];
    if (!f) throw new Error(`no canned answer for ${req.serviceId}.${req.functionName}`);
    return f(req);
  };
}

const echo = (req) => ok(req.arguments[0]);

function multipleCids(n) {
  const vals = Array.from({ length: n }, (_, i) => `val${i}`);
  const script = `
(seq
 (seq
  (call "${id('init')}" ("" "init") [] data)
  (fold data x
   (seq
    (fold data y
     (seq
      (call "${id('other')}" ("serv" "args") [x y] $stream)
      (next y)))
    (next x))))
 (call "${id('init')}" ("" "complete") []))`;
  return executorScenario({
    comment: 'verifying multiple CIDs for single peer',
    script,
    peers: ['init', 'other'],
    service: byFunction({ init: () => ok(vals), args: echo }),
    steps: [['init', (r) => assertPeers(r.nextPeerPks, ['other'], 'init')], ['other']],
    pick: (r) => ({ prev: r.init[0].data, cur: r.other[0].data, current: 'init' }),
  });
}

function multiplePeers(n) {
  const names = Array.from({ length: n }, (_, i) => `p${i}`);
  const script = `
(seq
 (seq
  (call "${id('init')}" ("" "init") [] data)
  (fold data p
   (seq
    (fold data x
     (seq
      (fold data y
       (seq
        (call p ("serv" "args") [p x y] $stream)
        (next y)))
      (next x)))
    (next p))))
 (seq
  (call "${id('other')}" ("" "collect") [])
  (call "${id('init')}" ("" "complete") [])))`;
  return executorScenario({
    comment: 'verifying many CIDs for many peers',
    script,
    peers: ['init', 'other', ...names],
    service: byFunction({
      init: () => ok(names.map(id)),
      args: echo,
      collect: () => ok('result from unit_call_service'),
    }),
    steps: [['init'], ...names.map((p) => [p]), ['other']],
    pick: (r) => ({ prev: r.init[0].data, cur: r.other[0].data, current: 'init' }),
  });
}

function multipleSigs(n) {
  const vals = Array.from({ length: n }, (_, i) => `val${i}`);
  const script = `
(seq
 (seq
  (call "${id('init')}" ("" "init") [] data)
  (fold data x
   (seq
    (fold data y
     (par
      (call "${id('init')}" ("serv" "args") [x y] $stream)
      (next y)))
    (next x))))
 (seq
  (call "${id('other')}" ("" "complete") [])
  (canon "${id('init')}" $stream #canon)))`;
  return executorScenario({
    comment: 'signing multiple CIDs',
    script,
    peers: ['init', 'other'],
    service: byFunction({ init: () => ok(vals), args: echo, complete: () => ok('ok') }),
    steps: [['init', (r) => assertPeers(r.nextPeerPks, ['other'], 'init')], ['other']],
    pick: (r) => ({ prev: r.init[0].data, cur: r.other[0].data, current: 'init' }),
  });
}

/** The map scenarios: init builds the data, other runs the benchmarked step on it. */
function mapScenario(comment, script, vals) {
  return executorScenario({
    comment,
    script,
    peers: ['init', 'other'],
    service: byFunction({ init: () => ok(vals) }),
    steps: [['init', (r) => assertPeers(r.nextPeerPks, ['other'], 'init')]],
    pick: (r) => ({ prev: EMPTY, cur: r.init[0].data, current: 'other', producer: 'init' }),
  });
}

const vals = (n) => Array.from({ length: n }, (_, i) => `val${i}`);
const KEY = 'some-lengthy-and-scary-key';

function canonMapKeyByLens(n, elementIdx) {
  const lens = elementIdx === undefined ? `#%canon.$.${KEY}` : `#%canon.$.${KEY}.[${elementIdx}]`;
  const script = `
(new %map
 (seq
  (seq
   (call "${id('init')}" ("" "init") [] data)
   (fold data value
    (seq
     (ap ("${KEY}" value) %map)
     (next value))))
  (seq
   (canon "${id('init')}" %map #%canon)
   (seq
    (canon "${id('other')}" $unused_stream #$node_change)
    (ap ${lens} scalar)))))`;
  return mapScenario('benchmarking a map insert operation', script, vals(n));
}

function canonMapFill(n, multipleKeys, target, { populate = false } = {}) {
  const m = multipleKeys ? Math.floor(Math.sqrt(n)) : n;
  const fill = multipleKeys
    ? `(fold data key (seq (fold data value (seq (ap (key value) %map) (next value))) (next key)))`
    : `(fold data value (seq (ap ("${target === 'scalar' ? 'some' + KEY : KEY}" value) %map) (next value)))`;
  let body;
  if (populate) {
    body = `(seq (seq (call "${id('init')}" ("" "init") [] data) (seq (canon "${id('other')}" %map #%switch_node1) ${fill})) (call "${id('init')}" ("" "complete") []))`;
  } else {
    body = `(seq (seq (call "${id('init')}" ("" "init") [] data) ${fill}) (canon "${id('other')}" %map ${target}))`;
  }
  return mapScenario('benchmarking a map insert operation', `(new %map ${body})`, vals(m));
}

/** The memory scenarios (upstream *-100mb), at any size. */
function memScenario(kind, sizeMb) {
  const hex = hexPayload(sizeMb);
  const I = id('init');
  const Ot = id('other');
  const scripts = {
    'call-result': [
      [hex],
      `(seq (call "${I}" ("" "init") [] data) (seq (fold data unused (next unused)) (canon "${Ot}" %map #%canon)))`,
    ],
    lense: [
      [{ attrib: hex }],
      `(seq (call "${I}" ("" "init") [] data) (seq (fold data unused (seq (ap unused.$.attrib $data) (next unused))) (canon "${Ot}" $data #$data)))`,
    ],
    map: [
      [hex],
      `(seq (call "${I}" ("" "init") [] data) (seq (seq (fold data unused (seq (ap ("key" unused) %map) (next unused))) (canon "${Ot}" %map new_data)) (canon "${I}" $data #$data)))`,
    ],
    'canon-map': [
      [hex],
      `(seq (call "${I}" ("" "init") [] data) (seq (seq (fold data unused (seq (ap ("key" unused) %map) (next unused))) (canon "${Ot}" %map #%new_data)) (canon "${I}" $data #$new_data)))`,
    ],
    hybrid: [
      [{ attrib: hex }],
      `(seq (call "${I}" ("" "init") [] data) (seq (seq (fold data unused (seq (ap ("key" unused) %map) (next unused))) (seq (ap ("other" data.$.[0]) %map) (canon "${Ot}" %map new_data))) (canon "${I}" $data #$data)))`,
    ],
  };
  const [value, script] = scripts[kind];
  const comments = {
    'call-result': 'Memory intensive benchmarking test',
    lense: 'Memory intensive benchmarking test with lense',
    map: 'Memory intensive benchmarking test with map 2 scalar',
    'canon-map': 'Memory intensive benchmarking test with canon map',
    hybrid: 'Memory intensive benchmarking test with mixed workload',
  };
  return mapScenario(comments[kind], script, value);
}

/** The single-peer scenarios of the upstream "calls" module (call-requests500, call-results500). */
async function calls(n, results) {
  const script = `
(seq
 (call %init_peer_id% ("init" "init") [] data)
 (fold data i
  (par
   (call %init_peer_id% ("handle" "handle") [${Array(24).fill('i').join(' ')}] $stream)
   (next i))))`;
  const values = Array.from({ length: n }, (_, i) => `${i}`);
  const p = params(id('peer_id'), 'peer_id', 'particle_id');
  const r1 = await invoke({ script, prevData: EMPTY, data: EMPTY, params: p, callResults: [] });
  if (r1.retCode !== 0 || r1.callRequests.length !== 1) throw new Error(`calls: first run: ${r1.errorMessage}`);
  const initResults = r1.callRequests.map(([cid]) => [Number(cid), ok(values)]);
  const base = { script, particle: 'particle_id', init: id('peer_id'), current: 'peer_id', cur: EMPTY };
  if (!results) {
    return { ...base, comment: 'multiple call requests', prev: r1.data, callResults: initResults };
  }
  const r2 = await invoke({ script, prevData: r1.data, data: EMPTY, params: p, callResults: initResults });
  if (r2.retCode !== 0 || r2.callRequests.length !== n) throw new Error(`calls: second run: ${r2.errorMessage}`);
  const callResults = r2.callRequests.map(([cid, req]) => [Number(cid), ok(req.arguments)]);
  return { ...base, comment: 'multiple call results', prev: r2.data, callResults };
}

function single(comment, script) {
  return { comment, script, prev: EMPTY, cur: EMPTY, particle: 'particle_id', init: id('init_peer_id'), current: 'init_peer_id', callResults: [] };
}

/** parser-10000-100: one fold whose body is a random seq/null tree of 10000 `ap`s to random names. */
function parser10000() {
  const rnd = prng(10000100);
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const seen = new Set();
  const name = () => {
    for (;;) {
      const len = 2 + Math.floor(rnd() * 99);
      let s = '';
      for (let i = 0; i < len; i++) s += letters[Math.floor(rnd() * letters.length)];
      if (!seen.has(s)) {
        seen.add(s);
        return s;
      }
    }
  };
  const tree = (n) => {
    if (n === 0) return '(null)';
    const k = Math.floor(rnd() * n);
    return `(seq (seq (ap i ${name()}) ${tree(k)}) ${tree(n - 1 - k)})`;
  };
  const script = `(seq (call "peer" ("serv" "func") [] stream) (fold stream i (seq ${tree(10000)} (next i))))`;
  return single('long air script with lot of variable assignments', script);
}

/** parser-calls-10000-100: a balanced seq tree of 9999 calls chaining 100 variables. */
function parserCalls(calls, nvars) {
  const v = (i) => `var${i % nvars}`;
  const stmts = [];
  for (let i = 0; i + 1 < calls; i++) stmts.push(`(call ${v(i)} ("serv" "func") [] ${v(i + 1)})`);
  const script = `(seq (call "peer" ("serv" "func") [] ${v(0)}) ${seqTree(stmts)})`;
  return single('multiple calls parser benchmark', script);
}

async function networkExplore() {
  const relay = id('relay_id');
  const client = id('client_id');
  const [c1, c2, c3] = [id('client_1_id'), id('client_2_id'), id('client_3_id')];
  const script = `
(seq
 (seq
  (seq
   (call "${client}" ("" "") ["relay"] relay)
   (call "${client}" ("" "") ["client"] client))
  (seq
   (call relay ("dht" "neighborhood") [relay] neighs_top)
   (seq
    (fold neighs_top n
     (seq
      (call n ("dht" "neighborhood") [n] $neighs_inner)
      (next n)))
    (fold $neighs_inner ns
     (seq
      (fold ns n
       (seq
        (call n ("op" "identify") [] $services)
        (next n)))
      (next ns))))))
 (seq
  (call relay ("op" "identity") [])
  (seq
   (seq
    (canon client $services #services)
    (canon client $neighs_inner #neighs_inner))
   (call client ("return" "") [#services #neighs_inner neighs_top]))))`;
  const constant = (v) => () => ok(v);
  const services = {
    client_id: (req) => {
      const a = req.arguments[0];
      const vars = { relay, client };
      return ok(typeof a === 'string' && a in vars ? vars[a] : 'default result from set_variables_call_service');
    },
    relay_id: constant([c1, c2, c3, relay]),
    client_1_id: constant([c1, c3, relay, c2]),
    client_2_id: constant([relay, c3, c1, c2]),
    client_3_id: constant([relay, c3, c1, c2]),
  };
  const run = async (name, prev, data, expect) => {
    const r = await callVm(script, prev, data, params('', name, ''), services[name]);
    if (expect) assertPeers(r.nextPeerPks, [expect], `network-explore ${name}`);
    return r.data;
  };
  const cl = await run('client_id', EMPTY, EMPTY, 'relay_id');
  let rl = await run('relay_id', EMPTY, cl, 'client_1_id');
  let k1 = await run('client_1_id', EMPTY, rl, 'client_2_id');
  let k2 = await run('client_2_id', EMPTY, k1, 'client_3_id');
  let k3 = await run('client_3_id', EMPTY, k2, 'relay_id');
  rl = await run('relay_id', rl, k3);
  k1 = await run('client_1_id', k1, rl);
  k3 = await run('client_3_id', k3, k1);
  rl = await run('relay_id', rl, k3, 'client_2_id');
  k2 = await run('client_2_id', k2, rl, 'client_3_id');
  k3 = await run('client_3_id', k3, k2, 'relay_id');
  return {
    comment: '5 peers of network are discovered',
    script,
    prev: rl,
    cur: k3,
    particle: '',
    init: '',
    current: 'relay_id',
    callResults: [],
  };
}

async function dashboard() {
  const peerInfo = (p) => [
    `(call ${p} ("op" "identify") [] ident)`,
    `(call ${p} ("dist" "get_blueprints") [] blueprints)`,
    `(call ${p} ("dist" "get_modules") [] modules)`,
    `(call ${p} ("srv" "get_interfaces") [] interfaces)`,
    `(call relayId ("op" "identity") [])`,
    `(call %init_peer_id% ("event" "all_info") [${p} ident interfaces blueprints modules])`,
  ];
  const chain = (xs) => (xs.length === 1 ? xs[0] : `(seq ${xs[0]} ${chain(xs.slice(1))})`);
  const script = `
(seq
 (call %init_peer_id% ("" "load") ["relayId"] relayId)
 (seq
  (call %init_peer_id% ("" "load") ["knownPeers"] knownPeers)
  (seq
   (call %init_peer_id% ("" "load") ["clientId"] clientId)
   (par
    ${chain(['(call relayId ("op" "identity") [])', ...peerInfo('relayId')])}
    (par
     (fold knownPeers p
      (par
       ${chain(['(call p ("op" "identity") [])', ...peerInfo('p')])}
       (next p)))
     (seq
      (call relayId ("op" "identity") [])
      (seq
       (call relayId ("dht" "neighborhood") [clientId] neigh)
       (fold neigh n
        (par
         (seq
          (call n ("dht" "neighborhood") [clientId] moreNeigh)
          (fold moreNeigh mp
           (par
            ${chain(peerInfo('mp'))}
            (next mp))))
         (next n))))))))))`;
  const known = Array.from({ length: 7 }, (_, i) => `n${i}`);
  const knownIds = known.map(id);
  const client = id('client_id');
  const relay = id('relay_id');
  let allInfo = '';
  const clientService = (req) => {
    const args = req.arguments;
    if (!args.every((a) => typeof a === 'string')) {
      allInfo = JSON.stringify(args);
      return ok(null);
    }
    if (req.serviceId !== '' || req.functionName !== 'load' || args.length !== 1) return ok(null);
    return ok({ relayId: relay, knownPeers: knownIds, clientId: client }[args[0]] ?? null);
  };
  const peerService = (pid) => {
    const table = {
      'op.identity': `${pid}_ident`,
      'op.identify': `${pid}_ident`,
      'dist.get_blueprints': [0, 1, 2].map((i) => `${pid}_blueprint_${i}`),
      'dist.get_modules': [0, 1, 2].map((i) => `${pid}_module_${i}`),
      'srv.get_interfaces': [0, 1, 2].map((i) => `${pid}_interface_${i}`),
      'dht.neighborhood': knownIds,
    };
    return (req) => ok(table[`${req.serviceId}.${req.functionName}`] ?? null);
  };
  const p = (name) => params(client, name, PARTICLE_ID);
  const run = (name, service, prev, data) => callVm(script, prev, data, p(name), service);
  const runClient = (prev, data) => run('client_id', clientService, prev, data);
  const runRelay = (prev, data) => run('relay_id', peerService(relay), prev, data);
  const runKnown = (i, prev, data) => run(known[i], peerService(knownIds[i]), prev, data);
  const expectInfo = (pid) => {
    const want = JSON.stringify([
      pid,
      `${pid}_ident`,
      [0, 1, 2].map((i) => `${pid}_interface_${i}`),
      [0, 1, 2].map((i) => `${pid}_blueprint_${i}`),
      [0, 1, 2].map((i) => `${pid}_module_${i}`),
    ]);
    if (allInfo !== want) throw new Error(`dashboard: all_info ${allInfo}, expected ${want}`);
  };

  const client1 = await runClient(EMPTY, EMPTY);
  assertPeers(client1.nextPeerPks, [...known, 'relay_id'], 'dashboard client 1');
  const relay1 = await runRelay(client1.data, EMPTY);
  assertPeers(relay1.nextPeerPks, [...known, 'client_id'], 'dashboard relay 1');
  const client2 = await runClient(client1.data, relay1.data);
  assertPeers(client2.nextPeerPks, [], 'dashboard client 2');

  const prev = known.map(() => EMPTY);
  let relayData = relay1.data;
  let clientData = client2.data;
  // known peers get the client's data, answer through the relay
  for (let i = 0; i < known.length; i++) {
    const k = await runKnown(i, prev[i], client1.data);
    assertPeers(k.nextPeerPks, ['relay_id'], `dashboard ${known[i]} (1)`);
    prev[i] = k.data;
    const r = await runRelay(relayData, prev[i]);
    assertPeers(r.nextPeerPks, ['client_id'], 'dashboard relay 2');
    relayData = r.data;
    const c = await runClient(clientData, relayData);
    assertPeers(c.nextPeerPks, [], 'dashboard client 3');
    clientData = c.data;
    expectInfo(knownIds[i]);
  }
  // known peers get the relay's data
  for (let i = 0; i < known.length; i++) {
    const k = await runKnown(i, prev[i], relay1.data);
    assertPeers(k.nextPeerPks, known.filter((_, j) => j !== i).concat(['relay_id']), `dashboard ${known[i]} (2)`);
    prev[i] = k.data;
    const r = await runRelay(relayData, prev[i]);
    assertPeers(r.nextPeerPks, ['client_id'], 'dashboard relay 3');
    relayData = r.data;
    const c = await runClient(clientData, relayData);
    assertPeers(c.nextPeerPks, [], 'dashboard client 4');
    clientData = c.data;
    expectInfo(knownIds[i]);
  }
  // known peers exchange their data
  for (let i = 0; i < known.length - 1; i++) {
    for (let j = 0; j < known.length; j++) {
      if (i === j) continue;
      const k = await runKnown(j, prev[j], prev[i]);
      assertPeers(k.nextPeerPks, ['relay_id'], `dashboard ${known[j]} (3)`);
      prev[j] = k.data;
      const r = await runRelay(relayData, prev[j]);
      assertPeers(r.nextPeerPks, ['client_id'], 'dashboard relay 4');
      relayData = r.data;
      const c = await runClient(clientData, relayData);
      assertPeers(c.nextPeerPks, [], 'dashboard client 5');
      clientData = c.data;
      expectInfo(knownIds[j]);
    }
  }
  return {
    comment: 'big dashboard test',
    script,
    prev: prev[known.length - 1],
    cur: prev[0],
    particle: PARTICLE_ID,
    init: client,
    current: 'relay_id',
    callResults: [],
  };
}

/** long-data / big-values-data: a (null) run over a trace of executed scalar calls of one peer. */
async function traceData(comment, values) {
  const stmts = values.map((_, i) => `(call %init_peer_id% ("" "") [] v${i})`);
  const script = seqTree(stmts);
  let next = 0;
  const service = () => ok(values[next++]);
  const p = params(id('init_peer_id'), 'init_peer_id', 'particle_id');
  const r = await callVm(script, EMPTY, EMPTY, p, service);
  if (next !== values.length) throw new Error(`${comment}: ${next} of ${values.length} calls answered`);
  return {
    comment,
    script: '(null)',
    prev: EMPTY,
    cur: r.data,
    particle: 'particle_id',
    init: id('init_peer_id'),
    current: 'init_peer_id',
    callResults: [],
  };
}

/** The values of long-data: 1300 results, mostly empty strings, then service interface descriptions. */
function longDataValues() {
  const rnd = prng(1300);
  const word = (n) => Array.from({ length: n }, () => 'abcdefghijklmnopqrstuvwxyz_'[Math.floor(rnd() * 27)]).join('');
  const types = ['string', 'u64', 'u32', 'bool', 'i64', 'f64', '[]string', 'Record'];
  const iface = (target) => {
    const fs = [];
    const v = { function_signatures: fs, record_types: [] };
    while (JSON.stringify(v).length < target) {
      const args = Array.from({ length: Math.floor(rnd() * 4) }, () => [word(4 + Math.floor(rnd() * 10)), types[Math.floor(rnd() * types.length)]]);
      fs.push({ arguments: args, name: word(4 + Math.floor(rnd() * 12)), output_types: [types[Math.floor(rnd() * types.length)]] });
    }
    return v;
  };
  const out = [];
  // 1030 small results: empty strings with an empty object now and then
  for (let i = 0; i < 1030; i++) out.push([2, 4, 813, 816, 894, 1028].includes(i) ? {} : '');
  for (let i = 0; i < 3; i++) out.push({ name: 'temp', output: 'string', ok: true });
  out.push('a-service-identifier-string-of-fifty-two-characters!!');
  // 266 interface descriptions of 85 distinct sizes (100 B .. 2.6 KB), in runs, and one list
  const distinct = Array.from({ length: 85 }, (_, k) => iface(Math.round(100 * Math.pow(26, k / 84))));
  let left = 266;
  for (let k = 0; k < 85; k++) {
    const run = k === 84 ? left : Math.max(1, Math.min(left - (84 - k), Math.round(rnd() * 5)));
    for (let j = 0; j < run; j++) out.push(distinct[k]);
    left -= run;
    if (k === 42) out.push([word(300), word(300), word(300)]);
  }
  return out.slice(0, 1300);
}

/** The values of big-values-data: 10 lists of 242..806 service descriptions (about 1 MB in all). */
function bigValues() {
  const rnd = prng(806);
  const hex = (n) => Array.from({ length: n }, () => '0123456789abcdef'[Math.floor(rnd() * 16)]).join('');
  const b58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
  const peer = () => '12D3KooW' + Array.from({ length: 44 }, () => b58[Math.floor(rnd() * 58)]).join('');
  const blueprints = Array.from({ length: 6 }, () => hex(64));
  return [806, 698, 632, 566, 429, 716, 348, 242, 304, 289].map((n) =>
    Array.from({ length: n }, () => ({
      aliases: [],
      blueprint_id: blueprints[Math.floor(rnd() * blueprints.length)],
      id: `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`,
      owner_id: peer(),
    })),
  );
}

const SCENARIOS = {
  null: () => single('Empty data and null script', '(null)'),
  'network-explore': networkExplore,
  dashboard,
  'long-data': () => traceData('Long data trace', longDataValues()),
  'big-values-data': () => traceData('Loading a trace with huge values', bigValues()),
  'call-requests500': () => calls(500, false),
  'call-results500': () => calls(500, true),
  'parser-10000-100': parser10000,
  'parser-calls-10000-100': () => parserCalls(10000, 100),
  'multiple-cids10': () => multipleCids(10),
  'multiple-peers8': () => multiplePeers(8),
  'multiple-sigs30': () => multipleSigs(30),
  'canon-map-key-by-lens': () => canonMapKeyByLens(770),
  'canon-map-key-element-by-lens': () => canonMapKeyByLens(770, 769),
  'canon-map-multiple-keys': () => canonMapFill(1023, true, '#%canon'),
  'canon-map-single-key': () => canonMapFill(770, false, '#%canon'),
  'canon-map-scalar-multiple-keys': () => canonMapFill(1023, true, 'scalar'),
  'canon-map-scalar-single-key': () => canonMapFill(770, false, 'scalar'),
  'populate-map-multiple-keys': () => canonMapFill(1023, true, null, { populate: true }),
  'populate-map-single-key': () => canonMapFill(770, false, null, { populate: true }),
};
for (const kind of ['call-result', 'lense', 'map', 'canon-map', 'hybrid']) {
  for (const mb of [1, 5, 100]) SCENARIOS[`${kind}-${mb}mb`] = () => memScenario(kind, mb);
}

// ---------------------------------------------------------------- writing

async function generate(name, outDir) {
  const dir = path.join(outDir, name);
  if (existsSync(path.join(dir, 'meta.json'))) return false;
  const t0 = performance.now();
  await freshAvm();
  const s = await SCENARIOS[name]();
  const p = params(s.init, s.current, s.particle);
  // the benchmarked invocation, once, on a fresh instance: its outcome is what Cascade must match
  await freshAvm();
  const r = await invoke({ script: s.script, prevData: s.prev, data: s.cur, params: p, callResults: s.callResults });
  const callResults = s.callResults.map(([cid, res]) => [cid, { ret_code: res.retCode, result: res.result }]);
  const crBytes = D.encodeCallResults(s.callResults).length;
  const meta = {
    name,
    comment: s.comment,
    params: {
      init_peer_id: p.initPeerId,
      current_peer_id: p.currentPeerId,
      particle_id: p.particleId,
      timestamp: p.timestamp,
      ttl: p.ttl,
      secret_key_hex: Buffer.from(p.secretKey).toString('hex'),
    },
    call_results: callResults,
    sizes: {
      script: Buffer.byteLength(s.script),
      prev_data: s.prev.length,
      cur_data: s.cur.length,
      call_results: crBytes,
      input: Buffer.byteLength(s.script) + s.prev.length + s.cur.length + crBytes,
    },
    // the peer that produced cur_data: the codec measurement replays the script as that peer
    producer: s.producer
      ? { peer_id: id(s.producer), secret_key_hex: key(s.producer).seedHex }
      : null,
    expect: {
      ret_code: r.retCode,
      error_message: r.errorMessage,
      next_peer_pks: [...r.nextPeerPks].sort(),
      call_requests: r.callRequests.length,
      data_bytes: r.data.length,
    },
  };
  const tmp = `${dir}.tmp${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  writeFileSync(path.join(tmp, 'script.air'), s.script);
  writeFileSync(path.join(tmp, 'prev_data.bin'), s.prev);
  writeFileSync(path.join(tmp, 'cur_data.bin'), s.cur);
  writeFileSync(path.join(tmp, 'meta.json'), JSON.stringify(meta, null, 1) + '\n');
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  const ms = (performance.now() - t0).toFixed(0);
  console.error(`gen: ${name}: ${(meta.sizes.input / 1e6).toFixed(2)} MB of input, ret_code ${r.retCode}, ${ms} ms`);
  if (r.retCode !== 0) console.error(`gen: ${name}: WARNING: the real AVM returns ret_code ${r.retCode}: ${r.errorMessage}`);
  invoke = null;
  return true;
}

async function main() {
  const argv = process.argv.slice(2);
  if (argv[0] === '--list') {
    console.log(Object.keys(SCENARIOS).join('\n'));
    return;
  }
  if (argv[0] !== '--out' || argv.length < 2) {
    console.error('usage: node gen.mjs --out DIR NAME... | --list');
    process.exit(2);
  }
  const outDir = argv[1];
  const names = argv.slice(2).length ? argv.slice(2) : Object.keys(SCENARIOS);
  for (const n of names) if (!SCENARIOS[n]) throw new Error(`unknown scenario ${n}`);
  mkdirSync(outDir, { recursive: true });
  for (const n of names) await generate(n, outDir);
}

await main();
