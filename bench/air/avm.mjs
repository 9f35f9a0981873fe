#!/usr/bin/env node
// AVM side of bench/air: times the real AquaVM (avm.wasm 0.62.0) on the scenarios gen.mjs wrote.
//
//   node --expose-gc avm.mjs --dir DIR [--quick] [--oracle-max BYTES] [--oracle-isolate BYTES]
//        [--codec NAME,NAME...] [--serve] NAME...
//
// With --serve, requests come from stdin, one per line, and each is answered when its line
// arrives, while the Go side waits; the Go side times Cascade between the requests, while
// this process waits, so that both sides of a ratio see the machine in the same state:
//   NAME             everything below for scenario NAME
//   direct NAME K N  round K of N (from 1) of the direct timing: the rounds share one
//                    instance, made in round 1; each has 1/N of the measurement budget, and
//                    round 1 the whole warm-up (the later ones a short one)
//   oracle NAME K N  round K of N of the oracle timing, with the same shares (inputs above
//                    --oracle-isolate: the one attempt in round 1, repeated in the others)
//   extra NAME       the codec timings of NAME
//
// For every scenario, one JSON line on stdout:
//   direct: the raw `invoke` export of a fresh createDirectAvm() instance (../shared/oracle,
//           "Direct runner"), call results encoded beforehand; warm-up, then the median of many
//           warm invocations; mem_bytes is the instance's Wasm memory high-water mark.
//   oracle: invokeAvm (marine-js, as the JS client runs it), same protocol; skipped (null) for
//           inputs above --oracle-max; {trap: message} when it traps. Inputs above
//           --oracle-isolate are tried once, in a child process, since marine-js needs several GB
//           of JS heap on them and may take the process down.
//   codec:  (scenarios named by --codec) the AVM's own cost of reading and writing the scenario's
//           current data X, see bench/README.md: runs of a script that fails to parse with
//           prev_data = X (decodes X, returns it untouched) and with no data, and the scenario's
//           script replayed by the peer that produced X with prev_data = X (decodes, replays,
//           re-encodes X).
// Progress goes to stderr.

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { loadOracle, readScenario } from './common.mjs';

const { direct: D, oracle: O } = await loadOracle();
const EMPTY = new Uint8Array(0);
const BAD_SCRIPT = '(seq'; // fails to parse, after the data has been parsed

function parseArgs(argv) {
  const a = { dir: null, quick: false, oracleMax: Infinity, oracleIsolate: 20e6, codec: new Set(), names: [], oracleChild: false };
  for (let i = 0; i < argv.length; i++) {
    const f = argv[i];
    if (f === '--dir') a.dir = argv[++i];
    else if (f === '--quick') a.quick = true;
    else if (f === '--oracle-max') a.oracleMax = Number(argv[++i]);
    else if (f === '--oracle-isolate') a.oracleIsolate = Number(argv[++i]);
    else if (f === '--codec') argv[++i].split(',').filter(Boolean).forEach((n) => a.codec.add(n));
    else if (f === '--oracle-child') a.oracleChild = true;
    else if (f === '--serve') a.serve = true;
    else if (f.startsWith('--')) throw new Error(`unknown flag ${f}`);
    else a.names.push(f);
  }
  if (!a.dir) throw new Error('--dir is required');
  return a;
}

const args = parseArgs(process.argv.slice(2));

// Warm-up and measurement budgets: a count range and a time budget (ms) each.
const CFG = args.quick
  ? { warmMin: 1, warmMax: 200, warmMs: 100, minReps: 5, maxReps: 400, measureMs: 150 }
  : { warmMin: 2, warmMax: 300, warmMs: 2000, minReps: 10, maxReps: 1000, measureMs: 3000 };
// marine-js moves every byte through JSON: far fewer calls fit in a budget
// (the first, untimed call is the first warm-up call)
const ORACLE_CFG = args.quick
  ? { warmMin: 0, warmMax: 50, warmMs: 100, minReps: 3, maxReps: 100, measureMs: 150 }
  : { warmMin: 1, warmMax: 100, warmMs: 1500, minReps: 5, maxReps: 300, measureMs: 2000 };
