/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Streams of datums (avrokit.h's ak_stream_reader and ak_stream_writer, stream.c): what the
 * tests and the fuzzer need that the public API does not show.
 */
#ifndef AK_STREAM_H
#define AK_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "avrokit.h"

/* ak_stream_to_json() starts its threads after @after bytes of input (default 1 MiB), so that
 * small inputs pay for no thread, and hands them batches of @batch bytes of messages (default
 * 128 KiB; 0 keeps it). The tests and the fuzzer start them at once, with small batches, so
 * that short inputs take every path. */
void ak_stream_reader_tune(struct ak_stream_reader *r, uint64_t after, size_t batch);

#endif /* AK_STREAM_H */
