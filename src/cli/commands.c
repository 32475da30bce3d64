/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include "cli.h"

/* Sorted by name; `avrokit --help` prints them in this order. */
static const struct cli_command commands[] = {
	{ "blocks", cmd_blocks, "describe the blocks of a data file" },
	{ "canonical", cmd_canonical, "print a schema in Parsing Canonical Form" },
	{ "cat", cmd_cat, "copy records, or a sample of them, into a new data file" },
	{ "checkschema", cmd_checkschema, "check that schemas are valid" },
	{ "compatible", cmd_compatible, "check that a reader schema can read a writer's data" },
	{ "concat", cmd_concat, "join data files with the same schema, copying blocks" },
	{ "count", cmd_count, "count the records in data files (from block headers)" },
	{ "fingerprint", cmd_fingerprint, "print schema fingerprints (CRC-64-AVRO, MD5, SHA-256)" },
	{ "fragtojson", cmd_fragtojson, "print Avro binary datums (fragments) as JSON" },
	{ "fromjson", cmd_fromjson, "write a data file from JSON records" },
	{ "fromtext", cmd_fromtext, "write lines of text as a data file of bytes records" },
	{ "getmeta", cmd_getmeta, "print the metadata of a data file" },
	{ "getschema", cmd_getschema, "print the schema of a data file" },
	{ "idl", cmd_idl, "turn an Avro IDL file into a JSON protocol or schema" },
	{ "idl2schemata", cmd_idl2schemata, "write each type of an Avro IDL file as a schema file" },
	{ "infer", cmd_infer, "print a schema that JSON records fit, inferred from them" },
	{ "jsontofrag", cmd_jsontofrag, "write JSON values as Avro binary datums (fragments)" },
	{ "random", cmd_random, "write a data file of random records for a schema" },
	{ "recodec", cmd_recodec, "rewrite a data file with another codec" },
	{ "repair", cmd_repair, "recover the readable records of a damaged data file" },
	{ "splits", cmd_splits, "print byte ranges that split data files for parallel workers" },
	{ "tojson", cmd_tojson, "print the records of data files as JSON, one per line" },
	{ "totext", cmd_totext, "print the records of a data file of bytes as lines of text" },
	{ NULL, NULL, NULL },
};

const struct cli_command *cli_command_list(void)
{
	return commands;
}

const struct cli_command *cli_command_find(const char *name)
{
	for (const struct cli_command *c = commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}
