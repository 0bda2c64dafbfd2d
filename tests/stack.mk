# tests/stack.mk - builds and runs the unit tests of filter/stack.c.
# Include it from the main Makefile, or standalone: make -f tests/stack.mk
CC ?= cc
CFLAGS ?= -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Wshadow \
	-Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter

UNIT_STACK_SRC = tests/unit_stack.c filter/stack.c filter/util.c filter/event.c

tests/unit_stack: $(UNIT_STACK_SRC) filter/stack.h filter/event.h filter/util.h
	$(CC) $(CFLAGS) -o $@ $(UNIT_STACK_SRC)

check-stack: tests/unit_stack
	./tests/unit_stack

.PHONY: check-stack