// the codec runs (four timings per scenario)
const CODEC_CFG = args.quick
  ? { warmMin: 1, warmMax: 50, warmMs: 50, minReps: 5, maxReps: 200, measureMs: 100 }
  : { warmMin: 2, warmMax: 100, warmMs: 500, minReps: 10, maxReps: 500, measureMs: 1000 };
// large inputs: fewer repetitions (each call takes up to seconds)
function budget(cfg, inputBytes) {
  if (inputBytes < 50e6) return cfg;
  return { ...cfg, warmMin: 1, warmMax: 1, minReps: 3, maxReps: 3 };
}

function stats(ts) {
  ts.sort((x, y) => x - y);
  const n = ts.length;
  const median = n % 2 ? ts[n >> 1] : (ts[n / 2 - 1] + ts[n / 2]) / 2;
  return { median_ms: median, min_ms: ts[0], reps: n };
}

function timeSync(fn, cfg) {
  let warm = 0;
  const t0 = performance.now();
  while (warm < cfg.warmMin || (warm < cfg.warmMax && performance.now() - t0 < cfg.warmMs)) {
    fn();
    warm++;
  }
  const ts = [];
  const t1 = performance.now();
  while (ts.length < cfg.minReps || (ts.length < cfg.maxReps && performance.now() - t1 < cfg.measureMs)) {
    const a = performance.now();
    fn();
    ts.push(performance.now() - a);
  }
  return { ...stats(ts), warm };
}

async function timeAsync(fn, cfg) {
  let warm = 0;
  const t0 = performance.now();
  while (warm < cfg.warmMin || (warm < cfg.warmMax && performance.now() - t0 < cfg.warmMs)) {
    await fn();
    warm++;
  }
  const ts = [];
  const t1 = performance.now();
  while (ts.length < cfg.minReps || (ts.length < cfg.maxReps && performance.now() - t1 < cfg.measureMs)) {
    const a = performance.now();
    await fn();
    ts.push(performance.now() - a);
  }
  return { ...stats(ts), warm };
}

const gc = () => globalThis.gc && globalThis.gc();

/** The share of a budget for round k of n (from 1): 1/n of the measurement, and for the
 * rounds after the first a short warm-up. */
function roundBudget(cfg, k, n) {
  if (n <= 1) return cfg;
  const r = { ...cfg, minReps: Math.ceil(cfg.minReps / n), maxReps: Math.ceil(cfg.maxReps / n), measureMs: cfg.measureMs / n };
  if (k > 1) Object.assign(r, { warmMin: Math.min(cfg.warmMin, 1), warmMax: Math.ceil(cfg.warmMax / 10), warmMs: cfg.warmMs / 10 });
  return r;
}

/** Makes the direct runner's instance for a scenario, and its first, untimed outcome. */
async function newDirect(s) {
  const avm = await D.createDirectAvm();
  const cr = D.encodeCallResults(s.callResults);
  // the first call, untimed, through the decoding wrapper: the outcome to compare
  const first = await D.makeDirectInvoke(avm)({ script: s.script, prevData: s.prevData, data: s.curData, params: s.params, callResults: s.callResults });
  return { s, avm, cr, first };
}

async function runDirect(s, k = 1, n = 1, inst = null) {
  const { avm, cr, first } = inst || (await newDirect(s));
  let bad = null;
  const t = timeSync(() => {
    const r = avm.invoke(s.script, s.prevData, s.curData, s.params, cr);
    if (r.retCode !== first.retCode) bad = r;
  }, roundBudget(budget(CFG, s.meta.sizes.input), k, n));
  if (bad) throw new Error(`${s.name}: direct: ret_code changed from ${first.retCode} to ${bad.retCode}`);
  return {
    ...t,
    ret_code: first.retCode,
    error_message: first.errorMessage,
    next_peer_pks: [...first.nextPeerPks].sort(),
    call_requests: first.callRequests.length,
    data_bytes: first.data.length,
    mem_bytes: avm.memoryBytes(),
  };
}

