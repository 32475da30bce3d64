/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared pieces of the command-line program: the command table, option parsing that also
 * renders --help, messages and exit codes, and file handling (standard input and output,
 * atomic output files, quiet SIGPIPE).
 */
#ifndef AK_CLI_H
#define AK_CLI_H

#include <getopt.h>
#include <stdint.h>

#include "ak.h"

enum cli_exit {
	CLI_EXIT_OK = 0,    /* success */
	CLI_EXIT_DATA = 1,  /* bad data, or a file that cannot be read or written */
	CLI_EXIT_USAGE = 2, /* the command line was wrong */
};

/* ---- commands (commands.c) ---- */

struct cli_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

const struct cli_command *cli_command_list(void); /* ends with a NULL name */
const struct cli_command *cli_command_find(const char *name);

int cmd_blocks(int argc, char **argv);
int cmd_canonical(int argc, char **argv);
int cmd_cat(int argc, char **argv);
int cmd_checkschema(int argc, char **argv);
int cmd_compatible(int argc, char **argv);
int cmd_concat(int argc, char **argv);
int cmd_count(int argc, char **argv);
int cmd_fingerprint(int argc, char **argv);
int cmd_fragtojson(int argc, char **argv);
int cmd_fromjson(int argc, char **argv);
int cmd_fromtext(int argc, char **argv);
int cmd_getmeta(int argc, char **argv);
int cmd_infer(int argc, char **argv);
int cmd_jsontofrag(int argc, char **argv);
int cmd_recodec(int argc, char **argv);
int cmd_repair(int argc, char **argv);
int cmd_splits(int argc, char **argv);
int cmd_getschema(int argc, char **argv);
int cmd_random(int argc, char **argv);
int cmd_idl(int argc, char **argv);
int cmd_idl2schemata(int argc, char **argv);
int cmd_tojson(int argc, char **argv);
int cmd_totext(int argc, char **argv);

/* ---- options (opt.c) ---- */

struct cli_option {
	const char *name;  /* long name, without the dashes */
	int key;           /* short letter, or a value from 256 up for long-only options */
	const char *arg;   /* argument name for --help, or NULL when it takes none */
	const char *help;
};

#define CLI_OPT_MAX 40

struct cli_opts {
	const char *cmd;
	const char *usage;   /* "[OPTION]... [FILE]..." */
	const char *summary; /* one paragraph for --help */
	const struct cli_option *opts;
	int argc;
	char **argv;
	const char *arg;     /* the current option's argument */
	int exit_code;       /* set when cli_opts_next() returns CLI_OPT_EXIT */
	struct option longopts[CLI_OPT_MAX + 3];
	char shortopts[3 * CLI_OPT_MAX + 4];
};

#define CLI_OPT_END (-1)
#define CLI_OPT_EXIT (-2) /* --help was printed (exit 0) or a usage error (exit 2) */

void cli_opts_init(struct cli_opts *o, const char *cmd, const char *usage, const char *summary,
		   const struct cli_option *opts, int argc, char **argv);
/* The next option's key, CLI_OPT_END after the last, or CLI_OPT_EXIT (see o->exit_code). */
int cli_opts_next(struct cli_opts *o);
/* Operands left after the options. */
int cli_opts_rest(const struct cli_opts *o, char ***rest);

/* Parse o->arg (the argument of option @key) as a number in [min, max]. On a bad value prints
 * a usage error, sets o->exit_code and returns -1. */
int cli_opt_u64(struct cli_opts *o, int key, uint64_t min, uint64_t max, uint64_t *out);
/* Parse o->arg as --block-size's SIZE (1 byte to 1G, K, M and G suffixes). As above. */
int cli_opt_block_size(struct cli_opts *o, size_t *out);
/* The operands [INPUT [OUTPUT]] of a command that also takes -o FILE (@outpath, NULL when
 * not given): *@inpath and *@outpath set from them. CLI_EXIT_OK, or the usage error's exit
 * status (printed) for more than two operands or an output given both ways. */
int cli_in_out_operands(const char *cmd, char **rest, int n, const char **inpath,
			const char **outpath);

/* ---- messages (report.c) ---- */

