module github.com/cascadep2p/cascade

go 1.26.8

require (
	github.com/klauspost/cpuid/v2 v2.0.12 // indirect
	github.com/mr-tron/base58 v1.3.0
	github.com/zeebo/blake3 v0.2.4
)
