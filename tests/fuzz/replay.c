/*
 * replay.c - runs a fuzz target over the files named on the command line,
 * so `make check` replays the committed corpus without libFuzzer.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
main(int argc, char **argv)
{
	int n = 0;

	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		if (f == NULL) {
			perror(argv[i]);
			return 2;
		}
		size_t cap = 1 << 16, len = 0;
		uint8_t *b = malloc(cap);
		size_t r;
		while (b != NULL && (r = fread(b + len, 1, cap - len, f)) > 0) {
			len += r;
			if (len == cap)
				b = realloc(b, cap *= 2);
		}
		fclose(f);
		if (b == NULL)
			return 2;
		LLVMFuzzerTestOneInput(b, len);
		free(b);
		n++;
	}
	printf("%d inputs replayed\n", n);
	return 0;
}
