/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Streams of datums (avrokit.h's ak_stream_reader and ak_stream_writer, stream.c): what the
 * tests and the fuzzer need that the public API does not show.
 */
#ifndef AK_STREAM_H
#define AK_STREAM_H

#include <stdint.h>

#include "avrokit.h"

/* ak_stream_to_json() starts its threads after this many bytes of input (default 1 MiB), so
 * that small inputs pay for no thread; the tests and the fuzzer start them at once (0). */
void ak_stream_reader_threads_after(struct ak_stream_reader *r, uint64_t bytes);

#endif /* AK_STREAM_H */
