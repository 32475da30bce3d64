/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The ordered pipeline (pipeline.h). One mutex and one condition variable guard the ring;
 * every wait re-checks its condition under the lock before it sleeps, so a wake-up sent
 * between a check and the wait cannot be lost (a writer hang of this kind was once found in
 * CI: see the history of container.c).
 */
#include "pipeline.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

enum { J_FREE, J_READY, J_WORKING, J_DONE };

/* A worker's slot: no thread, a thread at work or waiting, a thread gone idle and leaving
 * (joined before the slot is used again, or by ak_pipeline_free()). */
enum { W_NONE, W_RUNNING, W_EXITING };

/*
 * Threads start with the jobs, not with the pipeline: one more when a job comes and no
 * thread is waiting for one, up to the number asked for. One that has had nothing to do for
 * this long stops, its state freed, until jobs come again: a program holding many pipelines
 * that sit idle (a thousand open writers, say) holds no threads for them.
 */
#define IDLE_NS 500000000LL

struct wslot {
	struct ak_pipeline *p;
	pthread_t tid;
	int state;
};

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
	struct wslot *slots;              /* want of them */
	unsigned want;                    /* threads asked for; 0: jobs run as handed in */
	unsigned live;                    /* slots W_RUNNING */
	unsigned waiting;                 /* of them, waiting for a job */
	long long idle_ns;
	void *inline_state;               /* the worker state for jobs run on the caller's thread */
	int inline_ready;
};

/* @since plus @ns, on the clock the condition variable waits by. */
static struct timespec after(struct timespec since, long long ns)
{
	ns += since.tv_nsec;
	since.tv_sec += (time_t)(ns / 1000000000LL);
	since.tv_nsec = (long)(ns % 1000000000LL);
	return since;
}

static void *worker(void *arg)
{
	struct wslot *w = arg;
	struct ak_pipeline *p = w->p;
	void *ws = p->ops->worker_init ? p->ops->worker_init(p->ctx) : NULL;
	struct timespec since, until;
	int rc;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &since);
		while (!p->quit && p->ntaken == p->nsub) {
			/* (idle_ns read again after every wake-up: ak_pipeline_set_idle()) */
			until = after(since, p->idle_ns);
			p->waiting++;
			rc = pthread_cond_timedwait(&p->cv, &p->mu, &until);
			p->waiting--;
			if (rc == ETIMEDOUT && !p->quit && p->ntaken == p->nsub) {
				/* idle: leave, and let a job start a thread again */
				w->state = W_EXITING;
				p->live--;
				goto out;
			}
		}
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
out:
	pthread_mutex_unlock(&p->mu);
	/* nothing of @p's but ops and ctx from here, which outlive the thread: it is joined
	 * before the pipeline is freed */
	if (p->ops->worker_fini)
		p->ops->worker_fini(p->ctx, ws);
	return NULL;
}

/* Start one more thread, in a free slot; the lock is held. A slot whose thread has left is
 * joined first (that thread no longer needs the lock). Failing is fine: fewer threads. */
static void start_worker(struct ak_pipeline *p)
{
	for (unsigned i = 0; i < p->want; i++) {
		struct wslot *w = &p->slots[i];

		if (w->state == W_RUNNING)
			continue;
		if (w->state == W_EXITING) {
			pthread_join(w->tid, NULL);
			w->state = W_NONE;
		}
		if (pthread_create(&w->tid, NULL, worker, w) == 0) {
			w->state = W_RUNNING;
			p->live++;
		}
		return;
	}
}

struct ak_pipeline *ak_pipeline_new(unsigned threads, void *const *jobs, unsigned njobs,
				    const struct ak_pipeline_ops *ops, void *ctx,
				    struct ak_error *err)
{
	struct ak_pipeline *p = calloc(1, sizeof(*p));
	pthread_condattr_t ca;

	if (!p || !njobs || !(p->jobs = calloc(njobs, sizeof(*p->jobs))) ||
	    !(p->state = calloc(njobs, 1)) ||
	    (threads > 1 && !(p->slots = calloc(threads, sizeof(*p->slots))))) {
		if (p) {
			free(p->jobs);
			free(p->state);
		}
		free(p);
		ak_fail(err, njobs ? AK_E_NOMEM : AK_E_ARG, njobs ? "out of memory" : "no jobs");
		return NULL;
	}
	for (unsigned i = 0; i < njobs; i++)
		p->jobs[i] = jobs[i];
	p->njobs = njobs;
	p->ops = ops;
	p->ctx = ctx;
	p->idle_ns = IDLE_NS;
	if (threads > 1) {
		p->want = threads;
		for (unsigned i = 0; i < threads; i++)
			p->slots[i].p = p;
	}
	pthread_mutex_init(&p->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&p->cv, &ca);
	pthread_condattr_destroy(&ca);
	return p;
}

void ak_pipeline_set_idle(struct ak_pipeline *p, long long ns)
{
	pthread_mutex_lock(&p->mu);
	p->idle_ns = ns;
	pthread_cond_broadcast(&p->cv); /* the idle threads measure by the new time */
	pthread_mutex_unlock(&p->mu);
}

unsigned ak_pipeline_threads(struct ak_pipeline *p)
{
	unsigned n;

	pthread_mutex_lock(&p->mu);
	n = p->live;
	pthread_mutex_unlock(&p->mu);
	return n;
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

	if (p->want) {
		pthread_mutex_lock(&p->mu);
		/* a thread more only when none waits for work: as many as the jobs keep busy */
		if (!p->waiting && p->live < p->want)
			start_worker(p);
		if (p->live) {
			p->state[i] = J_READY;
			p->nsub++;
			pthread_cond_broadcast(&p->cv);
			pthread_mutex_unlock(&p->mu);
			return;
		}
		/* no thread could be started, so none is at work: the job runs here */
		pthread_mutex_unlock(&p->mu);
	}
	if (!p->inline_ready) {
		p->inline_state = p->ops->worker_init ? p->ops->worker_init(p->ctx) : NULL;
		p->inline_ready = 1;
	}
	p->ops->run(p->ctx, p->inline_state, job);
	pthread_mutex_lock(&p->mu);
	p->state[i] = J_DONE;
	p->nsub++;
	p->ntaken++;
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
	for (unsigned i = 0; i < p->want; i++)
		if (p->slots[i].state != W_NONE)
			pthread_join(p->slots[i].tid, NULL);
	if (p->inline_ready && p->ops->worker_fini)
		p->ops->worker_fini(p->ctx, p->inline_state);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	free(p->slots);
	free(p->state);
	free(p->jobs);
	free(p);
}
