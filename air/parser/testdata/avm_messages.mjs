// Prints, for each AIR script read from stdin (a JSON array of strings), what the real
// AquaVM 0.62 returns when asked to run it: {"ret_code": N, "error_message": "...",
// "call_args": [...]} (call_args: the arguments of the first call request, if any).
// Output: a JSON array in the same order. Uses the oracle's direct runner, so the
// ORACLE_DIR environment variable (default: the oracle in the shared folder beside the repository) must hold an installed oracle.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const oracleDir = process.env.ORACLE_DIR || path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..', '..', 'shared', 'oracle');
const direct = await import(pathToFileURL(path.join(oracleDir, 'direct.mjs')).href);

const scripts = JSON.parse(readFileSync(0, 'utf8'));
const avm = await direct.createDirectAvm();
const invoke = direct.makeDirectInvoke(avm);
const params = {
  initPeerId: '12D3KooWinit',
  currentPeerId: '12D3KooWinit',
  timestamp: 1700000000000,
  ttl: 120000,
  particleId: 'parser-test',
  secretKey: new Uint8Array(32).fill(7),
};
const out = [];
for (const s of scripts) {
  try {
    const r = await invoke({ script: s, prevData: new Uint8Array(0), data: new Uint8Array(0), params, callResults: [] });
    const first = r.callRequests.length ? r.callRequests[0][1].arguments : null;
    out.push({ ret_code: r.retCode, error_message: r.errorMessage, call_args: first });
  } catch (e) {
    out.push({ ret_code: -1, error_message: 'trap: ' + String(e && e.message) });
  }
}
process.stdout.write(JSON.stringify(out));
