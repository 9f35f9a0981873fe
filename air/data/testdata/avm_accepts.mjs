// Feeds interpreter data encoded by Cascade to the real AquaVM (through the shared oracle)
// and prints what the AVM makes of it, for TestRealAVMAcceptsOurBytes to compare with the
// recorded corpus.
//
// usage: node avm_accepts.mjs BLOBS.json [PROBES.json]
//   BLOBS.json: {"CASE": {"INDEX": "<base64 of our encoding of that invocation's data>"}}
//   PROBES.json: {"NAME": "<base64 of arbitrary data bytes>"}
//
// Output, one JSON object per line:
//   {"kind":"human","name":"CASE/INDEX","view":<to_human_readable_data of our bytes>,"text":<its raw text>}
//   {"kind":"invoke","name":"CASE/INDEX","ret_code":…,"error_message":…,"next_peer_pks":[…],
//    "call_requests":[…],"data":<to_human_readable_data of the returned data>}
// where the invoke line replays recorded invocation INDEX of CASE with our bytes in place of
// both its prev_data and its current data (whichever of them were non-empty), and
//   {"kind":"probe","name":"NAME","text":…,"ret_code":…,"error_message":…}
// for each probe: to_human_readable_data's text for the bytes, and the outcome of
// invocation 0 of case ap_literal_and_use run with the bytes as prev_data.

import { readFileSync } from 'node:fs';

const shared = new URL('../../../../shared/', import.meta.url);
const { invokeAvm, humanReadableData, getAvm, peerKey, DEFAULTS } = await import(new URL('oracle/oracle.mjs', shared));

const { defaultCallParameters } = await import(new URL('oracle/node_modules/@fluencelabs/marine-js/dist/types.js', shared));

// to_human_readable_data's own text (humanReadableData parses it)
async function humanText(bytes) {
  const avm = await getAvm();
  return avm.call('to_human_readable_data', [Array.from(bytes)], defaultCallParameters);
}

const ours = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const fromB64 = (s) => (s ? Uint8Array.from(Buffer.from(s, 'base64')) : new Uint8Array());

function print(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

for (const [name, blobs] of Object.entries(ours)) {
  const caseIn = JSON.parse(readFileSync(new URL(`conformance/cases/${name}.json`, shared), 'utf8'));
  const rec = JSON.parse(readFileSync(new URL(`conformance/cases/${name}.expected.json`, shared), 'utf8'));
  const seeds = caseIn.peer_seeds || {};
  const keys = {};
  for (const p of caseIn.peers) keys[p] = peerKey(p, seeds[p]);
  const byId = {};
  for (const [p, k] of Object.entries(keys)) byId[k.peerId] = p;
  const particle = { ...DEFAULTS, ...(rec.particle || {}) };

  for (const [idx, b64] of Object.entries(blobs)) {
    const text = await humanText(fromB64(b64));
    let view;
    try {
      view = JSON.parse(text);
    } catch {
      view = { decode_error: text };
    }
    print({ kind: 'human', name: `${name}/${idx}`, view, text });
  }

  // Replay: which earlier invocation produced each invocation's prev_data and data.
  // Deliveries are FIFO per (sender, receiver) pair, like the oracle's single queue.
  const lastOf = {}; // peer -> index of its latest invocation
  const inFlight = {}; // "from>to" -> [producing invocation index]
  for (const inv of rec.invocations) {
    const prevIdx = lastOf[inv.peer];
    let srcIdx;
    if (inv.input.kind === 'particle') srcIdx = inFlight[`${inv.input.from}>${inv.peer}`].shift();
    lastOf[inv.peer] = inv.index;
    for (const pk of inv.next_peer_pks) {
      const to = byId[pk];
      if (!to) continue;
      (inFlight[`${inv.peer}>${to}`] ||= []).push(inv.index);
    }
    const prevOurs = prevIdx !== undefined ? blobs[prevIdx] : undefined;
    const dataOurs = srcIdx !== undefined ? blobs[srcIdx] : undefined;
    if (!prevOurs && !dataOurs) continue;
    const recorded = (i) => (i === undefined ? new Uint8Array() : fromB64(rec.invocations[i].data_b64));
    const callResults = (inv.input.call_results || []).map((r) => [
      r.id,
      { retCode: r.ret_code, result: JSON.stringify(r.result) },
    ]);
    const res = await invokeAvm({
      script: rec.script_resolved,
      prevData: prevOurs ? fromB64(prevOurs) : recorded(prevIdx),
      data: dataOurs ? fromB64(dataOurs) : recorded(srcIdx),
      params: {
        initPeerId: keys[rec.init_peer].peerId,
        currentPeerId: keys[inv.peer].peerId,
        timestamp: particle.timestamp,
        ttl: particle.ttl,
        particleId: particle.id || particle.particle_id,
        secretKey: keys[inv.peer].seed,
      },
      callResults,
    });
    print({
      kind: 'invoke',
      name: `${name}/${inv.index}`,
      ret_code: res.retCode,
      error_message: res.errorMessage,
      next_peer_pks: [...res.nextPeerPks].sort(),
      call_requests: res.callRequests
        .map(([id, r]) => ({ id: Number(id), service: r.serviceId, function: r.functionName, args: r.arguments, tetraplets: r.tetraplets }))
        .sort((a, b) => a.id - b.id),
      data: await humanReadableData(res.data),
    });
  }
}

if (process.argv[3]) {
  const probes = JSON.parse(readFileSync(process.argv[3], 'utf8'));
  const rec = JSON.parse(readFileSync(new URL('conformance/cases/ap_literal_and_use.expected.json', shared), 'utf8'));
  const a = peerKey(rec.init_peer);
  for (const [name, b64] of Object.entries(probes)) {
    const bytes = fromB64(b64);
    const text = bytes.length ? await humanText(bytes) : '';
    const res = await invokeAvm({
      script: rec.script_resolved,
      prevData: bytes,
      data: new Uint8Array(),
      params: {
        initPeerId: a.peerId,
        currentPeerId: a.peerId,
        timestamp: rec.particle.timestamp,
        ttl: rec.particle.ttl,
        particleId: rec.particle.id,
        secretKey: a.seed,
      },
      callResults: [],
    });
    print({ kind: 'probe', name, text, ret_code: res.retCode, error_message: res.errorMessage });
  }
}
