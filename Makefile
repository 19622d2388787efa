# Rapport: `make run` and `make test` on a fresh Debian/Ubuntu machine.
# Each target installs what it needs when it is missing (Go modules, Debian
# packages through apt-get) and stays quiet when everything is present.

SHELL := /bin/bash
.DEFAULT_GOAL := help

GO   ?= go
TAGS := migrated_fynedo

# Tools run at pinned versions, compiled by the go command itself.
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
FYNE_TOOL   := fyne.io/tools/cmd/fyne@v1.7.4

BUILD := build
FYNE  := $(BUILD)/tools/fyne
STAGE := $(BUILD)/_stage/rapport
# MAIN: the main package `make package` stages (override only to try the recipe).
MAIN  := cmd/rapport

# The version stamped into the binary (main.version): the git description,
# or the Version in FyneApp.toml outside a git checkout.
APP_VERSION = $(shell sed -n 's/^[[:space:]]*Version[[:space:]]*=[[:space:]]*"\(.*\)".*/\1/p' FyneApp.toml)
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo $(APP_VERSION))

# Debian packages. DEPS_APT: C compiler and the X11/Wayland/GL headers the
# Fyne desktop driver (cgo) builds against. TEST_APT: a headless X server and
# the tools the smoke test drives it with, pdftotext for the printing tests,
# a TrueType font with Chinese and Japanese (Droid Sans Fallback) for the
# test that prints names through fontconfig's fallback fonts, PostgreSQL
# (server and pg_dump) for the store's tests against it, tesseract to read
# the walkthrough's screenshots, and radicale, the CardDAV/CalDAV server
# the phone-sync tests start on loopback. PACKAGE_APT:
# `fyne package` calls tar -J for the Linux bundle.
DEPS_APT    := gcc libc6-dev pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev \
               libxinerama-dev libxi-dev libxxf86vm-dev libwayland-dev libxkbcommon-dev
TEST_APT    := xvfb xauth libgl1-mesa-dri xdotool x11-utils imagemagick dbus poppler-utils fonts-droid-fallback postgresql \
               tesseract-ocr tesseract-ocr-eng radicale
PACKAGE_APT := tar xz-utils
# WINDOWS_APT: the mingw-w64 C compiler the Windows build of the Fyne driver
# (cgo) is cross-compiled with.
WINDOWS_APT := gcc-mingw-w64-x86-64
WINDOWS_ENV := GOOS=windows GOARCH=amd64 CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc

# apt_install installs the Debian packages in $(1) that dpkg does not list as
# installed: apt-get update first, non-interactive, through sudo when not
# root. On systems without dpkg/apt-get it prints what to install instead.
define apt_install
	@missing=""; \
	if ! command -v dpkg-query >/dev/null || ! command -v apt-get >/dev/null; then \
		echo "Not a Debian system: skipping apt-get. Install the equivalents of: $(strip $(1))"; \
		exit 0; \
	fi; \
	for p in $(1); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	[ -z "$$missing" ] && exit 0; \
	sudo=""; \
	if [ "$$(id -u)" != 0 ]; then \
		if command -v sudo >/dev/null; then sudo=sudo; \
		else echo "Need root (or sudo) to install:$$missing" >&2; exit 1; fi; \
	fi; \
	echo "Installing Debian packages:$$missing"; \
	$$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing
endef

.PHONY: help deps test-deps run build test bench bench-postgres fuzz package package-windows vet-windows clean

