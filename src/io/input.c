/* Document sources: files, directories (recursive, sorted by path), stdin and
 * JSONL streams, with the size limit and the text/binary check (see input.h).
 *
 * DESIGN: a byte source (`src`) is either a file descriptor read through a 64 KiB
 * buffer or a borrowed memory block; whole-text documents and JSONL lines are
 * both read from it, so stdin, files and memory share one code path. Regular
 * files over the limit are rejected from their size alone, before any read. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input.h"

#define SRC_CHUNK (64 * 1024)
#define BINARY_SAMPLE 8192
#define MAX_DIR_DEPTH 64
#define STDIN_NAME "<stdin>"

typedef struct src {
	int fd;           /* -1 for memory */
	const char *data; /* buf (fd) or the memory block */
	char *buf;
	size_t beg, end;  /* unread bytes are data[beg..end) */
	int eof;
} src;

typedef struct walk_entry {
	char *path;
	char *error; /* set when the entry could not be listed */
} walk_entry;

struct ns_input {
	ns_input_opts opts;
	const char *const *paths;
	size_t npaths, ipath;
	walk_entry *files; /* expansion of the current directory argument */
	size_t nfiles, ifile, capfiles;
	/* current JSONL stream */
	int jsonl_on;
	src js;
	char *js_path;
	size_t js_line, js_docs, js_nonblank;
	ns_buf js_acc;
	/* in-memory input */
	const char *mem_name, *mem;
	size_t mem_len;
	int mem_done;
};

/* ---- byte sources ---- */

static int src_fill(src *s, const char *path)
{
	if (s->eof)
		return 0;
	if (s->beg == s->end)
		s->beg = s->end = 0;
	if (s->beg > 0 && s->end == SRC_CHUNK) {
		memmove(s->buf, s->buf + s->beg, s->end - s->beg);
		s->end -= s->beg;
		s->beg = 0;
	}
	for (;;) {
		ssize_t r = read(s->fd, s->buf + s->end, SRC_CHUNK - s->end);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return ns_error__set(NS_EIO, "%s: read error: %s", path, strerror(errno));
		if (r == 0)
			s->eof = 1;
		s->end += (size_t)r;
		return (int)(r > 0);
	}
}

static int src_init_fd(src *s, int fd)
{
	memset(s, 0, sizeof *s);
	s->fd = fd;
	s->buf = ns_malloc(SRC_CHUNK);
	s->data = s->buf;
	return s->buf ? 0 : NS_ENOMEM;
}

static void src_init_mem(src *s, const char *data, size_t len)
{
	memset(s, 0, sizeof *s);
	s->fd = -1;
	s->data = data;
	s->end = len;
	s->eof = 1;
}

static void src_close(src *s)
{
	if (s->fd > STDIN_FILENO)
		close(s->fd);
	free(s->buf);
	memset(s, 0, sizeof *s);
	s->fd = -1;
}

/* Returns the first non-blank byte without consuming anything, -1 at EOF, or ' '
 * when a whole buffer is blank (then it cannot be JSONL-looking anyway). */
static int src_peek_nonblank(src *s, const char *path, int *rc)
{
	*rc = 0;
	for (;;) {
		for (size_t i = s->beg; i < s->end; i++) {
			char c = s->data[i];
			if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
				return (unsigned char)c;
		}
		if (s->eof || s->end == SRC_CHUNK) /* a full buffer of blanks: not JSONL-looking */
			return s->eof ? -1 : ' ';
		int r = src_fill(s, path);
		if (r < 0) {
			*rc = r;
			return -1;
		}
	}
}

/* Reads the rest of the source into a new buffer, refusing more than limit bytes. */
static int src_read_all(src *s, const char *path, size_t limit, char **out, size_t *len)
{
	ns_buf b = NS_BUF_INIT;
	int rc = 0;
	for (;;) {
		size_t n = s->end - s->beg;
		if (limit && b.size + n > limit) {
			rc = ns_error__set(NS_ELIMIT, "%s: document is over the limit of %zu bytes (--max-bytes)",
					   path, limit);
			goto cleanup;
		}
		if (ns_buf_put(&b, s->data + s->beg, n) < 0) {
			rc = NS_ENOMEM;
			goto cleanup;
		}
		s->beg = s->end;
		if (s->eof)
			break;
		rc = src_fill(s, path);
		if (rc < 0)
			goto cleanup;
		rc = 0;
	}
	*out = ns_buf_detach(&b, len);
cleanup:
	ns_buf_free(&b);
	return rc;
}

