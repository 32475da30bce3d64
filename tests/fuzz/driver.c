/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Runs a fuzz target over files, without libFuzzer: every argument is a file or a directory
 * of files, each given to LLVMFuzzerTestOneInput once. meson test runs every target this way
 * over its seed corpus and the crashes found so far, so the targets cannot rot and every fixed
 * crash stays fixed. Finding no input at all fails the run: a corpus path gone wrong would
 * otherwise pass as a target that found nothing wrong.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f) {
		perror(path);
		return 1;
	}
	do {
		if (cap - len < 65536) {
			unsigned char *b = realloc(buf, cap ? cap * 2 : 65536);

			if (!b) {
				free(buf);
				fclose(f);
				return 1;
			}
			buf = b;
			cap = cap ? cap * 2 : 65536;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	int files = 0, bad = 0;

	for (int i = 1; i < argc; i++) {
		struct stat st;
		DIR *d;
		struct dirent *e;

		if (stat(argv[i], &st) != 0)
			continue; /* a corpus that is not there (the shared corpus) */
		if (!S_ISDIR(st.st_mode)) {
			bad += run_file(argv[i]);
			files++;
			continue;
		}
		if (!(d = opendir(argv[i])))
			continue;
		while ((e = readdir(d))) {
			char path[4096];

			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", argv[i], e->d_name);
			if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
				bad += run_file(path);
				files++;
			}
		}
		closedir(d);
	}
	if (files == 0) {
		printf("1..1\nnot ok 1 - no input files in");
		for (int i = 1; i < argc; i++)
			printf(" %s", argv[i]);
		printf("\n");
		fprintf(stderr, "no input files found: is the corpus path right?\n");
		return 1;
	}
	printf("1..1\n%s 1 - %d inputs\n", bad ? "not ok" : "ok", files);
	return bad != 0;
}
