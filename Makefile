# Ardoise: `make run` starts everything on the embedded defaults; `make test` runs the whole suite under -race.
GO ?= go
BIN := bin/ardoise

.PHONY: run test build bench vet fmt

run:
	$(GO) run ./cmd/ardoise all

build:
	$(GO) build -o $(BIN) ./cmd/ardoise

vet:
	$(GO) vet ./...

fmt:
	gofmt -l -w $$(git ls-files '*.go')

# The suite runs against the embedded FerretDB and miniredis, and also against
# FerretDB over PostgreSQL and a real Redis when ARDOISE_TEST_POSTGRES_URL and
# ARDOISE_TEST_REDIS_URL are set (.ci/run sets them). Browser tests need Chromium.
# Every package runs under the race detector (it needs cgo and a C compiler).
test: vet
	$(GO) test -race -count=1 -timeout 30m ./...

# Benchmarks: figures recorded in docs/benchmarks.md.
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...