async function runOracle(s, k = 1, n = 1) {
  const call = () => O.invokeAvm({ script: s.script, prevData: s.prevData, data: s.curData, params: s.params, callResults: s.callResults });
  let first;
  try {
    first = await call();
  } catch (e) {
    return { trap: String(e && e.message ? e.message : e).slice(0, 200) };
  }
  try {
    const t = await timeAsync(call, roundBudget(budget(ORACLE_CFG, s.meta.sizes.input), k, n));
    return { ...t, ret_code: first.retCode };
  } catch (e) {
    return { trap: String(e && e.message ? e.message : e).slice(0, 200) };
  }
}

/** The oracle on a huge input: one attempt in a child process (it needs GBs and may crash). */
function runOracleIsolated(s) {
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, ['--max-old-space-size=16384', self, '--dir', args.dir, '--oracle-child', s.name], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    timeout: 15 * 60 * 1000,
  });
  const line = (r.stdout || '').trim().split('\n').pop();
  if (r.status === 0 && line) return JSON.parse(line);
  return { trap: `child process failed (status ${r.status}, signal ${r.signal}): ${(r.stderr || '').trim().split('\n').pop() || ''}`.slice(0, 200) };
}

/** One attempt only (huge inputs): time a single call. */
async function runOracleOnce(s) {
  const t = performance.now();
  try {
    const r = await O.invokeAvm({ script: s.script, prevData: s.prevData, data: s.curData, params: s.params, callResults: s.callResults });
    const ms = performance.now() - t;
    return { median_ms: ms, min_ms: ms, reps: 1, warm: 0, ret_code: r.retCode };
  } catch (e) {
    return { trap: String(e && e.message ? e.message : e).slice(0, 200) };
  }
}

/** The AVM's cost of decoding and encoding the scenario's current data X (see the header). */
async function runCodec(s) {
  const X = s.curData;
  const prod = s.meta.producer;
  if (!prod || X.length === 0) return null;
  const avm = await D.createDirectAvm();
  const cr = D.encodeCallResults([]);
  const pp = { ...s.params, currentPeerId: prod.peer_id, secretKey: Uint8Array.from(Buffer.from(prod.secret_key_hex, 'hex')) };
  // huge inputs: 5 timed runs rather than 3, the results are differences of timings
  const cfg = X.length * 2 < 50e6 ? CODEC_CFG : { ...CODEC_CFG, warmMin: 1, warmMax: 1, minReps: 5, maxReps: 5 };
  const check = (what, r, retCode, sameBytes) => {
    if (r.retCode !== retCode) throw new Error(`${s.name}: codec ${what}: ret_code ${r.retCode}: ${r.errorMessage.slice(0, 200)}`);
    if (sameBytes && Buffer.compare(Buffer.from(r.data), Buffer.from(X)) !== 0) throw new Error(`${s.name}: codec ${what}: data not returned unchanged`);
    return r;
  };
  check('bad script', avm.invoke(BAD_SCRIPT, X, EMPTY, pp, cr), 1, true);
  const replayOut = check('replay', avm.invoke(s.script, X, EMPTY, pp, cr), 0, false);
  const badEmpty = timeSync(() => avm.invoke(BAD_SCRIPT, EMPTY, EMPTY, pp, cr), CODEC_CFG);
  const badPrev = timeSync(() => avm.invoke(BAD_SCRIPT, X, EMPTY, pp, cr), cfg);
  const replay = timeSync(() => avm.invoke(s.script, X, EMPTY, pp, cr), cfg);
  // the two copies of X the runner itself makes (into Wasm memory, and the result back out)
  const buf = new Uint8Array(X.length);
  const copy = timeSync(() => {
    buf.set(X);
    buf.slice();
  }, cfg);
  // (a difference at or below zero, possible on a busy machine, is reported as null)
  const pos = (x) => (x > 0 ? x : null);
  const decode = pos(badPrev.median_ms - badEmpty.median_ms - copy.median_ms);
  const encode = pos(replay.median_ms - badPrev.median_ms);
  return {
    bytes: X.length,
    out_bytes: replayOut.data.length,
    bad_empty_ms: badEmpty.median_ms,
    bad_prev_ms: badPrev.median_ms,
    replay_ms: replay.median_ms,
    copy_ms: copy.median_ms,
    decode_ms: decode,
    encode_ms: encode,
    mem_bytes: avm.memoryBytes(),
  };
}