/* Next line, without its newline and a trailing CR: 1 with *line and *len set (valid until
 * the next call), 0 at EOF, <0 on a read error. A line longer than cap is consumed
 * whole but only flagged (*too_long), not kept. */
static int src_line(src *s, const char *path, ns_buf *acc, size_t cap, const char **line, size_t *len,
		    int *too_long)
{
	ns_buf_clear(acc);
	*too_long = 0;
	int any = 0;
	for (;;) {
		const char *beg = s->data + s->beg;
		const char *nl = memchr(beg, '\n', s->end - s->beg);
		size_t n = nl ? (size_t)(nl - beg) : s->end - s->beg;
		if (n || nl)
			any = 1;
		if (nl && acc->size == 0 && !*too_long) {
			s->beg += n + 1;
			*line = beg;
			*len = n;
			goto strip;
		}
		if (!*too_long) {
			if (cap && acc->size + n > cap) {
				*too_long = 1;
				ns_buf_clear(acc);
			} else if (ns_buf_put(acc, beg, n) < 0) {
				return NS_ENOMEM;
			}
		}
		s->beg += n + (nl != NULL);
		if (nl)
			break;
		if (s->eof)
			break;
		int r = src_fill(s, path);
		if (r < 0)
			return r;
	}
	if (!any)
		return 0;
	*line = acc->ptr ? acc->ptr : "";
	*len = acc->size;
strip:
	if (*len && (*line)[*len - 1] == '\r')
		(*len)--;
	return 1;
}

/* ---- text check ---- */

static const struct {
	const char *magic;
	size_t len;
	const char *name;
} signatures[] = {
	{"\x1f\x8b", 2, "gzip data"},
	{"PK\x03\x04", 4, "zip archive"},
	{"%PDF-", 5, "PDF document"},
	{"\x89PNG", 4, "PNG image"},
	{"\xff\xd8\xff", 3, "JPEG image"},
	{"GIF8", 4, "GIF image"},
	{"\x7f" "ELF", 4, "ELF executable"},
	{"\xfd" "7zXZ", 5, "xz data"},
	{"7z\xbc\xaf\x27\x1c", 6, "7z archive"},
	{"\xd0\xcf\x11\xe0", 4, "MS Office document"},
	{"SQLite format 3", 16, "SQLite database"}, /* includes the terminating NUL */
	{"\x28\xb5\x2f\xfd", 4, "zstd data"},
};

/* The binary part of the text check (signatures, UTF-16, control bytes). */
static int check_binary(const char *s, size_t n)
{
	for (size_t k = 0; k < sizeof signatures / sizeof signatures[0]; k++)
		if (n >= signatures[k].len && memcmp(s, signatures[k].magic, signatures[k].len) == 0)
			return ns_error__set(NS_EBINARY, "binary file (%s), not text", signatures[k].name);
	if (n >= 2 && (((unsigned char)s[0] == 0xFF && (unsigned char)s[1] == 0xFE) ||
		       ((unsigned char)s[0] == 0xFE && (unsigned char)s[1] == 0xFF)))
		return ns_error__set(NS_EBINARY, "UTF-16 text is not supported; convert it to UTF-8");
	/* Binary data: control bytes other than tab, newlines, form feed and escape are
	 * rare in text and about 10% of random bytes. Invalid UTF-8 alone is text in a
	 * legacy encoding and is repaired instead. */
	size_t sample = n < BINARY_SAMPLE ? n : BINARY_SAMPLE, ctrl = 0, invalid = 0;
	for (size_t i = 0; i < sample;) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' && c != 0x1B) ||
			    c == 0x7F)
				ctrl++;
			i++;
			continue;
		}
		uint32_t cp;
		bool bad;
		i += ns_utf8_next(s + i, n - i, &cp, &bad);
		invalid += bad;
	}
	if (ctrl >= 8 && (ctrl * 20 > sample || (ctrl * 100 > sample && invalid * 3 > sample)))
		return ns_error__set(NS_EBINARY, "binary file (%zu control and %zu invalid bytes in the first %zu), not text",
				     ctrl, invalid, sample);
	return 0;
}

