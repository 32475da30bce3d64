/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Datums outside container files, for the commands: the options that read and write streams
 * of messages (tojson --datums/--framing, fromjson --framing, fragtojson, jsontofrag), the
 * schemas they are read with (found by fingerprint or id among --schema-file and --schema-dir),
 * and the loops that turn messages into JSON lines and JSON values into messages, over the
 * library's ak_stream_reader and ak_stream_writer.
 */
#ifndef AK_CLI_DATUMS_H
#define AK_CLI_DATUMS_H

#include "cli.h"

/* Option keys; the same in every command's table. */
#define CLI_KEY_DATUMS 0x500
#define CLI_KEY_FRAMING 0x501
#define CLI_KEY_LENGTH_PREFIX 0x502
#define CLI_KEY_SCHEMA_ID 0x503
#define CLI_KEY_SCHEMA_DIR 0x504
#define CLI_KEY_DATUM_SCHEMA 0x505
#define CLI_KEY_DATUM_SCHEMA_FILE 0x506

#define CLI_OPTION_DATUMS                                                                        \
	{ "datums", CLI_KEY_DATUMS, NULL,                                                        \
	  "the input is Avro datums one after the other, not a data file (--framing none)" }
#define CLI_OPTION_FRAMING_READ                                                                  \
	{ "framing", CLI_KEY_FRAMING, "NAME",                                                    \
	  "the input is messages of one datum each: none (bare datums), single-object (C3 01 "   \
	  "and the schema's CRC-64-AVRO fingerprint before each) or confluent (00 and a 4-byte " \
	  "schema id)" }
#define CLI_OPTION_FRAMING_WRITE                                                                 \
	{ "framing", CLI_KEY_FRAMING, "NAME",                                                    \
	  "write one message per record instead of a data file: none (bare datums), "            \
	  "single-object (C3 01 and the schema's CRC-64-AVRO fingerprint before each) or "       \
	  "confluent (00 and the --schema-id, 4 bytes)" }
#define CLI_OPTION_LENGTH_PREFIX                                                                 \
	{ "length-prefix", CLI_KEY_LENGTH_PREFIX, "FORM",                                        \
	  "each message comes after its length: 4be (4 bytes, big-endian), varint (zig-zag, as " \
	  "Avro writes a long) or uvarint (unsigned, as protobuf); default none" }
#define CLI_OPTION_SCHEMA_ID_READ                                                                \
	{ "schema-id", CLI_KEY_SCHEMA_ID, "ID",                                                  \
	  "with --framing confluent, the schema id of the one schema given (default: files "     \
	  "named ID.avsc have that id; a single schema without one reads every id)" }
#define CLI_OPTION_SCHEMA_ID_WRITE                                                               \
	{ "schema-id", CLI_KEY_SCHEMA_ID, "ID",                                                  \
	  "with --framing confluent, the schema's registry id (0 to 4294967295)" }
#define CLI_OPTION_SCHEMA_DIR                                                                    \
	{ "schema-dir", CLI_KEY_SCHEMA_DIR, "DIR",                                               \
	  "with --framing, look the messages' schemas up in DIR: by fingerprint among its .avsc " \
	  "files (single-object), by id among its files named ID.avsc (confluent); repeatable" }
#define CLI_OPTION_DATUM_SCHEMA                                                                  \
	{ "schema", CLI_KEY_DATUM_SCHEMA, "JSON",                                                \
	  "with --datums or --framing, the writer schema, as JSON text" }
#define CLI_OPTION_DATUM_SCHEMA_FILE                                                             \
	{ "schema-file", CLI_KEY_DATUM_SCHEMA_FILE, "FILE",                                      \
	  "with --datums or --framing, a writer schema (a schema, IDL or data file); repeatable: " \
	  "with --framing single-object or confluent each is one schema, found by fingerprint " \
	  "or id, else the last is the schema and the others hold named types it uses" }

#define CLI_OPTION_DATUMS_WRITE                                                                  \
	{ "datums", CLI_KEY_DATUMS, NULL,                                                        \
	  "write bare datums one after the other, not a data file (--framing none)" }

/* The options of tojson and fromjson, in their tables. */
#define CLI_OPTIONS_DATUMS_READ                                                                  \
	CLI_OPTION_DATUMS, CLI_OPTION_FRAMING_READ, CLI_OPTION_LENGTH_PREFIX,                    \
		CLI_OPTION_DATUM_SCHEMA, CLI_OPTION_DATUM_SCHEMA_FILE, CLI_OPTION_SCHEMA_DIR,    \
		CLI_OPTION_SCHEMA_ID_READ
#define CLI_OPTIONS_DATUMS_WRITE                                                                 \
	CLI_OPTION_DATUMS_WRITE, CLI_OPTION_FRAMING_WRITE, CLI_OPTION_LENGTH_PREFIX,             \
		CLI_OPTION_SCHEMA_ID_WRITE

/* What those options said. */
#define CLI_MAX_SCHEMA_DIRS 64

struct cli_datums {
	int active;                   /* --datums or --framing: messages, not a data file */
	int datums;                   /* --datums given */
	int given;                    /* the option given first that needs them (a key) */
	unsigned framing;             /* enum ak_framing */
	unsigned length_prefix;       /* enum ak_length_prefix */
	int64_t schema_id;            /* --schema-id, or -1 */
	const char *schema_text;      /* --schema */
	struct cli_schema_paths files;
	char *dirs[CLI_MAX_SCHEMA_DIRS];
	size_t ndirs;
};

void cli_datums_init(struct cli_datums *d);

/* Handle option @key when it is one of those: 1 when handled, 0 when not one of them, -1 on a
 * bad value (a usage error printed, o->exit_code set). */
int cli_datums_option(struct cli_opts *o, int key, struct cli_datums *d);

/* After the options: a usage error (its exit status) when an option that needs --datums or
 * --framing came without them, or the options do not fit together; else CLI_EXIT_OK. @write:
 * for a command that writes messages. */
int cli_datums_check(const char *cmd, const struct cli_datums *d, int write);

/* What tojson and fragtojson ask for. */
struct cli_datums_read {
	const char *cmd;
	const struct ak_schema *schema; /* bare datums of this schema, or NULL: per the options */
	unsigned json_flags;
	const struct ak_schema *reader;
	uint64_t limit;            /* AK_NO_POS: none */
	unsigned threads;
	uint64_t max_message;      /* 0: the library's default */
	const char *outpath;
	char **files;
	int nfiles;
};

/* Print every message of the inputs as JSON lines. Returns the exit status (messages
 * printed). */
int cli_datums_to_json(const struct cli_datums *d, const struct cli_datums_read *a);

/* Write every JSON value of the inputs as a message of @schema (fromjson, jsontofrag). Returns
 * the exit status. */
int cli_datums_from_json(const char *cmd, const struct cli_datums *d,
			 const struct ak_schema *schema, unsigned json_flags, const char *outpath,
			 char **files, int nfiles);

/*
 * The schema of fragtojson and jsontofrag, given as avro-tools takes it: --schema-file (the
 * files of one schema), --schema, or else the first operand, which is then taken off
 * *@files. @flags: enum ak_schema_flags. NULL after printing the problem, with *@exit set.
 */
struct ak_schema *cli_datums_fragment_schema(const char *cmd, const struct cli_datums *d,
					     char ***files, int *nfiles, unsigned flags,
					     int *exit);

#endif /* AK_CLI_DATUMS_H */
