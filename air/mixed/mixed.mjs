// Mixed-network driver: runs conformance cases with some peers on the real AquaVM and the
// others on Cascade (`cascade invoke`), passing the raw data bytes between them.
//
//   node mixed.mjs ORACLE_DIR CASCADE_BIN OUT_DIR CASE.json...
//
// For each case it writes OUT_DIR/NAME.even.json (peers at even positions on the AVM, odd
// ones on Cascade) and OUT_DIR/NAME.odd.json (the other way round), in the oracle's output
// schema, for comparison with the all-AVM NAME.expected.json.

import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { pathToFileURL } from 'node:url';

const [oracleDir, cascadeBin, outDir, ...cases] = process.argv.slice(2);
const { runCase, peerKey } = await import(pathToFileURL(path.join(oracleDir, 'oracle.mjs')));
const { createDirectAvm, makeDirectInvoke } = await import(pathToFileURL(path.join(oracleDir, 'direct.mjs')));
const avmInvoke = makeDirectInvoke(await createDirectAvm());

// One long-lived `cascade invoke` process; requests and answers are JSON lines, in order.
const child = spawn(cascadeBin, ['invoke'], { stdio: ['pipe', 'pipe', 'inherit'] });
const pending = [];
readline.createInterface({ input: child.stdout }).on('line', (line) => pending.shift()(JSON.parse(line)));
function cascadeInvoke({ script, prevData, data, params, callResults }) {
  const req = {
    script,
    prev_data: Buffer.from(prevData).toString('base64'),
    data: Buffer.from(data).toString('base64'),
    params: {
      init_peer_id: params.initPeerId,
      current_peer_id: params.currentPeerId,
      timestamp: params.timestamp,
      ttl: params.ttl,
      key_format: 0,
      secret_key: Buffer.from(params.secretKey).toString('base64'),
      particle_id: params.particleId,
      air_size_limit: 4294967296,
      particle_size_limit: 4294967296,
      call_result_size_limit: 4294967296,
    },
    call_results: callResults.map(([id, r]) => [Number(id), { ret_code: r.retCode, result: r.result }]),
  };
  return new Promise((resolve, reject) => {
    pending.push((ans) => {
      if (ans.error) return reject(new Error(ans.error));
      resolve({
        retCode: ans.ret_code,
        errorMessage: ans.error_message,
        data: Uint8Array.from(Buffer.from(ans.data, 'base64')),
        nextPeerPks: ans.next_peer_pks,
        callRequests: ans.call_requests.map(([id, q]) => [String(id), {
          serviceId: q.service_id, functionName: q.function_name, arguments: q.arguments, tetraplets: q.tetraplets,
        }]),
      });
    });
    child.stdin.write(JSON.stringify(req) + '\n');
  });
}

for (const file of cases) {
  const c = JSON.parse(readFileSync(file, 'utf8'));
  const ids = c.peers.map((n) => peerKey(n, (c.peer_seeds || {})[n]).peerId);
  for (const [label, avmParity] of [['even', 0], ['odd', 1]]) {
    const invoke = (args) => (ids.indexOf(args.params.currentPeerId) % 2 === avmParity ? avmInvoke(args) : cascadeInvoke(args));
    const result = await runCase(c, { invoke });
    writeFileSync(path.join(outDir, `${path.basename(file, '.json')}.${label}.json`), JSON.stringify(result));
  }
}
child.stdin.end();
