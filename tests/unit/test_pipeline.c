/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The ordered pipeline (pipeline.c): jobs come back out in the order they went in, whatever
 * order the threads finish them in; no thread runs before the first job; threads that have
 * been idle stop, freeing their state, and start again with the next job; with no threads
 * (or none that could start) jobs run as they are handed in. Waits for the threads to stop
 * poll with a deadline of seconds, never a fixed sleep.
 */
#include "pipeline.h"

#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "check.h"

#define NJOBS 8

struct job {
	unsigned seq;   /* the order it went in */
	unsigned value; /* set by the worker: seq * 3 */
	unsigned spin;  /* work to do, so that jobs finish out of order */
};

struct counts {
	unsigned inits, finis;
};

static void run(void *ctx, void *ws, void *job)
{
	struct job *j = job;
	volatile unsigned x = 0;

	(void)ctx;
	(void)ws;
	for (unsigned i = 0; i < j->spin; i++)
		x += i;
	j->value = j->seq * 3;
}

/* The counts are only read once the threads are known to be gone (or by the caller's
 * thread for inline jobs), but updated from several threads: atomically. */
static void *winit(void *ctx)
{
	__atomic_fetch_add(&((struct counts *)ctx)->inits, 1, __ATOMIC_SEQ_CST);
	return ctx;
}

static void wfini(void *ctx, void *ws)
{
	(void)ws;
	__atomic_fetch_add(&((struct counts *)ctx)->finis, 1, __ATOMIC_SEQ_CST);
}

static const struct ak_pipeline_ops ops = { run, winit, wfini };

/* Push @n jobs through @p in order, taking each back when the ring is full and at the end;
 * 1 when every job came back in order with its value. */
static int push(struct ak_pipeline *p, unsigned n, unsigned *seq)
{
	unsigned next_out = *seq, ok = 1;

	for (unsigned k = 0; k < n; k++) {
		struct job *j;

		while (!(j = ak_pipeline_acquire(p))) {
			struct job *o = ak_pipeline_oldest(p, 1);

			ok &= o && o->seq == next_out && o->value == next_out * 3;
			next_out++;
			ak_pipeline_release(p, o);
		}
		j->seq = (*seq)++;
		j->value = 0;
		j->spin = (j->seq * 7919u) % 20000u;
		ak_pipeline_submit(p, j);
	}
	for (struct job *o; (o = ak_pipeline_oldest(p, 1)); ) {
		ok &= o->seq == next_out && o->value == next_out * 3;
		next_out++;
		ak_pipeline_release(p, o);
	}
	return ok && next_out == *seq && ak_pipeline_in_flight(p) == 0;
}

static unsigned load(const unsigned *x)
{
	return __atomic_load_n(x, __ATOMIC_SEQ_CST);
}

/* Wait (polling, up to 10 s) until @p runs no thread and every thread that left has freed
 * its state (it does so just after it stops counting); 1 when it came to that. */
static int wait_idle(struct ak_pipeline *p, const struct counts *c)
{
	struct timespec ms = { 0, 1000000 };

	for (int i = 0; i < 10000; i++) {
		if (ak_pipeline_threads(p) == 0 && load(&c->finis) == load(&c->inits))
			return 1;
		nanosleep(&ms, NULL);
	}
	return 0;
}

static struct ak_pipeline *make(unsigned threads, struct job *jobs, struct counts *c)
{
	void *ptrs[NJOBS];

	for (int i = 0; i < NJOBS; i++)
		ptrs[i] = &jobs[i];
	return ak_pipeline_new(threads, ptrs, NJOBS, &ops, c, NULL);
}

static void test_threads(void)
{
	struct job jobs[NJOBS];
	struct counts c = { 0, 0 };
	struct ak_pipeline *p = make(4, jobs, &c);
	unsigned seq = 0;

	CHECK(p && ak_pipeline_threads(p) == 0, "no thread before the first job");
	ak_pipeline_set_idle(p, 60000000000LL); /* none stops before it is counted, however slow */
	CHECK(push(p, 1000, &seq), "1000 jobs on 4 threads come back in order");
	CHECK(ak_pipeline_threads(p) >= 1 && ak_pipeline_threads(p) <= 4,
	      "threads started with the jobs (%u)", ak_pipeline_threads(p));
	ak_pipeline_set_idle(p, 20000000); /* 20 ms */
	CHECK(push(p, 10, &seq), "more jobs with a short idle time");
	CHECK(wait_idle(p, &c) && load(&c.inits) >= 1,
	      "idle threads stop, each freeing its state (%u made)", load(&c.inits));
	ak_pipeline_set_idle(p, 60000000000LL);
	CHECK(push(p, 500, &seq), "jobs after the threads stopped start them again, in order");
	CHECK(ak_pipeline_threads(p) >= 1, "threads again (%u)", ak_pipeline_threads(p));
	ak_pipeline_set_idle(p, 20000000);
	for (int round = 0; round < 3; round++)
		CHECK(wait_idle(p, &c) && push(p, 50, &seq), "stop and start again, round %d",
		      round);
	ak_pipeline_free(p);
	CHECK(load(&c.inits) == load(&c.finis), "after ak_pipeline_free() every state is freed "
	      "(%u, %u)", load(&c.inits), load(&c.finis));
}

static void test_free_in_flight(void)
{
	struct job jobs[NJOBS];
	struct counts c = { 0, 0 };
	struct ak_pipeline *p = make(3, jobs, &c);
	unsigned seq = 0;
	struct job *j;

	for (int k = 0; k < NJOBS && (j = ak_pipeline_acquire(p)); k++) {
		j->seq = seq++;
		j->spin = 200000;
		ak_pipeline_submit(p, j);
	}
	ak_pipeline_free(p); /* waits for the jobs in flight */
	CHECK(load(&c.inits) == load(&c.finis) && jobs[NJOBS - 1].value == (NJOBS - 1) * 3,
	      "freed with every job in flight: they are done, the states freed");
}

static void test_inline(void)
{
	struct job jobs[NJOBS];
	struct counts c = { 0, 0 };
	struct ak_pipeline *p = make(1, jobs, &c);
	unsigned seq = 0;

	CHECK(p && push(p, 100, &seq) && ak_pipeline_threads(p) == 0,
	      "one thread asked for: jobs run as handed in, in order, on no thread");
	CHECK(c.inits == 1, "one state for the caller's thread (%u)", c.inits);
	ak_pipeline_free(p);
	CHECK(c.finis == 1, "and freed with the pipeline");
}

int main(void)
{
	test_threads();
	test_free_in_flight();
	test_inline();
	return tap_done();
}