int ns_input_check_text(const char *s, size_t n)
{
	int rc = check_binary(s, n);
	if (rc < 0)
		return rc;
	const char *nul = memchr(s, '\0', n);
	if (nul) {
		size_t off = (size_t)(nul - s), line = 1;
		for (const char *p = s; (p = memchr(p, '\n', (size_t)(nul - p))) != NULL; p++)
			line++;
		return ns_error__set(NS_EBINARY, "NUL byte at byte offset %zu (line %zu)", off, line);
	}
	return 0;
}

/* ---- items ---- */

void ns_input_doc_release(ns_input_doc *doc)
{
	if (!doc)
		return;
	free(doc->id);
	free(doc->source);
	free(doc->date);
	free(doc->text);
	free(doc->path);
	free(doc->message);
	memset(doc, 0, sizeof *doc);
}

/* Turns doc into a rejected item with message "<prefix>: <ns_error_last()>"
 * (or the message alone when it already starts with the prefix). */
static int reject(ns_input_doc *doc, int code, const char *path, size_t line)
{
	char prefix[4200];
	if (line)
		snprintf(prefix, sizeof prefix, "%s:%zu", path, line);
	else
		snprintf(prefix, sizeof prefix, "%s", path);
	const char *msg = ns_error_last();
	size_t pl = strlen(prefix);
	ns_buf b = NS_BUF_INIT;
	if (strncmp(msg, prefix, pl) == 0 && msg[pl] == ':')
		ns_buf_puts(&b, msg);
	else
		ns_buf_printf(&b, "%s: %s", prefix, msg);
	free(doc->text);
	doc->text = NULL;
	doc->len = 0;
	doc->error = code;
	doc->line = line;
	if (!doc->path)
		doc->path = ns_strdup(path);
	if (!doc->id)
		doc->id = ns_strdup(prefix);
	doc->message = ns_buf_detach(&b, NULL);
	ns_buf_free(&b);
	if (!doc->path || !doc->id || !doc->message)
		return NS_ENOMEM;
	return 1;
}

static int is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n' && s[i] != '\f' && s[i] != '\v')
			return 0;
	return 1;
}

/* Accepts a whole-file document already read into text/len. */
static int finish_file_doc(ns_input_doc *doc, const char *path, char *text, size_t len)
{
	doc->text = text;
	doc->len = len;
	doc->path = ns_strdup(path);
	doc->id = ns_strdup(path);
	if (!doc->path || !doc->id)
		return NS_ENOMEM;
	int rc;
	if (len == 0)
		return reject(doc, ns_error__set(NS_EFORMAT, "empty file"), path, 0);
	if ((rc = ns_input_check_text(text, len)) < 0)
		return reject(doc, rc, path, 0);
	if (is_blank(text, len))
		return reject(doc, ns_error__set(NS_EFORMAT, "file contains only whitespace"), path, 0);
	return 1;
}

static int has_jsonl_name(const char *path)
{
	size_t l = strlen(path);
	return (l > 6 && strcmp(path + l - 6, ".jsonl") == 0) || (l > 7 && strcmp(path + l - 7, ".ndjson") == 0);
}

static int start_jsonl(ns_input *in, src *s, const char *path)
{
	in->js = *s;
	in->js_path = ns_strdup(path);
	if (!in->js_path) {
		src_close(&in->js);
		return NS_ENOMEM;
	}
	in->jsonl_on = 1;
	in->js_line = in->js_docs = in->js_nonblank = 0;
	return 0;
}

static void stop_jsonl(ns_input *in)
{
	src_close(&in->js);
	free(in->js_path);
	in->js_path = NULL;
	in->jsonl_on = 0;
}

