// Shared helpers of the Node side of bench/air: locating the oracle folder (the real AquaVM,
// see ../shared/oracle/README.md) and reading the scenario files written by gen.mjs.

import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The oracle folder: $CASCADE_ORACLE_DIR, else ../shared/oracle next to the repository. */
export function oracleDir() {
  const dir = process.env.CASCADE_ORACLE_DIR || path.resolve(here, '..', '..', '..', 'shared', 'oracle');
  if (!existsSync(path.join(dir, 'direct.mjs'))) {
    throw new Error(`oracle folder not found at ${dir} (set CASCADE_ORACLE_DIR)`);
  }
  return dir;
}

/** Imports direct.mjs and oracle.mjs from the oracle folder. */
export async function loadOracle() {
  const dir = oracleDir();
  const direct = await import(pathToFileURL(path.join(dir, 'direct.mjs')).href);
  const oracle = await import(pathToFileURL(path.join(dir, 'oracle.mjs')).href);
  return { dir, direct, oracle };
}

/**
 * Reads one generated scenario: {name, dir, meta, script, prevData, curData, params, callResults}.
 * params has the shape direct.mjs and oracle.mjs take; callResults is [[id, {retCode, result}]].
 */
export function readScenario(dir) {
  const meta = JSON.parse(readFileSync(path.join(dir, 'meta.json'), 'utf8'));
  const script = readFileSync(path.join(dir, 'script.air'), 'utf8');
  const prevData = new Uint8Array(readFileSync(path.join(dir, 'prev_data.bin')));
  const curData = new Uint8Array(readFileSync(path.join(dir, 'cur_data.bin')));
  const p = meta.params;
  const params = {
    initPeerId: p.init_peer_id,
    currentPeerId: p.current_peer_id,
    timestamp: p.timestamp,
    ttl: p.ttl,
    particleId: p.particle_id,
    secretKey: Uint8Array.from(Buffer.from(p.secret_key_hex, 'hex')),
  };
  const callResults = meta.call_results.map(([id, r]) => [id, { retCode: r.ret_code, result: r.result }]);
  return { name: meta.name, dir, meta, script, prevData, curData, params, callResults };
}
