# newsfind: the front door. `make run` to search the seed articles in a
# browser (it stays in the foreground: Ctrl-C stops it), `make test` to run
# every test.
GO       ?= go
ARTICLES ?= seeds
INDEX    ?= data/index
ADDR     ?= 127.0.0.1:8080

.PHONY: run build index test fuzz bench bench-index bench-query bench-build bench-fresh soak eval lint clean

run: build $(INDEX)/CURRENT
	bin/searchd -index $(INDEX) -addr $(ADDR)

# The two product binaries only; the measurement tools are bench-build's.
build:
	$(GO) build -o bin/ ./cmd/indexer ./cmd/searchd

# Rebuild the index when it is missing or older than any article file.
$(INDEX)/CURRENT: $(shell find $(ARTICLES) -type f 2>/dev/null) | build
	bin/indexer -articles $(ARTICLES) -index $(INDEX)

index: build
	bin/indexer -articles $(ARTICLES) -index $(INDEX)

# The measurement code is its own module, bench/ (cgo: SQLite FTS5 needs
# gcc); its tests back the published comparisons, so they run here too, with
# FTS5 compiled in. The engine package's tests build dozens of real
# indexes: under the race detector they take most of go test's default
# 10 minutes a package on a loaded 2-core machine, so the limit is 30.
test:
	@echo "make test: vet, then every test with the race detector (about 7 minutes on 2 cores with nothing cached), then the bench module's"
	@[ -n "$$CHROME_PATH" ] || command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || command -v google-chrome >/dev/null 2>&1 || \
		echo "make test: no Chromium found: the browser test (internal/server/browser_test.go) will be skipped; on Debian: apt-get install chromium"
	$(GO) vet ./...
	$(GO) test -race -count=1 -timeout 30m ./...
	$(MAKE) fuzz
	cd bench && $(GO) vet -tags sqlite_fts5 ./...
	scripts/check-imports
	cd bench && $(GO) test -race -count=1 -timeout 30m -tags sqlite_fts5 ./...

# The HTTP API's fuzz targets, each for a fixed number of inputs (go test
# alone runs only their seeds): whatever a client sends to /api/search,
# /api/suggest or the ingest API, never a 500, and the index's work ends by
# the request's deadline. The first run compiles the package with fuzzing
# instrumentation (a minute or more); later runs reuse it. The budget is a
# count, not a duration: with a duration, Go 1.26's fuzz coordinator can
# report its own deadline as a failure ("context deadline exceeded", no
# crasher; golang/go#75804, fixed in Go 1.27), which failed CI once.
# The ingest target publishes a generation per accepted input into one
# growing index, so it runs fewer inputs.
FUZZ_SEARCHES ?= 10000x
FUZZ_INGESTS ?= 2000x
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzSearchQuery$$' -fuzztime $(FUZZ_SEARCHES) -fuzzminimizetime 100x ./internal/server/
	$(GO) test -run '^$$' -fuzz '^FuzzIngest$$' -fuzztime $(FUZZ_INGESTS) -fuzzminimizetime 100x ./internal/server/

# Benchmarks (bench/cmd/bench): newsfind against SQLite FTS5 on the same files
# in the same run, on seeds/, the BBC corpus (where $(BBC) exists),
# $(BENCH_CORPUS) when set, and generated news of 10,000 and 100,000 articles
# (BENCH_1M=1 adds 1,000,000), made once under data/bench/corpora. Tables on
# stdout, raw figures in data/bench/<time>.json; BENCH_FLAGS=-h lists the
# knobs. bench-build builds bin/bench from the module bench/ and it runs from
# here, so its paths (seeds, bin/, data/bench, $(BBC)) are the repository's.
#   bench        indexing, in-process search, searchd over HTTP with its
#                result cache off (cache=false) then on (~6 min on 2 cores;
#                the first run also generates the corpora, ~25 s)
#   bench-index  indexing only (~2.5 min); keeps the indexes for bench-query
#   bench-query  searching only (~3.5 min), on the kept indexes when the
#                binaries and corpora are unchanged (else it indexes first)
#   bench-fresh  the cost of freshness: adding 1 and 100 articles against a
#                rebuild, and searches while new generations are swapped in,
#                on BBC and the generated 100,000 (~6 min)
BBC         ?= ../shared/corpora/bbc
comma       := ,
BENCH_SIZES ?= 10000,100000$(if $(BENCH_1M),$(comma)1000000)
BENCH        = bin/bench -corpus seeds $(if $(wildcard $(BBC)),-corpus $(BBC)) \
	$(if $(BENCH_CORPUS),-corpus $(BENCH_CORPUS)) -synth $(BENCH_SIZES) -train seeds,$(BBC) $(BENCH_FLAGS)

bench: bench-build
	$(BENCH) -keep
	$(MAKE) bench-fresh

bench-index: bench-build
	$(BENCH) -phases index -keep

bench-query: bench-build
	$(BENCH) -phases queries,http -reuse

FRESH_CORPUS ?= data/bench/corpora/100000
bench-fresh:
	NEWSFIND_BBC=$(abspath $(BBC)) $(if $(wildcard $(FRESH_CORPUS)),NEWSFIND_BENCH_CORPUS=$(abspath $(FRESH_CORPUS))) \
		$(GO) test -run '^$$' -bench Freshness -benchtime 1x -timeout 60m ./internal/index/

# A bounded soak (not part of test or bench): searchd on a copy of
# $(SOAK_CORPUS) (the BBC corpus where it exists, else seeds) for 10 minutes
# on loopback, 20 searches/s open loop mixed with an article added every 5 s,
# one deleted every 10 s and one full rebuild half-way; a row a minute of
# errors (must be 0: it fails otherwise), p99 and searchd's RSS; raw figures
# in data/soak-<time>.json. SOAK_FLAGS=-h lists the knobs.
SOAK_CORPUS ?= $(if $(wildcard $(BBC)),$(BBC),seeds)
soak: bench-build
	bin/bench -soak 10m -corpus $(SOAK_CORPUS) -out data $(SOAK_FLAGS)

# bin/bench, bin/eval and the FTS5 peer's indexer bin/ftsindex, from the
# module bench/; they need SQLite built with FTS5 (cgo, gcc).
bench-build: build
	cd bench && $(GO) build -tags sqlite_fts5 -o $(CURDIR)/bin/ ./cmd/...

# Ranking quality on the CISI test collection, against SQLite FTS5 and stock
# bleve in the same run (skips where ../shared/corpora/cisi is absent).
eval:
	@mkdir -p data
	cd bench && $(GO) build -tags sqlite_fts5 -o $(CURDIR)/bin/ ./cmd/eval
	bin/eval -cisi $(or $(NEWSFIND_CISI),../shared/corpora/cisi) -json data/eval.json

# gofmt walks bench/ too; vet runs per module.
lint:
	gofmt -l . | tee /dev/stderr | (! read -r _)
	$(GO) vet ./...
	cd bench && $(GO) vet -tags sqlite_fts5 ./...
	scripts/check-imports

clean:
	rm -rf bin data
