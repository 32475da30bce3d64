/* SPDX-License-Identifier: Apache-2.0 */
/*
 * avrokit core: the one header the command-line tool, the tests and the fuzzers include.
 *
 * Data flows one way: a struct ak_source -> container reader (header, blocks, sync check) ->
 * codec (decompress a block) -> decoder (walks the block with a plan compiled from the schema)
 * -> JSON writer -> struct ak_out -> struct ak_sink. The core never prints, never exits and
 * keeps no global state; errors come back as status codes with a struct ak_error.
 */
#ifndef AK_H
#define AK_H

#include "buf.h"
#include "codec.h"
#include "container.h"
#include "decode.h"
#include "default.h"
#include "encode.h"
#include "encoder.h"
#include "error.h"
#include "fingerprint.h"
#include "infer.h"
#include "idl.h"
#include "idl_lex.h"
#include "io.h"
#include "json_in.h"
#include "json_out.h"
#include "plain.h"
#include "plan.h"
#include "random.h"
#include "schema.h"
#include "text.h"
#include "stream.h"
#include "varint.h"

#endif /* AK_H */
