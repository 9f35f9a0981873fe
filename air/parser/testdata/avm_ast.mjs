// Prints AquaVM 0.62's own syntax tree (its "ast" export, serde JSON) for each AIR script
// read from stdin (a JSON array of strings): a JSON array of the texts it returns.
// ORACLE_DIR (default: the oracle in the shared folder beside the repository) must hold an installed oracle.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const oracleDir = process.env.ORACLE_DIR || path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..', '..', 'shared', 'oracle');
const oracle = await import(pathToFileURL(path.join(oracleDir, 'oracle.mjs')).href);

const scripts = JSON.parse(readFileSync(0, 'utf8'));
const out = [];
for (const s of scripts) out.push(await oracle.parseAst(s));
process.stdout.write(JSON.stringify(out), () => process.exit(0));
