module github.com/cascadep2p/cascade

go 1.26.8