/* Next item from the current JSONL stream: 1, or 0 when the stream is done. */
static int jsonl_next(ns_input *in, ns_input_doc *doc)
{
	size_t limit = in->opts.max_bytes;
	/* A string may be escaped (\uXXXX) or raw; allow twice the text limit plus room
	 * for the other members before a line is refused unread. */
	size_t cap = limit ? (limit > SIZE_MAX / 4 ? 0 : limit * 2 + 65536) : 0;
	const char *path = in->js_path;
	for (;;) {
		const char *line;
		size_t len;
		int too_long;
		int r = src_line(&in->js, path, &in->js_acc, cap, &line, &len, &too_long);
		if (r == NS_ENOMEM)
			return r;
		if (r < 0) { /* read error: report it and give up on this stream */
			int rc = reject(doc, r, path, in->js_line + 1);
			stop_jsonl(in);
			return rc;
		}
		if (r == 0) {
			int rc = 0;
			if (in->js_line == 0)
				rc = reject(doc, ns_error__set(NS_EFORMAT, "empty file"), path, 0);
			else if (in->js_nonblank == 0)
				rc = reject(doc, ns_error__set(NS_EFORMAT, "no documents (only blank lines)"), path, 0);
			stop_jsonl(in);
			return rc;
		}
		in->js_line++;
		if (too_long)
			return reject(doc, ns_error__set(NS_ELIMIT, "line is longer than %zu bytes (derived from --max-bytes)", cap),
				      path, in->js_line);
		if (is_blank(line, len))
			continue;
		in->js_nonblank++;
		ns_jsonl_rec rec;
		int rc = ns_jsonl_parse(&rec, line, len);
		if (rc == NS_ENOMEM)
			return rc;
		if (rc < 0)
			return reject(doc, rc, path, in->js_line);
		doc->id = rec.id;
		doc->source = rec.source;
		doc->date = rec.date;
		doc->text = rec.text;
		doc->len = rec.text_len;
		doc->line = in->js_line;
		doc->path = ns_strdup(path);
		if (!doc->path)
			return NS_ENOMEM;
		if (doc->id && !doc->id[0]) { /* "id": "" is no id */
			free(doc->id);
			doc->id = NULL;
		}
		if (!doc->id) {
			char idbuf[4200];
			snprintf(idbuf, sizeof idbuf, "%s:%zu", path, in->js_line);
			if (!(doc->id = ns_strdup(idbuf)))
				return NS_ENOMEM;
		}
		if (limit && doc->len > limit)
			return reject(doc, ns_error__set(NS_ELIMIT, "text is %zu bytes, over the limit of %zu bytes (--max-bytes)",
							 doc->len, limit), path, in->js_line);
		if (doc->len == 0 || is_blank(doc->text, doc->len))
			return reject(doc, ns_error__set(NS_EFORMAT, "empty \"text\""), path, in->js_line);
		if ((rc = ns_input_check_text(doc->text, doc->len)) < 0) {
			ns_error__wrap(rc, "\"text\"");
			return reject(doc, rc, path, in->js_line);
		}
		in->js_docs++;
		return 1;
	}
}

/* ---- directories ---- */

static int add_entry(ns_input *in, char *path, char *error)
{
	if (NS_GROW(in->files, in->capfiles, in->nfiles + 1) < 0) {
		free(path);
		free(error);
		return NS_ENOMEM;
	}
	in->files[in->nfiles].path = path;
	in->files[in->nfiles].error = error;
	in->nfiles++;
	return 0;
}

typedef struct dir_id {
	dev_t dev;
	ino_t ino;
} dir_id;

/* Lists regular files under dir (hidden entries skipped, symlinks followed, loops
 * and depth beyond MAX_DIR_DEPTH refused). Unlistable entries become error entries. */
static int walk(ns_input *in, const char *dir, dir_id *stack, int depth)
{
	char msg[512];
	DIR *d = opendir(dir);
	if (!d) {
		snprintf(msg, sizeof msg, "cannot read directory: %s", strerror(errno));
		char *p = ns_strdup(dir), *m = ns_strdup(msg);
		return p && m ? add_entry(in, p, m) : (free(p), free(m), NS_ENOMEM);
	}
	int rc = 0;
	size_t dl = strlen(dir);
	int slash = dl > 0 && dir[dl - 1] == '/';
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		size_t nl = strlen(e->d_name);
		char *child = ns_malloc(dl + nl + 2);
		if (!child) {
			rc = NS_ENOMEM;
			goto cleanup;
		}
		memcpy(child, dir, dl);
		size_t o = dl;
		if (!slash)
			child[o++] = '/';
		memcpy(child + o, e->d_name, nl + 1);
		struct stat st;
		if (stat(child, &st) != 0) {
			/* e.g. a dangling symlink: opening it later reports the reason */
			if ((rc = add_entry(in, child, NULL)) < 0)
				goto cleanup;
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			int loop = 0;
			for (int k = 0; k < depth; k++)
				if (stack[k].dev == st.st_dev && stack[k].ino == st.st_ino)
					loop = 1;
			if (loop || depth + 1 >= MAX_DIR_DEPTH) {
				snprintf(msg, sizeof msg, loop ? "directory loop (skipped)" : "directories nested too deeply (skipped)");
				char *m = ns_strdup(msg);
				if (!m) {
					free(child);
					rc = NS_ENOMEM;
					goto cleanup;
				}
				if ((rc = add_entry(in, child, m)) < 0)
					goto cleanup;
				continue;
			}
			stack[depth].dev = st.st_dev;
			stack[depth].ino = st.st_ino;
			rc = walk(in, child, stack, depth + 1);
			free(child);
			if (rc < 0)
				goto cleanup;
		} else if (S_ISREG(st.st_mode)) {
			if ((rc = add_entry(in, child, NULL)) < 0)
				goto cleanup;
		} else {
			free(child); /* devices, sockets, fifos inside a tree are not documents */
		}
	}
