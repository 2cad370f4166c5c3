/*
 * LUN backing stores: zero-filled memory or a file accessed with
 * pread/pwrite.  Both present the same fcp_backing_ops table, so the SCSI
 * layer never knows which one it talks to.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fcp_internal.h"

/* ---- memory ------------------------------------------------------------- */

static int mem_read(void *ctx, uint64_t off, void *buf, size_t len)
{
    memcpy(buf, (const uint8_t *)ctx + off, len);
    return 0;
}

static int mem_write(void *ctx, uint64_t off, const void *buf, size_t len)
{
    memcpy((uint8_t *)ctx + off, buf, len);
    return 0;
}

static int mem_flush(void *ctx)
{
    return 0;
}

static void mem_destroy(void *ctx)
{
    free(ctx);
}

static const struct fcp_backing_ops mem_ops = {
    .read = mem_read,
    .write = mem_write,
    .flush = mem_flush,
    .destroy = mem_destroy,
};

/* block_size 512 or 4096, nblocks >= 1, size fits off_t and size_t. */
static enum fcp_status check_geometry(uint32_t block_size, uint64_t nblocks,
                                      uint64_t limit, char *errmsg, size_t errlen)
{
    if (block_size != 512 && block_size != 4096) {
        snprintf(errmsg, errlen, "block size %u not supported (512 or 4096)", block_size);
        return FCP_ST_ERR_INVALID;
    }
    if (nblocks == 0 || nblocks > limit / block_size) {
        snprintf(errmsg, errlen, "%llu blocks of %u bytes is not a usable size",
                 (unsigned long long)nblocks, block_size);
        return FCP_ST_ERR_INVALID;
    }
    return FCP_ST_OK;
}

enum fcp_status fcp_backing_mem(struct fcp_backing *b, uint32_t block_size,
                                uint64_t nblocks, char *errmsg, size_t errlen)
{
    enum fcp_status st = check_geometry(block_size, nblocks, SIZE_MAX, errmsg, errlen);
    if (st != FCP_ST_OK) {
        return st;
    }
    void *mem = calloc((size_t)nblocks, block_size);
    if (!mem) {
        snprintf(errmsg, errlen, "cannot allocate %llu blocks",
                 (unsigned long long)nblocks);
        return FCP_ST_ERR_NOMEM;
    }
    b->ops = &mem_ops;
    b->ctx = mem;
    b->block_size = block_size;
    b->nblocks = nblocks;
    return FCP_ST_OK;
}

/* ---- file --------------------------------------------------------------- */

struct file_ctx {
    int fd;
};

/* pread/pwrite until done; a short transfer at EOF or any error is -1. */
static int file_read(void *ctx, uint64_t off, void *buf, size_t len)
{
    struct file_ctx *f = ctx;
    uint8_t *p = buf;
    while (len > 0) {
        ssize_t n = pread(f->fd, p, len, (off_t)off);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return -1;
        }
        p += n;
        off += (uint64_t)n;
        len -= (size_t)n;
    }
    return 0;
}

static int file_write(void *ctx, uint64_t off, const void *buf, size_t len)
{
    struct file_ctx *f = ctx;
    const uint8_t *p = buf;
    while (len > 0) {
        ssize_t n = pwrite(f->fd, p, len, (off_t)off);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return -1;
        }
        p += n;
        off += (uint64_t)n;
        len -= (size_t)n;
    }
    return 0;
}

static int file_flush(void *ctx)
{
    struct file_ctx *f = ctx;
    return fdatasync(f->fd) == 0 ? 0 : -1;
}

static void file_destroy(void *ctx)
{
    struct file_ctx *f = ctx;
    close(f->fd);
    free(f);
}

static const struct fcp_backing_ops file_ops = {
    .read = file_read,
    .write = file_write,
    .flush = file_flush,
    .destroy = file_destroy,
};

enum fcp_status fcp_backing_file(struct fcp_backing *b, const char *path,
                                 uint32_t block_size, bool create, uint64_t nblocks,
                                 char *errmsg, size_t errlen)
{
    /* off_t is signed 64-bit on the hosts we build for. */
    const uint64_t off_max = (uint64_t)INT64_MAX;
    enum fcp_status st;

    if (!path || !*path) {
        snprintf(errmsg, errlen, "no backing file path");
        return FCP_ST_ERR_INVALID;
    }
    if (create) {
        st = check_geometry(block_size, nblocks, off_max, errmsg, errlen);
        if (st != FCP_ST_OK) {
            return st;
        }
    } else if (block_size != 512 && block_size != 4096) {
        snprintf(errmsg, errlen, "block size %u not supported (512 or 4096)", block_size);
        return FCP_ST_ERR_INVALID;
    }

    int flags = O_RDWR | O_CLOEXEC | (create ? (O_CREAT | O_TRUNC) : 0);
    int fd = open(path, flags, 0600);
    if (fd < 0) {
        snprintf(errmsg, errlen, "open %s: %s", path, strerror(errno));
        return FCP_ST_ERR_IO;
    }
    if (create) {
        /* ftruncate extends without allocating: the file is sparse. */
        if (ftruncate(fd, (off_t)(nblocks * block_size)) != 0) {
            snprintf(errmsg, errlen, "truncate %s: %s", path, strerror(errno));
            close(fd);
            return FCP_ST_ERR_IO;
        }
    } else {
        struct stat sb;
        if (fstat(fd, &sb) != 0) {
            snprintf(errmsg, errlen, "stat %s: %s", path, strerror(errno));
            close(fd);
            return FCP_ST_ERR_IO;
        }
        if (!S_ISREG(sb.st_mode) || sb.st_size <= 0 ||
            (uint64_t)sb.st_size % block_size != 0) {
            snprintf(errmsg, errlen, "%s: size %lld is not a non-zero multiple of %u",
                     path, (long long)sb.st_size, block_size);
            close(fd);
            return FCP_ST_ERR_INVALID;
        }
        nblocks = (uint64_t)sb.st_size / block_size;
    }

    struct file_ctx *f = malloc(sizeof(*f));
    if (!f) {
        close(fd);
        snprintf(errmsg, errlen, "out of memory");
        return FCP_ST_ERR_NOMEM;
    }
    f->fd = fd;
    b->ops = &file_ops;
    b->ctx = f;
    b->block_size = block_size;
    b->nblocks = nblocks;
    return FCP_ST_OK;
}

void fcp_backing_release(struct fcp_backing *b)
{
    if (b->ops && b->ops->destroy) {
        b->ops->destroy(b->ctx);
    }
    b->ops = NULL;
    b->ctx = NULL;
}