async function main() {
  if (args.oracleChild) {
    const s = readScenario(path.join(args.dir, args.names[0]));
    console.log(JSON.stringify(await runOracleOnce(s)));
    return;
  }
  if (args.serve) {
    let inst = null; // the direct instance of the scenario in rounds
    let isolated = null; // the one oracle attempt on a huge input
    for await (const line of readline.createInterface({ input: process.stdin })) {
      const w = line.trim().split(/\s+/);
      if (w[0] === 'direct' && w.length === 4) {
        const [name, k, n] = [w[1], Number(w[2]), Number(w[3])];
        if (k === 1 || !inst || inst.s.name !== name) {
          inst = null;
          gc();
          inst = await newDirect(readScenario(path.join(args.dir, name)));
        }
        const direct = await runDirect(inst.s, k, n, inst);
        if (k === n) inst = null;
        // Leave no collection work behind for the CPU that Cascade and the oracle are timed
        // on next (the oracle's round follows Cascade's without another collection).
        gc();
        console.error(`avm: ${name}: direct round ${k}/${n} ${direct.median_ms.toFixed(3)} ms (${direct.reps} reps)`);
        console.log(JSON.stringify({ name, direct }));
      } else if (w[0] === 'oracle' && w.length === 4) {
        const [name, k, n] = [w[1], Number(w[2]), Number(w[3])];
        const s = readScenario(path.join(args.dir, name));
        const input = s.meta.sizes.input;
        let oracle;
        if (input > args.oracleMax) oracle = null;
        else if (input > args.oracleIsolate) {
          if (k === 1 || !isolated || isolated.name !== name) isolated = { name, oracle: runOracleIsolated(s) };
          oracle = isolated.oracle;
        } else oracle = await runOracle(s, k, n);
        const o = oracle;
        gc();
        console.error(`avm: ${name}: oracle round ${k}/${n} ${o === null ? '-' : o.trap ? 'trap' : o.median_ms.toFixed(3) + ' ms'}`);
        console.log(JSON.stringify({ name, oracle }));
      } else if (w[0] === 'extra' && w.length === 2) {
        inst = null;
        await measure(w[1], false);
      } else if (w.length === 1 && w[0]) {
        await measure(w[0]);
      } else if (w[0]) {
        throw new Error(`unknown request: ${line}`);
      }
    }
    return;
  }
  for (const name of args.names) await measure(name);
}

/** Measures one scenario (only its codec timings if all is false) and prints its JSON
 * line. */
async function measure(name, all = true) {
  gc();
  const s = readScenario(path.join(args.dir, name));
  const out = { name };
  const t0 = performance.now();
  if (all) {
    out.direct = await runDirect(s);
    gc();
    const input = s.meta.sizes.input;
    if (input > args.oracleMax) out.oracle = null;
    else if (input > args.oracleIsolate) out.oracle = runOracleIsolated(s);
    else out.oracle = await runOracle(s);
    gc();
  }
  if (args.codec.has(name)) out.codec = await runCodec(s);
  const o = out.oracle;
  console.error(
    `avm: ${name}: ` +
      (all ? `direct ${out.direct.median_ms.toFixed(3)} ms (${out.direct.reps} reps), ` : '') +
      (all ? `oracle ${o === null ? '-' : o.trap ? 'trap' : o.median_ms.toFixed(3) + ' ms'}` : 'codec') +
      (out.codec ? `, codec decode ${out.codec.decode_ms?.toFixed(2)} ms encode ${out.codec.encode_ms?.toFixed(2)} ms` : '') +
      ` [${((performance.now() - t0) / 1000).toFixed(1)} s]`,
  );
  console.log(JSON.stringify(out));
}

await main();
