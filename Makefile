# newsfind: the front door. `make run` to search the seed articles in a
# browser, `make test` to run every test.
GO       ?= go
ARTICLES ?= seeds
INDEX    ?= data/index
ADDR     ?= 127.0.0.1:8080

.PHONY: run build index test bench eval lint clean

run: build $(INDEX)/CURRENT
	bin/searchd -index $(INDEX) -addr $(ADDR)

build:
	$(GO) build -o bin/ ./cmd/...

# Rebuild the index when it is missing or older than any article file.
$(INDEX)/CURRENT: $(shell find $(ARTICLES) -type f 2>/dev/null) | build
	bin/indexer -articles $(ARTICLES) -index $(INDEX)

index: build
	bin/indexer -articles $(ARTICLES) -index $(INDEX)

test:
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...

# Indexing throughput and query latency (loopback HTTP) on seeds/, and on
# $(BENCH_CORPUS) when set, e.g. BENCH_CORPUS=../shared/corpora/bbc.
# Raw figures go to data/bench/<time>.json; BENCH_FLAGS=-h lists the knobs.
bench: build
	$(GO) run ./cmd/bench -corpus seeds $(if $(BENCH_CORPUS),-corpus $(BENCH_CORPUS)) $(BENCH_FLAGS)

# Ranking quality on the CISI test collection, against SQLite FTS5 and stock
# bleve in the same run (skips where ../shared/corpora/cisi is absent).
eval:
	@mkdir -p data
	$(GO) run -tags sqlite_fts5 ./cmd/eval -cisi $(or $(NEWSFIND_CISI),../shared/corpora/cisi) -json data/eval.json

lint:
	gofmt -l . | tee /dev/stderr | (! read)
	$(GO) vet ./...

clean:
	rm -rf bin data
