# narrascope — GNU make, non-recursive. `make`, `make check`, `make SAN=address,undefined check`,
# `make demo`, `make bench`, `make bench-peers`, `make model`, `make fuzz`.
# Sources are found by wildcard: a new src/<module>/*.c joins the library, a new
# tests/unit/*.c joins the unit runner, a new tests/fuzz/fuzz_*.c is a fuzz target.

SAN ?=
BUILD ?= build$(if $(SAN),-san)
CC ?= cc
CFLAGS ?= -O2 -g
SHARED ?= $(abspath ../shared)
DATA ?= $(SHARED)/data

WARN := -Wall -Wextra -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wshadow
ifeq ($(CI),true)
WARN += -Werror
endif
ifneq ($(WERROR),)
WARN += -Werror
endif

PKGS := libutf8proc
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lstemmer -lpthread -lm

SANFLAGS := $(if $(SAN),-fsanitize=$(SAN) -fno-omit-frame-pointer -fno-sanitize-recover=all -DNS_DEBUG_POOL)
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) $(SANFLAGS) -fPIC -fvisibility=hidden \
	-Iinclude -Isrc $(PKG_CFLAGS) -MMD -MP
ALL_LDFLAGS := $(LDFLAGS) $(SANFLAGS)

LIB_SRC := $(sort $(filter-out src/cli/%,$(wildcard src/*/*.c)))
CLI_SRC := $(sort $(wildcard src/cli/*.c))
TEST_SRC := $(sort $(wildcard tests/unit/*.c))
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))

LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/%.o)
FUZZ_REPLAY := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/replay/%)

BIN := $(BUILD)/narrascope
STATIC := $(BUILD)/libnarrascope.a
SHLIB := $(BUILD)/libnarrascope.so
UNIT := $(BUILD)/test-unit

.PHONY: all check test demo deps bench bench-peers model fuzz headertest clean
all: $(BIN) $(STATIC) $(SHLIB)

deps:
	@scripts/install-deps.sh

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(STATIC): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(SHLIB): $(LIB_OBJ)
	$(CC) -shared $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BIN): $(CLI_OBJ) $(STATIC)
	$(CC) $(ALL_LDFLAGS) -o $@ $(CLI_OBJ) $(STATIC) $(PKG_LIBS)

$(UNIT): $(TEST_OBJ) $(STATIC)
	$(CC) $(ALL_LDFLAGS) -o $@ $(TEST_OBJ) $(STATIC) $(PKG_LIBS)

# Fuzz targets built with a replay main so gcc builds run their corpora as tests.
$(BUILD)/replay/%: tests/fuzz/%.c tests/fuzz/replay.c $(STATIC)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< tests/fuzz/replay.c $(STATIC) $(PKG_LIBS) $(ALL_LDFLAGS)

# Public headers must compile alone, pedantic.
headertest:
	@for h in include/narrascope/*.h; do \
	  printf '#include "%s"\nint ns__headertest_dummy;\n' "$${h#include/}" | \
	  $(CC) -std=c11 -Wall -Wextra -pedantic -Werror -Iinclude -x c -c -o /dev/null - || exit 1; \
	done; echo "headers ok"

check: deps
	@$(MAKE) --no-print-directory all $(UNIT) $(FUZZ_REPLAY)
	@$(MAKE) --no-print-directory headertest
	NS_BIN=$(abspath $(BIN)) NS_SRC=$(CURDIR) NS_DATA=$(DATA) NS_BUILD=$(abspath $(BUILD)) NS_SAN=$(SAN) $(UNIT)

test: check

demo: deps
	@$(MAKE) --no-print-directory all
	$(BIN) analyze $(if $(wildcard models/default.nsm),--model models/default.nsm) examples/

model: $(BIN)
	$(BIN) train --task all --cv -j2 --data $(DATA)/semeval2025/train --taxonomy $(DATA)/semeval2025/taxonomy \
		-o models/default.nsm
	$(BIN) model info models/default.nsm > models/MANIFEST

bench: $(BIN)
	bench/run.sh $(BIN) $(DATA)

bench-peers: $(BIN)
	bench/peers.sh $(BIN) $(DATA)

fuzz:
	bench/../tests/fuzz/run.sh

clean:
	rm -rf build build-san build-*

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TEST_OBJ:.o=.d)