help:
	@echo "Targets:"
	@echo "  make run       build and start Rapport (ARGS='...' passes arguments)"
	@echo "  make test      gofmt, vet, staticcheck, tests with -race, window smoke test"
	@echo "  make build     build bin/rapport"
	@echo "  make bench     run the benchmarks (the store's on SQLite and PostgreSQL)"
	@echo "  make bench-postgres  the app's benchmarks against PostgreSQL"
	@echo "  make fuzz      run each fuzz test for FUZZTIME (default 2m; not part of make test)"
	@echo "  make package   desktop bundle with the fyne tool (build/Rapport.tar.xz on Linux)"
	@echo "  make package-windows  build/Rapport.exe, cross-built with mingw-w64 (icon, version)"
	@echo "  make vet-windows      go vet of the Windows build"
	@echo "  make deps      Go modules and the Debian packages for building"
	@echo "  make test-deps deps plus Xvfb, xdotool, ImageMagick for the smoke test"
	@echo "  make clean     remove bin/ and build/ (keeps the Go build cache)"

deps:
	$(call apt_install,$(DEPS_APT))
	@$(GO) mod download

test-deps: deps
	$(call apt_install,$(TEST_APT))

run: deps
	$(GO) run -tags $(TAGS) ./cmd/rapport $(ARGS)

build: deps
	$(GO) build -tags $(TAGS) -ldflags "-X main.version=$(VERSION)" -o bin/rapport ./cmd/rapport

# The first cgo build of the GL driver takes about 5 minutes; later runs reuse
# the Go build cache (never cleaned here). The tests run beside a throwaway
# PostgreSQL on loopback (.ci/with-postgres, stopped whatever the outcome):
# the store's and command line's tests run against SQLite and PostgreSQL,
# and the app's once more with PostgreSQL as their database. The smoke test
# builds the real binary and opens its window on a private Xvfb display.
test: test-deps
	@echo "gofmt -l cmd app ui model assets"; \
	files=$$(gofmt -l cmd app ui model assets); \
	if [ -n "$$files" ]; then echo "Not gofmt-ed (run gofmt -w):"; echo "$$files"; exit 1; fi
	$(GO) vet -tags $(TAGS) ./...
	$(GO) run $(STATICCHECK) -tags $(TAGS) ./...
	CGO_ENABLED=0 $(GO) build ./app/... ./model/...
	.ci/with-postgres bash -c 'set -e; \
		RAPPORT_SMOKE= RAPPORT_REQUIRE_RADICALE=1 $(GO) test -race -tags $(TAGS) ./...; \
		echo "again with PostgreSQL as the database of the app tests:"; \
		RAPPORT_TEST_BACKEND=postgres $(GO) test -race ./app'
	RAPPORT_SMOKE=1 RAPPORT_WALK_SHOTS=$(CURDIR)/$(BUILD)/walkthrough \
		$(GO) test -tags $(TAGS) -run 'TestSmokeWindow|TestWalk' -count=1 -v -timeout 30m ./cmd/rapport
	$(MAKE) --no-print-directory package-windows vet-windows

bench: deps
	$(call apt_install,postgresql)
	.ci/with-postgres $(GO) test -run '^$$' -bench . -benchmem -tags $(TAGS) ./model/... ./app/... ./ui/...

# The app's benchmarks (search, import of 10,000 cards, reliability,
# follow-ups over 50,000 contacts) with PostgreSQL as the database.
bench-postgres: deps
	$(call apt_install,postgresql)
	.ci/with-postgres env RAPPORT_TEST_BACKEND=postgres $(GO) test -run '^$$' -bench . -benchmem ./app/...

# Each fuzz target runs for FUZZTIME, seeded with the shared real exports
# where ../shared is present; a crash leaves its input in testdata/fuzz/.
FUZZTIME ?= 2m
fuzz: deps
	CGO_ENABLED=0 $(GO) test -run '^$$' -fuzz '^FuzzReader$$' -fuzztime $(FUZZTIME) ./app/vcf
	CGO_ENABLED=0 $(GO) test -run '^$$' -fuzz '^FuzzMapCard$$' -fuzztime $(FUZZTIME) ./app
	CGO_ENABLED=0 $(GO) test -run '^$$' -fuzz '^FuzzReadBackup$$' -fuzztime $(FUZZTIME) ./app
	CGO_ENABLED=0 $(GO) test -run '^$$' -fuzz '^FuzzVCardExport$$' -fuzztime $(FUZZTIME) ./app

