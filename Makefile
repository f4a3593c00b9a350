# GP Kiosk. `make run` and `make test` work on a fresh Debian machine: the
# deps step installs what Fyne's cgo build and the tests need.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
GO ?= go
# Fyne logs an error under the C locale.
export LANG := en_GB.UTF-8

# gcc/pkg-config and the GL and X11 headers for Fyne's cgo build; Xvfb,
# xdotool and ImageMagick's `import` for the window smoke test; CUPS with
# the cups-pdf printer, poppler (pdftoppm, pdftotext) and zbar for printing
# the registration letter and scanning its QR code back; espeak-ng and
# alsa-utils (aplay) for reading screens aloud, and sox for the tests that
# measure what espeak-ng says (docs/read-aloud.md); tesseract with the
# kiosk's languages for reading raster receipt slips back (ui/receipt).
DEB_PACKAGES := gcc pkg-config libc6-dev libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev \
	libxinerama-dev libxi-dev libxxf86vm-dev xvfb xauth xdotool imagemagick \
	cups cups-client printer-driver-cups-pdf poppler-utils zbar-tools \
	espeak-ng alsa-utils sox \
	tesseract-ocr tesseract-ocr-cym tesseract-ocr-pol tesseract-ocr-ron tesseract-ocr-por \
	tesseract-ocr-pan tesseract-ocr-ben tesseract-ocr-urd tesseract-ocr-ara

# Built programs and the demo database live outside the source tree.
STATE_DIR ?= $(HOME)/.local/share/gpkiosk
BIN_DIR ?= $(HOME)/.cache/gpkiosk/bin
PORT ?= 8400
DEMO_DB ?= $(STATE_DIR)/demo-practice.db
KIOSK_DIR ?= $(STATE_DIR)/demo-kiosk
STAFF_DIR ?= $(STATE_DIR)/demo-desktop
# The demo server's own self-signed certificate and key (made on its first
# start); demo devices pin it when they enrol.
TLS_DIR ?= $(STATE_DIR)/demo-tls
DEMO_URL := https://127.0.0.1:$(PORT)
FULLSCREEN ?= false
FUZZTIME ?= 10s
# The letter printing tests' CUPS queues and cups-pdf's output folder
# (docs/printing.md).
CUPS_TEST_QUEUE ?= GPKiosk-PDF
CUPS_TEST_OFF_QUEUE ?= GPKiosk-Off
CUPS_TEST_OUT ?= /var/spool/cups-pdf/gpkiosk-test

.PHONY: all deps build run run-staff run-practice run-server test lint fuzz bench mutate clean-demo cups-test-queue

all: test

deps:
	@missing=""; \
	for p in $(DEB_PACKAGES); do \
		dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "Installing system packages:$$missing"; \
			apt-get update -qq; \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
		else \
			echo "These system packages are missing:$$missing"; \
			echo "Install them with:"; \
			echo "  sudo apt-get install -y --no-install-recommends$$missing"; \
			exit 1; \
		fi; \
	fi
	@command -v $(GO) >/dev/null || { echo "Go is not installed; see https://go.dev/doc/install"; exit 1; }
	$(GO) mod download

build: deps
	@mkdir -p $(BIN_DIR)
	$(GO) build -o $(BIN_DIR)/practice-server ./cmd/practice-server
	@echo "Building the app (the first build of Fyne takes a few minutes)..."
	$(GO) build -o $(BIN_DIR)/gpkiosk ./cmd/gpkiosk

