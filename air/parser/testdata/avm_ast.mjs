// Prints AquaVM 0.62's own syntax tree (its "ast" export, serde JSON) for each AIR script
// read from stdin (a JSON array of strings): a JSON array of the texts it returns.
// ORACLE_DIR (default /work/shared/oracle) must hold an installed oracle.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const oracleDir = process.env.ORACLE_DIR || '/work/shared/oracle';
const oracle = await import(pathToFileURL(path.join(oracleDir, 'oracle.mjs')).href);

const scripts = JSON.parse(readFileSync(0, 'utf8'));
const out = [];
for (const s of scripts) out.push(await oracle.parseAst(s));
process.stdout.write(JSON.stringify(out), () => process.exit(0));
