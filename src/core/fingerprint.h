/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Schema fingerprints: CRC-64-AVRO (the Rabin fingerprint the specification defines, used by
 * single-object encoding), MD5 and SHA-256. They are taken over a schema's Parsing Canonical
 * Form (ak_schema_canonical()).
 */
#ifndef AK_FINGERPRINT_H
#define AK_FINGERPRINT_H

#include <stddef.h>
#include <stdint.h>

#include "avrokit.h"

/* CRC-64-AVRO of @len bytes. The fingerprint of no bytes is 0xc15d213aa4d7a795. */
uint64_t ak_crc64_avro(const void *p, size_t len);

void ak_md5(const void *p, size_t len, unsigned char out[16]);
void ak_sha256(const void *p, size_t len, unsigned char out[32]);

#endif /* AK_FINGERPRINT_H */
