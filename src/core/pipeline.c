/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The ordered pipeline (pipeline.h). One mutex and one condition variable guard the ring;
 * every wait re-checks its condition under the lock before it sleeps, so a wake-up sent
 * between a check and the wait cannot be lost (a writer hang of this kind was once found in
 * CI: see the history of container.c).
 */
#include "pipeline.h"

#include <pthread.h>
#include <stdlib.h>

enum { J_FREE, J_READY, J_WORKING, J_DONE };

struct ak_pipeline {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	void **jobs;
	unsigned char *state;
	unsigned njobs;
	uint64_t nsub, ntaken, nreleased; /* handed in, taken by workers, given back */
	int quit;
	const struct ak_pipeline_ops *ops;
	void *ctx;
	pthread_t *tids;
	unsigned ntids;
	void *inline_state;               /* the worker state when there are no threads */
	int inline_ready;
};

static void *worker(void *arg)
{
	struct ak_pipeline *p = arg;
	void *ws = p->ops->worker_init ? p->ops->worker_init(p->ctx) : NULL;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (!p->quit && p->ntaken == p->nsub)
			pthread_cond_wait(&p->cv, &p->mu);
		if (p->ntaken == p->nsub) /* quit, and nothing left to do */
			break;
		unsigned i = (unsigned)(p->ntaken++ % p->njobs);

		p->state[i] = J_WORKING;
		pthread_mutex_unlock(&p->mu);
		p->ops->run(p->ctx, ws, p->jobs[i]);
		pthread_mutex_lock(&p->mu);
		p->state[i] = J_DONE;
		pthread_cond_broadcast(&p->cv);
	}
	pthread_mutex_unlock(&p->mu);
	if (p->ops->worker_fini)
		p->ops->worker_fini(p->ctx, ws);
	return NULL;
}

struct ak_pipeline *ak_pipeline_new(unsigned threads, void *const *jobs, unsigned njobs,
				    const struct ak_pipeline_ops *ops, void *ctx,
				    struct ak_error *err)
{
	struct ak_pipeline *p = calloc(1, sizeof(*p));

	if (!p || !njobs || !(p->jobs = calloc(njobs, sizeof(*p->jobs))) ||
	    !(p->state = calloc(njobs, 1))) {
		if (p)
			free(p->jobs);
		free(p);
		ak_fail(err, njobs ? AK_E_NOMEM : AK_E_ARG, njobs ? "out of memory" : "no jobs");
		return NULL;
	}
	for (unsigned i = 0; i < njobs; i++)
		p->jobs[i] = jobs[i];
	p->njobs = njobs;
	p->ops = ops;
	p->ctx = ctx;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	if (threads > 1) {
		if (!(p->tids = calloc(threads, sizeof(*p->tids)))) {
			ak_pipeline_free(p);
			ak_fail(err, AK_E_NOMEM, "out of memory");
			return NULL;
		}
		for (; p->ntids < threads; p->ntids++)
			if (pthread_create(&p->tids[p->ntids], NULL, worker, p) != 0)
				break;
	}
	return p;
}

void *ak_pipeline_acquire(struct ak_pipeline *p)
{
	void *job = NULL;

	pthread_mutex_lock(&p->mu);
	if (p->nsub - p->nreleased < p->njobs)
		job = p->jobs[p->nsub % p->njobs];
	pthread_mutex_unlock(&p->mu);
	return job;
}

void ak_pipeline_submit(struct ak_pipeline *p, void *job)
{
	unsigned i = (unsigned)(p->nsub % p->njobs);

	if (!p->ntids) {
		if (!p->inline_ready) {
			p->inline_state = p->ops->worker_init ? p->ops->worker_init(p->ctx) : NULL;
			p->inline_ready = 1;
		}
		p->ops->run(p->ctx, p->inline_state, job);
		p->state[i] = J_DONE;
		p->nsub++;
		p->ntaken++;
		return;
	}
	pthread_mutex_lock(&p->mu);
	p->state[i] = J_READY;
	p->nsub++;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

void *ak_pipeline_oldest(struct ak_pipeline *p, int wait)
{
	void *job = NULL;

	pthread_mutex_lock(&p->mu);
	if (p->nreleased < p->nsub) {
		unsigned i = (unsigned)(p->nreleased % p->njobs);

		while (wait && p->state[i] != J_DONE)
			pthread_cond_wait(&p->cv, &p->mu);
		if (p->state[i] == J_DONE)
			job = p->jobs[i];
	}
	pthread_mutex_unlock(&p->mu);
	return job;
}

void ak_pipeline_release(struct ak_pipeline *p, void *job)
{
	pthread_mutex_lock(&p->mu);
	if (p->nreleased < p->nsub && p->jobs[p->nreleased % p->njobs] == job) {
		p->state[p->nreleased % p->njobs] = J_FREE;
		p->nreleased++;
	}
	pthread_mutex_unlock(&p->mu);
}

unsigned ak_pipeline_in_flight(const struct ak_pipeline *p)
{
	return (unsigned)(p->nsub - p->nreleased);
}

void ak_pipeline_free(struct ak_pipeline *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	p->quit = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	for (unsigned i = 0; i < p->ntids; i++)
		pthread_join(p->tids[i], NULL);
	if (p->inline_ready && p->ops->worker_fini)
		p->ops->worker_fini(p->ctx, p->inline_state);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	free(p->tids);
	free(p->state);
	free(p->jobs);
	free(p);
}
