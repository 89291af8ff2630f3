# Convenience wrapper over CMake: make, make test, make install PREFIX=/usr/local
PREFIX ?= /usr/local

all:
	scripts/build

test:
	scripts/test

install: all
	cmake --install build --prefix $(PREFIX)

.PHONY: all test install
