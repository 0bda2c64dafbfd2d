/*
 * fuzz_archive.c - libFuzzer target for the archive reader: arbitrary
 * bytes as an archive file, opened, listed, queried, every log read and
 * the whole verified.  Whatever the bytes, the reader must answer (an
 * archive, or ARC_CORRUPT after a message) without crashing, leaking or
 * allocating what a corrupt length claims.  Seeds: tests/archive/v1.gfa,
 * cuts and bit flips of it.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "archive.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz", 0);
	char path[64];

	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	struct arc *a = arc_open(path);
	if (a != NULL) {
		size_t total = 0;
		for (uint32_t i = 0; i < a->nlog; i++) {
			size_t n;
			const char *s = arc_str(a, a->log[i].name, &n);
			total += n + (s != NULL);
			for (uint32_t k = 0; k < a->log[i].nev; k++)
				for (int f = 0; f < AF_NFIELDS; f++)
					total += arc_str(a, a->ev[a->log[i].ev0 + k].s[f], &n) ? n : 0;
		}
		/* A few logs read back: enough to reach every block kind. */
		for (uint32_t i = 0; i < a->nlog && i < 64; i++) {
			struct buf b = { 0 };
			arc_read(a, i, &b);
			total += b.len;
			buf_free(&b);
		}
		arc_verify(a);
		arc_close(a);
		if (total == (size_t)-1)
			__builtin_trap();
	}
	close(fd);
	return 0;
}