/* "avrokit CMD: INPUT: message" from @err (INPUT omitted when NULL). */
void cli_report(const char *cmd, const char *input, const struct ak_error *err);
/* Set once a write error on standard output has been reported (main() then does not report
 * it again when it flushes). */
extern int cli_stdout_reported;

/* "avrokit CMD: message" */
void cli_msg(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print "avrokit CMD: message" and a hint to try --help; returns CLI_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- files (files.c) ---- */

struct cli_input {
	const char *name;     /* for messages */
	int fd;
	int owned;
	struct ak_source src;
};

/* Open @path for reading; NULL or "-" is standard input. */
int cli_input_open(struct cli_input *in, const char *path, struct ak_error *err);
/* When standard input is a terminal, say on standard error that @cmd reads @what ("an Avro
 * data file") from it, and how to stop: a person who typed the command without a FILE
 * would otherwise wait in silence. */
void cli_tty_input_hint(const char *cmd, const char *what);
void cli_input_close(struct cli_input *in);

struct cli_output {
	const char *path;     /* NULL for standard output */
	char *tmp;            /* temporary file beside path, renamed on success */
	int fd;
	int owned;            /* fd opened here on a non-regular file (closed at finish) */
	struct ak_sink sink;
	struct ak_out out;
};

/*
 * Open the output: standard output when @path is NULL or "-", else a temporary file in the
 * same directory that cli_output_finish() renames over @path. @inputs (may be NULL) are the
 * input paths; writing to one of them is refused.
 */
int cli_output_open(struct cli_output *o, const char *path, char **inputs, int ninputs,
		    struct ak_error *err);
/* Flush; on success rename into place. On failure (or @ok false) remove the temporary file
 * and leave any existing file as it was. Returns AK_OK or an error in @err. */
int cli_output_finish(struct cli_output *o, int ok, struct ak_error *err);

/*
 * Commands that write an Avro data file call this before anything else: when the output is
 * standard output (@outpath NULL or "-") and that is a terminal, print a usage error naming
 * -o and return CLI_EXIT_USAGE (binary data on a screen helps nobody and can upset the
 * terminal, so gzip and zstd refuse too); else CLI_EXIT_OK.
 */
int cli_refuse_tty(const char *cmd, const char *outpath);

/*
 * Open each named input of @files (standard input, "-" or NULL, aside) and close it again, so
 * that a missing or unreadable input fails before any output is written. (They are not kept
 * open: a command may be given more inputs than it may have descriptors.) Returns AK_OK, or
 * the error with *@bad naming the input; when that is the last of several operands, does not
 * exist and no output file was given (@outpath NULL), the message says that the output is
 * given with -o, as avro-tools users put the output last.
 */
int cli_inputs_check(char **files, int nfiles, const char *outpath, const char **bad,
		     struct ak_error *err);

/* A source that gives back the @len bytes at @pre (already read, borrowed) first, then reads
 * on from @next. */
struct cli_prefixed {
	const unsigned char *pre;
	size_t len, pos;
	struct ak_source *next;
	int eof; /* @next has ended already: not read again (a terminal would wait for more) */
};

ssize_t cli_prefixed_read(void *ctx, void *buf, size_t n);

/*
 * Load a schema from @path: a schema file (JSON), or an Avro data file, whose header holds its
 * writer schema (told apart by the magic bytes; standard input works for both). NULL with @err.
 */
struct ak_schema *cli_schema_load(const char *path, struct ak_error *err);
/* The text of that schema, NUL-terminated (free() it), its length in @len. NULL with @err. */
char *cli_schema_text(const char *path, size_t *len, struct ak_error *err);

/* A schema text read from a file, for cli_schema_parse(). At most CLI_MAX_SCHEMA_FILES make
 * one schema. */
#define CLI_MAX_SCHEMA_FILES 256

struct cli_schema_src {
	char *text;       /* NUL-terminated, malloc'd */
	size_t len;
	const char *name; /* the path, or "(standard input)" */
	int is_data;      /* it is the header schema of a data file */
};

/* Read @path (a schema or a data file) into @src. AK_OK, or an error in @err. */
int cli_schema_read(struct cli_schema_src *src, const char *path, struct ak_error *err);
void cli_schema_src_release(struct cli_schema_src *src);

/* With CLI_SCHEMA_DATA_LENIENT, a data file's schema given alone is read as the file's readers
 * read it (AK_SCHEMA_LENIENT): for commands that only look at a file's schema. */
#define CLI_SCHEMA_DATA_LENIENT (1u << 16)

/*
 * Parse the schema made of @n texts: one, or several whose named types refer to each other in
 * any order, the last being the schema (ak_schema_parse_many()). @flags: enum ak_schema_flags,
 * and CLI_SCHEMA_DATA_LENIENT. NULL with @err; with several texts its message starts with
 * the name of the file at fault.
 */
struct ak_schema *cli_schema_parse(const struct cli_schema_src *srcs, size_t n, unsigned flags,
				   struct ak_error *err);

/*
 * cli_schema_read() each of @paths, then cli_schema_parse(). NULL with @err; *@errname is then
 * the name to report it under (NULL when the message names the file already).
 */
struct ak_schema *cli_schema_load_many(char *const *paths, size_t n, unsigned flags,
				       const char **errname, struct ak_error *err);

/* Schema files given by a repeatable option (--schema-file, --import, ...). */
struct cli_schema_paths {
	char *v[CLI_MAX_SCHEMA_FILES];
	size_t n;
};

/* Add o->arg to @p; 0, or -1 after a usage error (too many) in o->exit_code. */
int cli_schema_paths_add(struct cli_opts *o, struct cli_schema_paths *p);

/*
 * The --import option of the commands whose operands are schemas (checkschema, canonical,
 * fingerprint): @imports read once (cli_schema_read_imports()), then each operand parsed after
 * them with cli_schema_load_with(). Errors as in cli_schema_load_many().
 */
#define CLI_OPTION_IMPORT(key)                                                                   \
	{ "import", key, "FILE",                                                                 \
	  "a schema file whose named types the schemas may use (repeatable; files may refer "    \
	  "to each other's types, in any order)" }
int cli_schema_read_imports(struct cli_schema_src *srcs, const struct cli_schema_paths *p,
			    const char **errname, struct ak_error *err);
struct ak_schema *cli_schema_load_with(const struct cli_schema_src *imports, size_t nimports,
				       const char *path, unsigned flags, const char **errname,
				       struct ak_error *err);

/*
 * canonical and fingerprint: each of the @nfiles FILE operands (none: standard input) is a
 * schema, or a data file whose schema is read as its readers read it, parsed after
 * @imports; @line appends the output line for its Parsing Canonical Form @pcf (@name: the
 * operand as given, "-" for standard input) to @b. As sha256sum does, the good inputs'
 * lines are printed even when another input is bad, but a file named by @outpath is written
 * only when all are good. Every failure is reported under @cmd's name; returns the exit
 * status.
 */
typedef int (*cli_canonical_line_fn)(void *ctx, const char *pcf, const char *name,
				     struct ak_buf *b, struct ak_error *err);
int cli_canonical_each(const char *cmd, char **files, int nfiles,
		       const struct cli_schema_paths *imports, const char *outpath,
		       cli_canonical_line_fn line, void *ctx);
/* ---- Avro IDL files (idl_load.c) ---- */

/*
 * Parse the IDL file @path (NULL or "-": standard input), its imports found next to the file
 * that imports them, then in @dirs. NULL with @err ("FILE:LINE:COL: what" in its message).
 */
struct ak_idl *cli_idl_load(const char *path, char **dirs, size_t ndirs, struct ak_error *err);
/* The same for IDL text already read (@text is malloc'd and taken, also on failure); @id
 * names the file when @has_id; @max limits the bytes of all files (0: the core's default). */
struct ak_idl *cli_idl_parse(const char *path, char *text, size_t len, int has_id,
			     const uint64_t id[2], char **dirs, size_t ndirs, size_t max,
			     struct ak_error *err);
/* Print the parse's warnings: "avrokit CMD: FILE:LINE:COL: warning: what". */
void cli_idl_warnings(const char *cmd, const struct ak_idl *idl);
/* Is a schema file Avro IDL rather than JSON: a name ending in .avdl, or text (@head, its
 * first @n bytes) that starts with something other than {, [ or " (after blanks)? */
int cli_is_idl(const char *path, const unsigned char *head, size_t n);

/* The options shared by the commands that write a data file (fromjson, cat, concat, recodec):
 * their keys are the same in every command's option table. */
#define CLI_KEY_CODEC 'c'
#define CLI_KEY_LEVEL 'l'
#define CLI_KEY_SYNC 0x200

struct cli_write_args {
	const char *codec; /* NULL: the command's default */
	uint64_t level;
	int have_level;
	int have_sync;     /* wo->sync was set from --sync-marker */
};

/* Handle option @key when it is one of those: 1 when handled, 0 when it is not one of them,
 * -1 on a bad value (a usage error is printed and o->exit_code set). */
int cli_write_option(struct cli_opts *o, int key, struct cli_write_args *a,
		     struct ak_writer_config *wo);

/* --meta KEY=VALUE of the commands that write a data file (fromjson, fromtext): add o->arg
 * to @meta, which holds *@n of at most @max entries. The key may not be empty, start with
 * "avro." or be given twice. 0, or -1 after a usage error in o->exit_code. The entry points
 * into o->arg, whose '=' becomes the key's end (argv is the command's to edit). */
int cli_meta_option(struct cli_opts *o, struct ak_meta_entry *meta, size_t *n, size_t max);

/* Parse 32 hex digits into a sync marker; 0 or -1. */
int cli_parse_sync(const char *hex, unsigned char sync[AK_SYNC_SIZE]);
/* Parse a size with an optional K, M or G suffix, from 1 byte to 1G; 0 or -1. */
int cli_parse_size(const char *s, size_t *out);
/* The same from @min to @max bytes. */
int cli_parse_size_range(const char *s, size_t min, size_t max, size_t *out);
/* A random sync marker (getrandom). */
int cli_random_sync(unsigned char sync[AK_SYNC_SIZE], struct ak_error *err);
/* Check --codec and --level and fill wo->codec and wo->level. Returns CLI_EXIT_OK, or prints
 * the problem and returns the exit status. */
int cli_pick_codec(const char *cmd, const char *name, int have_level, uint64_t level,
		   struct ak_writer_config *wo);

/* An input opened as an Avro data file. */
struct cli_avro_in {
	struct cli_input in;
	struct ak_reader *r;
};

int cli_avro_open(struct cli_avro_in *a, const char *path, struct ak_error *err);
void cli_avro_close(struct cli_avro_in *a);

/* AK_OK when the two files have the same schema (same text, or same canonical form), else an
 * error naming both files and where the canonical forms first differ. */
int cli_same_schema(const struct ak_reader *a, const char *aname, const struct ak_reader *b,
		    const char *bname, struct ak_error *err);

/* The metadata entries of @r that are not reserved ("avro.*"), at most @max. */
size_t cli_user_meta(const struct ak_reader *r, struct ak_meta_entry *out, size_t max);

#define CLI_MAX_META 256

/* Did @err come from writing the output (the core's "write error" messages)? Messages then
 * name the output, not the input being read. */
int cli_is_write_error(const struct ak_error *err);

/*
 * Read limits for every command: the defaults of ak_limits_default(), changed by the options
 * below. Commands that read data files put CLI_OPTIONS_LIMITS (blocks and metadata) or
 * CLI_OPTION_MAX_HEADER (metadata only: commands that read just the header) in their option
 * table; cli_opts_next() handles them, the command never sees their keys.
 */
extern const struct ak_limits *cli_limits;

#define CLI_KEY_MAX_BLOCK 0x7f00
#define CLI_KEY_MAX_HEADER 0x7f01
#define CLI_OPTION_MAX_BLOCK                                                                     \
	{ "max-block-size", CLI_KEY_MAX_BLOCK, "SIZE",                                           \
	  "refuse a block larger than SIZE, as stored or decompressed (default 512M)" }
#define CLI_OPTION_MAX_HEADER                                                                    \
	{ "max-header-size", CLI_KEY_MAX_HEADER, "SIZE",                                         \
	  "refuse a header whose metadata is larger than SIZE (default 64M)" }
#define CLI_OPTIONS_LIMITS CLI_OPTION_MAX_BLOCK, CLI_OPTION_MAX_HEADER
/* Smallest and largest values of the limit options. */
#define CLI_LIMIT_MIN ((size_t)1 << 10)
#define CLI_LIMIT_MAX ((size_t)1 << 36)

/* Handle a limit option (key and argument); 0, or -1 after a usage error in o->exit_code. */
int cli_limit_option(struct cli_opts *o, int key);

/* ---- schema inference (cmd_infer.c), shared with fromjson --infer ---- */

/* The inference options have the same keys in infer's and fromjson's option tables. */
#define CLI_KEY_INFER_NAME 'n'
#define CLI_KEY_INFER_NAMESPACE 0x300
#define CLI_KEY_INFER_LOGICAL 0x301
#define CLI_KEY_INFER_MAX_FIELDS 0x302

/* Handle option @key when it is one of those: 1 when handled, 0 when not one of them, -1 on a
 * bad value (a usage error printed, o->exit_code set). */
int cli_infer_option(struct cli_opts *o, int key, struct ak_infer_opts *io);
/* Add every JSON value of @files (NULL or "-": standard input) to @inf; *@errname gets the
 * name of the input an error is about. */
int cli_infer_inputs(struct ak_infer *inf, char **files, int nfiles, int array,
		     const char **errname, struct ak_error *err);
/* Print the inferer's notes as "avrokit CMD: note: ...". */
void cli_infer_notes(const char *cmd, const struct ak_infer *inf);
/* ---- progress on standard error (progress.c) ---- */

enum cli_progress_mode {
	CLI_PROGRESS_AUTO, /* on a terminal, when the output does not go to it too */
	CLI_PROGRESS_ON,   /* --progress: always, a plain line a second when not a terminal */
	CLI_PROGRESS_OFF,  /* --quiet */
};

/* The options of the commands that show progress; cli_progress_option() handles their keys
 * (the last one given wins). */
#define CLI_KEY_PROGRESS 0x7f02
#define CLI_KEY_QUIET 'q'
#define CLI_OPTION_PROGRESS                                                                      \
	{ "progress", CLI_KEY_PROGRESS, NULL,                                                    \
	  "show progress on standard error even when it is not a terminal" }
#define CLI_OPTION_QUIET { "quiet", CLI_KEY_QUIET, NULL, "show no progress" }

/* 1 when @key is --progress or --quiet (and notes it), else 0. */
int cli_progress_option(int key);

struct cli_progress {
	int on;               /* showing: the rest matters only then */
	int tty, forced, shown;
	const char *cmd;
	uint64_t records;     /* done so far, added by the command */
	uint64_t bytes;       /* of input read so far */
	uint64_t total;       /* bytes of all the inputs when known (regular files), else 0 */
	/* when set, called for the record count instead of reading @records (fromjson: the
	 * writer counts the records) */
	uint64_t (*records_fn)(void *ctx);
	void *records_ctx;
	long long start, next; /* ns: when it started, when the next line may be printed */
};

/* A records_fn for a command whose writer counts the records: @ctx is the ak_writer. */
uint64_t cli_writer_records(void *ctx);

/* Decide whether @p shows (see progress.c) for command @cmd reading @inputs (NULL or "-" is
 * standard input; their sizes give a percentage) and writing to standard output when
 * @output_is_stdout. */
void cli_progress_start(struct cli_progress *p, const char *cmd, char **inputs, int ninputs,
			int output_is_stdout);
/* Print the line if it is time to (called by cli_progress_add and the like). */
void cli_progress_show(struct cli_progress *p);
/* At a block boundary: @records and @bytes more are done. Costs a test when off, a clock
 * read when on. */
static inline void cli_progress_add(struct cli_progress *p, uint64_t records, uint64_t bytes)
{
	if (p->on) {
		p->records += records;
		p->bytes += bytes;
		cli_progress_show(p);
	}
}
/* The same with the totals so far. */
static inline void cli_progress_at(struct cli_progress *p, uint64_t records, uint64_t bytes)
{
	if (p->on) {
		p->records = records;
		p->bytes = bytes;
		cli_progress_show(p);
	}
}
/* Done (@ok: successfully): erase the line on a terminal, print the totals elsewhere. Does
 * nothing when @p is off. */
void cli_progress_end(struct cli_progress *p, int ok);
/* Erase the line on the terminal before a message (report.c calls it). */
void cli_progress_interrupt(void);

#endif /* AK_CLI_H */
