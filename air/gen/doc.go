// Package gen generates random AIR scenario cases for differential testing.
//
// A case has the schema of the conformance corpus (../shared/conformance/cases, described
// in ../shared/oracle/README.md): peers, an init peer, an AIR script with "{{peer}}"
// placeholders, canned service answers and a bound on the number of invocations. The same
// case runs on the real AquaVM (the oracle) and on Cascade (`cascade conformance`), and
// the two recorded outcomes are compared.
//
// Generation is deterministic: case number i of seed s is always the same (each case has
// its own PCG stream seeded with (s, i)), so a failing case is reproduced from its name.
//
// [Valid] builds programs that pass AquaVM's parser and validator (§2.1 of the AIR spec):
// every scalar is defined textually before it is used, fold iterators are used only inside
// their fold, `next` is the last instruction of a stream fold body, `fail` never has code 0,
// and so on. They draw on the whole language: local and remote calls (peers named by
// placeholders, %init_peer_id%, scalars and fold iterators), ap to scalars, streams and
// stream maps, seq/par/xor, new, fold over arrays, streams, stream maps, canons and canon
// maps with next and a last instruction, match/mismatch, null/never, every fail form,
// the three canon forms, :error: and %last_error% with lambdas, %timestamp%/%ttl% and
// comments. Some constructs are kept out on purpose because avm 0.62 misbehaves on them;
// the generator's comments say which and why.
//
// [Malformed] takes a valid program and breaks it (a dropped or doubled parenthesis,
// swapped tokens, a bad number, an unclosed quote, an undefined variable, next outside a
// fold, fail 0, forms the grammar rejects...). Such cases are compared on the return code
// and the line and column of the error, not on the text of the parser's message.
//
// [Shrink] proposes smaller variants of a script, for reducing a failing case.
package gen
