/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Progress of the long commands (tojson, fromjson, cat, concat, recodec, repair) on standard
 * error: records, bytes read, rate and, when the inputs' sizes are known, how far along.
 * The commands call it at block boundaries (or, in fromjson, at each read of the input),
 * never per record; the clock is read there, and a line is printed at most every 200 ms.
 *
 * When it shows (cli_progress_start): --progress always; --quiet never; otherwise only when
 * standard error is a terminal and the command's output does not go to that terminal too,
 * and then only once the command has run for a second, so short runs show nothing. On a
 * terminal it is one line, rewritten in place ("\r", erase to the end of the line) and
 * erased at the end. Elsewhere (--progress into a file or a pipe) it is a line per second
 * at most, and a last line with the totals: a log keeps plain lines.
 *
 * Kept apart from the commands so that it can move with the block pipelines when they go
 * into the library: all it needs is a record count and a byte count at each boundary.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static enum cli_progress_mode mode = CLI_PROGRESS_AUTO;

/* The progress being shown, so that a message can first erase its line. */
static struct cli_progress *active;

#define TTY_INTERVAL_NS 200000000LL    /* 200 ms between two updates on a terminal */
#define TTY_DELAY_NS 1000000000LL      /* nothing on a terminal in the first second */
#define LOG_INTERVAL_NS 1000000000LL   /* a line a second at most into a file */

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int cli_progress_option(int key)
{
	if (key == CLI_KEY_PROGRESS)
		mode = CLI_PROGRESS_ON;
	else if (key == CLI_KEY_QUIET)
		mode = CLI_PROGRESS_OFF;
	else
		return 0;
	return 1;
}

/* The size of an input when it is a regular file, else -1. */
static long long input_size(const char *path)
{
	struct stat st;
	int r = !path || strcmp(path, "-") == 0 ? fstat(STDIN_FILENO, &st) : stat(path, &st);

	return r == 0 && S_ISREG(st.st_mode) ? (long long)st.st_size : -1;
}

void cli_progress_start(struct cli_progress *p, const char *cmd, char **inputs, int ninputs,
			int output_is_stdout)
{
	memset(p, 0, sizeof(*p));
	p->cmd = cmd;
	p->tty = isatty(STDERR_FILENO);
	if (mode == CLI_PROGRESS_OFF)
		return;
	if (mode == CLI_PROGRESS_AUTO &&
	    (!p->tty || (output_is_stdout && isatty(STDOUT_FILENO))))
		return;
	p->on = 1;
	p->forced = mode == CLI_PROGRESS_ON;
	p->start = now_ns();
	/* the first update: at once when asked for, after a second on its own */
	p->next = p->forced ? p->start : p->start + TTY_DELAY_NS;
	p->total = 0;
	for (int i = 0; i < ninputs; i++) {
		long long n = input_size(inputs[i]);

		if (n < 0) {
			p->total = 0; /* a pipe among them: no percentage */
			break;
		}
		p->total += (uint64_t)n;
	}
	active = p;
}

/* "1.5 MiB" */
static void human(char *buf, size_t len, double v)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	int u = 0;

	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(buf, len, "%.0f %s", v, units[u]);
	else
		snprintf(buf, len, "%.1f %s", v, units[u]);
}

static void erase(struct cli_progress *p)
{
	if (p->shown && p->tty)
		fputs("\r\033[K", stderr);
	p->shown = 0;
}

/* Print the line; @final: the last one, with the time taken. */
static void show(struct cli_progress *p, long long t, int final)
{
	char bytes[32], rate[40], line[256];
	double secs = (double)(t - p->start) / 1e9;
	uint64_t records = p->records_fn ? p->records_fn(p->records_ctx) : p->records;
	int n;

	human(bytes, sizeof(bytes), (double)p->bytes);
	rate[0] = '\0';
	if (secs >= 0.05) {
		human(rate + 2, sizeof(rate) - 2, (double)p->bytes / secs);
		memcpy(rate, ", ", 2);
		strcat(rate, "/s");
	}
	if (final)
		n = snprintf(line, sizeof(line), "avrokit %s: %" PRIu64 " record%s, %s read in "
			     "%.1f s%s", p->cmd, records, records == 1 ? "" : "s", bytes, secs, rate);
	else
		n = snprintf(line, sizeof(line), "avrokit %s: %" PRIu64 " record%s, %s read%s",
			     p->cmd, records, records == 1 ? "" : "s", bytes, rate);
	if (!final && p->total && n > 0 && (size_t)n < sizeof(line)) {
		uint64_t pct = p->bytes >= p->total ? 100 : p->bytes * 100 / p->total;

		snprintf(line + n, sizeof(line) - (size_t)n, ", %" PRIu64 "%%", pct);
	}
	if (p->tty)
		fprintf(stderr, "\r%s\033[K", line);
	else
		fprintf(stderr, "%s\n", line);
	fflush(stderr);
	p->shown = 1;
}

void cli_progress_show(struct cli_progress *p)
{
	long long t = now_ns();

	if (t < p->next)
		return;
	show(p, t, 0);
	p->next = t + (p->tty ? TTY_INTERVAL_NS : LOG_INTERVAL_NS);
}

void cli_progress_end(struct cli_progress *p, int ok)
{
	if (!p->on)
		return;
	if (p->tty)
		erase(p);
	else if (ok && p->forced)
		show(p, now_ns(), 1);
	p->on = 0;
	if (active == p)
		active = NULL;
}

void cli_progress_interrupt(void)
{
	if (active)
		erase(active);
}

uint64_t cli_writer_records(void *ctx)
{
	return ak_writer_count(ctx);
}