cleanup:
	closedir(d);
	return rc;
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const walk_entry *)a)->path, ((const walk_entry *)b)->path);
}

static void clear_entries(ns_input *in)
{
	for (size_t i = in->ifile; i < in->nfiles; i++) {
		free(in->files[i].path);
		free(in->files[i].error);
	}
	in->nfiles = in->ifile = 0;
}

static int expand_dir(ns_input *in, const char *dir)
{
	clear_entries(in);
	dir_id stack[MAX_DIR_DEPTH];
	struct stat st;
	if (stat(dir, &st) == 0) {
		stack[0].dev = st.st_dev;
		stack[0].ino = st.st_ino;
	}
	int rc = walk(in, dir, stack, 1);
	if (rc < 0)
		return rc;
	qsort(in->files, in->nfiles, sizeof in->files[0], cmp_entry);
	return 0;
}

/* ---- one path ---- */

static int use_jsonl(const ns_input *in, const char *path)
{
	return in->opts.format == NS_INPUT_JSONL || (in->opts.format == NS_INPUT_AUTO && has_jsonl_name(path));
}

static int too_big(ns_input_doc *doc, const char *name, off_t size, size_t limit)
{
	return reject(doc, ns_error__set(NS_ELIMIT, "file is %lld bytes, over the limit of %zu bytes (--max-bytes)",
					 (long long)size, limit), name, 0);
}

/* Opens one file (not a directory) as the next item or JSONL stream.
 * Returns 1 with an item, 0 when a JSONL stream was started, <0 on failure. */
static int open_file(ns_input *in, const char *path, ns_input_doc *doc)
{
	size_t limit = in->opts.max_bytes;
	int is_stdin = strcmp(path, "-") == 0;
	const char *name = is_stdin ? STDIN_NAME : path;
	int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return reject(doc, ns_error__set(NS_EIO, "cannot open: %s", strerror(errno)), name, 0);
	struct stat st;
	if (fstat(fd, &st) != 0) {
		int e = errno;
		if (!is_stdin)
			close(fd);
		return reject(doc, ns_error__set(NS_EIO, "cannot stat: %s", strerror(e)), name, 0);
	}
	int rc;
	/* a JSONL stream (any size) has its limit per line; stdin is known to be
	 * JSONL or text only after a peek, so its size is checked after that */
	int oversized = S_ISREG(st.st_mode) && limit && (unsigned long long)st.st_size > limit;
	if (oversized && !use_jsonl(in, path) && !(is_stdin && in->opts.format == NS_INPUT_AUTO)) {
		if (!is_stdin)
			close(fd);
		return too_big(doc, name, st.st_size, limit);
	}
	src s;
	if ((rc = src_init_fd(&s, fd)) < 0) {
		if (!is_stdin)
			close(fd);
		return rc;
	}
	int jsonl = use_jsonl(in, path);
	if (is_stdin && in->opts.format == NS_INPUT_AUTO) {
		int c = src_peek_nonblank(&s, name, &rc);
		if (rc < 0) {
			src_close(&s);
			return reject(doc, rc, name, 0);
		}
		jsonl = c == '{';
		if (!jsonl && oversized) {
			src_close(&s);
			return too_big(doc, name, st.st_size, limit);
		}
	}
	if (jsonl) {
		/* a binary file named *.jsonl is one error, not one per "line" */
		if (s.end - s.beg < BINARY_SAMPLE && !s.eof && (rc = src_fill(&s, name)) < 0) {
			src_close(&s);
			return reject(doc, rc, name, 0);
		}
		if ((rc = check_binary(s.data + s.beg, s.end - s.beg)) < 0) {
			src_close(&s);
			return reject(doc, rc, name, 0);
		}
		return start_jsonl(in, &s, name);
	}
	char *text = NULL;
	size_t len = 0;
	rc = src_read_all(&s, name, limit, &text, &len);
	src_close(&s);
	if (rc == NS_ENOMEM)
		return rc;
	if (rc < 0)
		return reject(doc, rc, name, 0);
	return finish_file_doc(doc, name, text, len);
}

