/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The ordered block pipeline, written once: the caller's thread hands jobs in (a block to
 * compress, a block to decompress and decode, a chunk of JSON to parse), worker threads do
 * them in any order, and the caller takes them back out in the order it handed them in. A
 * fixed ring of jobs bounds the memory: when every job is in flight, the caller takes the
 * oldest out (waiting for it) before it hands in another. With no threads the work is done on
 * the caller's thread, as the job is handed in, through the same calls.
 *
 * The jobs are the caller's structs; the pipeline only passes their pointers around. Workers
 * have a state each (a compressor, a decoder's scratch), made by @worker_init on the worker's
 * thread and freed by @worker_fini.
 */
#ifndef AK_PIPELINE_H
#define AK_PIPELINE_H

#include "error.h"

struct ak_pipeline;

struct ak_pipeline_ops {
	/* Do @job. Runs on a worker (or on the caller's thread when there are no threads). */
	void (*run)(void *ctx, void *wstate, void *job);
	/* Optional: a worker's state (NULL is a valid state), and freeing it. */
	void *(*worker_init)(void *ctx);
	void (*worker_fini)(void *ctx, void *wstate);
};

/*
 * A pipeline of @njobs jobs (@jobs: their pointers, copied) on up to @threads threads (0 or 1:
 * none, every job runs as it is submitted). @ops and @ctx are borrowed. NULL with @err on
 * failure. The threads start with the first job and stop when idle (ak_pipeline_threads());
 * fewer than asked for are fine, and a job that finds none runs as it is submitted.
 */
struct ak_pipeline *ak_pipeline_new(unsigned threads, void *const *jobs, unsigned njobs,
				    const struct ak_pipeline_ops *ops, void *ctx,
				    struct ak_error *err);

/* The next job to fill, or NULL when every job is in flight (take the oldest out first). */
void *ak_pipeline_acquire(struct ak_pipeline *p);
/* Hand in the job ak_pipeline_acquire() gave, now filled. */
void ak_pipeline_submit(struct ak_pipeline *p, void *job);
/*
 * The oldest job handed in and not yet released, once it is done: with @wait, waits for it;
 * without, NULL when it is not done yet. NULL when no job is in flight. The job is the
 * caller's to read until ak_pipeline_release().
 */
void *ak_pipeline_oldest(struct ak_pipeline *p, int wait);
/* Give the job ak_pipeline_oldest() returned back to the ring. */
void ak_pipeline_release(struct ak_pipeline *p, void *job);
/* Jobs handed in and not released. */
unsigned ak_pipeline_in_flight(const struct ak_pipeline *p);
/* Threads running now: none before the first job, and none again once they have been idle
 * for half a second (they start again with the next job). */
unsigned ak_pipeline_threads(struct ak_pipeline *p);
/* How long a thread waits for work before it stops (tests). */
void ak_pipeline_set_idle(struct ak_pipeline *p, long long ns);
/* Wait for the jobs in flight to be done, stop the threads, free. NULL does nothing. */
void ak_pipeline_free(struct ak_pipeline *p);

#endif /* AK_PIPELINE_H */