# $(call demo_device,ROLE,NAME,DIR,FLAGS): opens the app as the demo
# practice's ROLE device. Uses the demo server if one already listens on
# PORT (say, `make run` in another terminal while trying `make run-staff`),
# otherwise starts it, waits until it listens (it listens only once the
# demo data is in) and stops it when the app closes. The server serves
# HTTPS with its own self-signed certificate in TLS_DIR. On first run the
# device in DIR enrols with the enrolment string a set-up QR code carries,
# so it pins that certificate; a demo device set up before the server used
# TLS (no .pinned stamp) is set up afresh.
define demo_device
	@mkdir -p $(STATE_DIR)
	@if [ -z "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ]; then \
		echo "No display found: run this from a desktop session (or under xvfb-run)."; exit 1; fi
	@if ! (exec 3<>/dev/tcp/127.0.0.1/$(PORT)) 2>/dev/null; then \
		$(BIN_DIR)/practice-server --db "$(DEMO_DB)" --listen 127.0.0.1:$(PORT) --tls "$(TLS_DIR)" --demo & server=$$!; \
		trap 'kill $$server 2>/dev/null; wait $$server 2>/dev/null || true' EXIT; \
		for i in $$(seq 1 240); do \
			if (exec 3<>/dev/tcp/127.0.0.1/$(PORT)) 2>/dev/null; then break; fi; \
			kill -0 $$server 2>/dev/null || { echo "The practice server did not start; see its messages above."; exit 1; }; \
			sleep 0.5; \
		done; \
	fi; \
	if [ -s "$(3)/device.db" ] && [ ! -e "$(3)/.pinned" ]; then \
		echo "The $(1) in $(3) was set up before the demo server used TLS: setting it up again."; \
		rm -rf "$(3)"; \
	fi; \
	enrol=""; \
	if [ ! -s "$(3)/device.db" ]; then \
		enrol=$$($(BIN_DIR)/practice-server enrol --db "$(DEMO_DB)" --role $(1) --name "$(2)" \
			--server $(DEMO_URL) --tls "$(TLS_DIR)" | sed -n 's/^Enrolment string: //p'); \
		mkdir -p -m 700 "$(3)"; touch "$(3)/.pinned"; \
	fi; \
	$(BIN_DIR)/gpkiosk --server $(DEMO_URL) --data "$(3)" $(4) $${enrol:+--enrol "$$enrol"}
endef

# The waiting-room kiosk on the demo practice.
run: build
	$(call demo_device,kiosk,Demo kiosk,$(KIOSK_DIR),--fullscreen=$(FULLSCREEN))

# The staff desktop on the demo practice.
run-staff: build
	$(call demo_device,desktop,Demo front desk,$(STAFF_DIR),)

# The kiosk on a pretend practice, for a digital-skills session: no server,
# no enrolment, nothing sent anywhere; made afresh each time.
run-practice: build
	$(BIN_DIR)/gpkiosk --practice --fullscreen=$(FULLSCREEN)

# The server alone, for working on it or connecting another device.
run-server: build
	@mkdir -p $(STATE_DIR)
	$(BIN_DIR)/practice-server --db "$(DEMO_DB)" --listen 127.0.0.1:$(PORT) --tls "$(TLS_DIR)" --demo

# Start again from a fresh demo practice (and a new certificate: the demo
# devices that pinned the old one go too).
clean-demo:
	rm -f "$(DEMO_DB)" "$(DEMO_DB)-wal" "$(DEMO_DB)-shm"
	rm -rf "$(KIOSK_DIR)" "$(STAFF_DIR)" "$(TLS_DIR)"

lint: deps
	@unformatted="$$(gofmt -l cmd ui sync store assets)"; \
	if [ -n "$$unformatted" ]; then echo "These files need gofmt:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...

# A short run of each fuzz target; run longer with `make fuzz FUZZTIME=10m`.
# `make test` counts inputs (FUZZTIME=20000x) rather than seconds: Go 1.26's
# fuzzer can fail a duration run with a spurious "context deadline
# exceeded" when the machine is busy (go.dev/issue/75804, fixed in 1.27).
fuzz: deps
	$(GO) test -run='^$$' -fuzz='^FuzzParseNHSNumber$$' -fuzztime=$(FUZZTIME) ./store
	$(GO) test -run='^$$' -fuzz='^FuzzParseDate$$' -fuzztime=$(FUZZTIME) ./store
	$(GO) test -run='^$$' -fuzz='^FuzzPushBody$$' -fuzztime=$(FUZZTIME) ./sync/server

# Mutation testing (docs/testing.md): gremlins changes the code one small
# way at a time (a < for a <=, a + for a -, a condition negated) and runs
# the package's tests; a change no test notices is a rule nothing guards.
# Slow (tens of minutes a package on two cores), so not part of `make test`.
GREMLINS_VERSION ?= v0.6.0
GREMLINS := $(shell $(GO) env GOPATH)/bin/gremlins
MUTATE_PACKAGES ?= ./store ./store/replica ./sync/server ./sync/client
MUTATE_EFFICACY ?= 95
# Each package alone: gremlins walks into folders below the one named, and
# store's sub-packages (the demo generator, the device replica) have their
# own runs or are test data.
MUTATE_EXCLUDE ?= (^|/)(demo|replica|passhash|sqlitedb)/

mutate: deps
	@test -x "$(GREMLINS)" || $(GO) install github.com/go-gremlins/gremlins/cmd/gremlins@$(GREMLINS_VERSION)
	@for p in $(MUTATE_PACKAGES); do \
		echo "== $$p"; \
		GOFLAGS=-count=1 "$(GREMLINS)" unleash --timeout-coefficient 4 --workers 2 \
			--exclude-files '$(MUTATE_EXCLUDE)' --threshold-efficacy $(MUTATE_EFFICACY) "$$p"; \
	done

# Starts cupsd if needed and (re)creates the test printers; needs root.
cups-test-queue: deps
	.ci/cups-test-queue.sh "$(CUPS_TEST_OUT)" "$(CUPS_TEST_QUEUE)" "$(CUPS_TEST_OFF_QUEUE)"

test: deps lint cups-test-queue
	GPKIOSK_TEST_CUPS_QUEUE=$(CUPS_TEST_QUEUE) GPKIOSK_TEST_CUPS_OFF_QUEUE=$(CUPS_TEST_OFF_QUEUE) \
	GPKIOSK_TEST_CUPS_OUT="$(CUPS_TEST_OUT)" GPKIOSK_REQUIRE_CUPS=1 \
		$(GO) test -race -count=1 -timeout=30m ./...
	$(MAKE) --no-print-directory fuzz FUZZTIME=20000x

# One package at a time (-p 1): each benchmark's baseline is measured in the
# same run, and another package's benchmarks on the other core would load
# one side of the comparison and not the other.
bench: deps
	$(GO) test -p 1 -run='^$$' -bench=. -benchmem -count=1 -timeout=60m ./...