/* ---- iterator ---- */

int ns_input_open(ns_input **out, const char *const *paths, size_t npaths, const ns_input_opts *opts)
{
	*out = NULL;
	if (opts && opts->version != NS_INPUT_OPTS_VERSION)
		return ns_error__set(NS_EINVAL, "ns_input_opts version %u not supported", opts->version);
	ns_input *in = ns_calloc(1, sizeof *in);
	if (!in)
		return NS_ENOMEM;
	ns_input_opts dflt = NS_INPUT_OPTS_INIT;
	in->opts = opts ? *opts : dflt;
	in->paths = paths;
	in->npaths = npaths;
	in->js.fd = -1;
	*out = in;
	return 0;
}

int ns_input_open_mem(ns_input **out, const char *name, const void *data, size_t len, const ns_input_opts *opts)
{
	int rc = ns_input_open(out, NULL, 0, opts);
	if (rc < 0)
		return rc;
	(*out)->mem_name = name;
	(*out)->mem = data;
	(*out)->mem_len = len;
	return 0;
}

static int next_mem(ns_input *in, ns_input_doc *doc)
{
	in->mem_done = 1;
	const char *name = in->mem_name ? in->mem_name : "<memory>";
	size_t limit = in->opts.max_bytes;
	src s;
	src_init_mem(&s, in->mem, in->mem_len);
	if (use_jsonl(in, name)) {
		int rc = check_binary(in->mem, in->mem_len);
		if (rc < 0)
			return reject(doc, rc, name, 0);
		rc = start_jsonl(in, &s, name);
		return rc < 0 ? rc : jsonl_next(in, doc);
	}
	if (limit && in->mem_len > limit)
		return reject(doc, ns_error__set(NS_ELIMIT, "document is %zu bytes, over the limit of %zu bytes (--max-bytes)",
						 in->mem_len, limit), name, 0);
	char *text = ns_strndup(in->mem, in->mem_len);
	if (!text)
		return NS_ENOMEM;
	return finish_file_doc(doc, name, text, in->mem_len);
}

int ns_input_next(ns_input *in, ns_input_doc *doc)
{
	memset(doc, 0, sizeof *doc);
	for (;;) {
		int rc;
		if (in->jsonl_on) {
			rc = jsonl_next(in, doc);
			if (rc != 0)
				return rc;
			continue;
		}
		if (in->mem && !in->mem_done)
			return next_mem(in, doc);
		if (in->ifile < in->nfiles) {
			walk_entry *e = &in->files[in->ifile++];
			char *path = e->path, *err = e->error;
			e->path = e->error = NULL;
			if (err) {
				rc = reject(doc, ns_error__set(NS_EIO, "%s", err), path, 0);
			} else {
				rc = open_file(in, path, doc);
			}
			free(path);
			free(err);
			if (rc != 0)
				return rc;
			continue;
		}
		if (in->ipath >= in->npaths)
			return 0;
		const char *path = in->paths[in->ipath++];
		struct stat st;
		if (strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			if ((rc = expand_dir(in, path)) < 0)
				return rc;
			if (in->nfiles == 0)
				return reject(doc, ns_error__set(NS_EIO, "directory contains no files"), path, 0);
			continue;
		}
		rc = open_file(in, path, doc);
		if (rc != 0)
			return rc;
	}
}

void ns_input_free(ns_input *in)
{
	if (!in)
		return;
	clear_entries(in);
	free(in->files);
	if (in->jsonl_on)
		stop_jsonl(in);
	ns_buf_free(&in->js_acc);
	free(in);
}