$(FYNE):
	GOBIN=$(abspath $(dir $(FYNE))) $(GO) install $(FYNE_TOOL)

# Packaging and FyneApp.toml. `fyne package` (fyne.io/tools v1.7) reads
# FyneApp.toml only from the folder of the main package it builds (--src,
# default: the current folder), resolves Details.Icon relative to that
# folder, and after packaging rewrites that FyneApp.toml with Build+1. Our
# FyneApp.toml and icon live at the top level, the main package in
# cmd/rapport. So this target stages a throwaway main package in
# build/_stage/rapport: a copy of cmd/rapport (without tests) plus
# FyneApp.toml and assets/icon.png at the paths the toml names, and packages
# that with --src. The staged folder is inside the module, so it builds
# against the real app/ui/model packages; `./...` skips folders starting with
# "_", and the folder is deleted afterwards. The top-level FyneApp.toml is
# never written: it stays the single source of truth (ID, name, version,
# build, icon, desktop-entry fields, the fyneDo migration that adds the
# migrated_fynedo tag), and the executable is named after the folder:
# rapport. main.version is passed through GOFLAGS=-ldflags=..., the one way
# the fyne tool accepts linker flags.
package: deps $(FYNE)
	$(call apt_install,$(PACKAGE_APT))
	@rm -rf $(BUILD)/_stage && mkdir -p $(STAGE)/assets
	@cp -R $(MAIN)/. $(STAGE)/ && rm -f $(STAGE)/*_test.go
	@cp FyneApp.toml $(STAGE)/ && cp assets/icon.png $(STAGE)/assets/
	cd $(BUILD) && GOFLAGS="$(strip $(GOFLAGS) -ldflags=-X=main.version=$(VERSION))" \
		$(abspath $(FYNE)) package --release --src _stage/rapport
	@rm -rf $(BUILD)/_stage
	@ls -l $(BUILD)/Rapport.* 2>/dev/null || true

# The Windows build: the same staged package as `make package`, built by the
# fyne tool for Windows with mingw-w64 (a GUI executable with the icon and
# the version in its resources). The first build compiles the GL driver's C
# for Windows, several minutes; later ones come from the Go build cache. The
# check reads the executable's headers: a Windows GUI program for x86-64
# with an icon and version resource.
package-windows: deps $(FYNE)
	$(call apt_install,$(PACKAGE_APT) $(WINDOWS_APT))
	@rm -rf $(BUILD)/_stage $(BUILD)/Rapport.exe && mkdir -p $(STAGE)/assets
	@cp -R $(MAIN)/. $(STAGE)/ && rm -f $(STAGE)/*_test.go
	@cp FyneApp.toml $(STAGE)/ && cp assets/icon.png $(STAGE)/assets/
	cd $(BUILD) && $(WINDOWS_ENV) GOFLAGS="$(strip $(GOFLAGS) -ldflags=-X=main.version=$(VERSION))" \
		$(abspath $(FYNE)) package --os windows --release --src _stage/rapport
	@mv $(STAGE)/Rapport.exe $(BUILD)/ && rm -rf $(BUILD)/_stage
	@headers=$$(x86_64-w64-mingw32-objdump -x $(BUILD)/Rapport.exe) && \
		grep -q 'Subsystem.*Windows GUI' <<<"$$headers" && grep -q '^architecture: i386:x86-64' <<<"$$headers" && \
		grep -q 'Resource Directory' <<<"$$headers" || { echo "$(BUILD)/Rapport.exe is not a Windows GUI program with resources" >&2; exit 1; }
	@ls -l $(BUILD)/Rapport.exe

vet-windows: deps
	$(call apt_install,$(WINDOWS_APT))
	$(WINDOWS_ENV) $(GO) vet -tags $(TAGS) ./...

clean:
	rm -rf bin $(BUILD)
