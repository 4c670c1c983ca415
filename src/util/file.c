/* Whole-file reading with a size limit, and atomic file writing
 * (temp file, fsync, rename, fsync of the directory). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

int ns_file_read(char **out, size_t *len, const char *path, size_t limit)
{
	*out = NULL;
	*len = 0;
	int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ns_error__set(NS_EIO, "%s: cannot open: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		if (fd != STDIN_FILENO)
			close(fd);
		return ns_error__set(NS_EIO, "%s: is a directory", path);
	}
	ns_buf b = NS_BUF_INIT;
	int rc = 0;
	if (fd != STDIN_FILENO && S_ISREG(st.st_mode) && limit && (size_t)st.st_size > limit) {
		rc = ns_error__set(NS_ELIMIT, "%s: %lld bytes exceeds the limit of %zu bytes", path,
				   (long long)st.st_size, limit);
		goto cleanup;
	}
	if (ns_buf_grow(&b, S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size : 4096) < 0) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	b.ptr[0] = '\0';
	for (;;) {
		if (ns_buf_grow(&b, 65536) < 0) {
			rc = NS_ENOMEM;
			goto cleanup;
		}
		ssize_t r = read(fd, b.ptr + b.size, b.cap - b.size - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			rc = ns_error__set(NS_EIO, "%s: read error: %s", path, strerror(errno));
			goto cleanup;
		}
		if (r == 0)
			break;
		b.size += (size_t)r;
		if (limit && b.size > limit) {
			rc = ns_error__set(NS_ELIMIT, "%s: input exceeds the limit of %zu bytes", path, limit);
			goto cleanup;
		}
	}
	b.ptr[b.size] = '\0';
	*out = ns_buf_detach(&b, len);
cleanup:
	if (fd != STDIN_FILENO)
		close(fd);
	ns_buf_free(&b);
	return rc;
}

static int write_all(int fd, const void *data, size_t n)
{
	const char *p = data;
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int ns_file_write_atomic(const char *path, const void *data, size_t n)
{
	if (strcmp(path, "-") == 0) {
		if (write_all(STDOUT_FILENO, data, n) < 0)
			return ns_error__set(NS_EIO, "stdout: write error: %s", strerror(errno));
		return 0;
	}
	/* A device, FIFO or other non-regular file (e.g. /dev/null) is written in
	 * place: renaming over it would replace the device node itself. */
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		int dfd = open(path, O_WRONLY | O_CLOEXEC);
		if (dfd < 0)
			return ns_error__set(NS_EIO, "%s: cannot open: %s", path, strerror(errno));
		int wr = write_all(dfd, data, n);
		int saved = errno;
		close(dfd);
		if (wr < 0)
			return ns_error__set(NS_EIO, "%s: write error: %s", path, strerror(saved));
		return 0;
	}
	size_t plen = strlen(path);
	char *tmp = ns_malloc(plen + 16);
	if (!tmp)
		return NS_ENOMEM;
	snprintf(tmp, plen + 16, "%s.tmpXXXXXX", path);
	int rc = 0;
	int fd = mkstemp(tmp);
	if (fd < 0) {
		rc = ns_error__set(NS_EIO, "%s: cannot create temporary file: %s", path, strerror(errno));
		free(tmp);
		return rc;
	}
	fchmod(fd, 0644);
	if (write_all(fd, data, n) < 0 || fsync(fd) < 0) {
		rc = ns_error__set(NS_EIO, "%s: write error: %s", path, strerror(errno));
		close(fd);
		unlink(tmp);
		goto cleanup;
	}
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		rc = ns_error__set(NS_EIO, "%s: cannot write: %s", path, strerror(errno));
		unlink(tmp);
		goto cleanup;
	}
	/* fsync the directory so the rename itself is durable */
	char *slash = strrchr(path, '/');
	char *dir = slash ? ns_strndup(path, (size_t)(slash - path) + (slash == path)) : ns_strdup(".");
	if (dir) {
		int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0) {
			fsync(dfd);
			close(dfd);
		}
		free(dir);
	}
cleanup:
	free(tmp);
	return rc;
}
