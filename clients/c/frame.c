/* ttrpc framing over a non-blocking Unix stream socket; see frame.h. */
#define _POSIX_C_SOURCE 200809L
#include "frame.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0
#endif

#define READ_CHUNK (64u * 1024u)

static void set_err(struct conn *c, const char *what, int err)
{
    snprintf(c->err, sizeof c->err, "%s: %s", what, strerror(err));
}

static void put_u32be(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static uint32_t get_u32be(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits until fd is ready for `events`, restarting after EINTR with the remaining time. */
static int wait_fd(struct conn *c, short events, short *revents)
{
    long long deadline = c->timeout_ms < 0 ? -1 : now_ms() + c->timeout_ms;
    for (;;) {
        int wait = -1;
        if (deadline >= 0) {
            long long left = deadline - now_ms();
            wait = left > 0 ? (int)left : 0;
        }
        struct pollfd p = { .fd = c->fd, .events = events, .revents = 0 };
        int n = poll(&p, 1, wait);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            set_err(c, "poll", errno);
            return FRAME_EIO;
        }
        if (n == 0) {
            snprintf(c->err, sizeof c->err, "no answer within %d ms", c->timeout_ms);
            return FRAME_ETIMEOUT;
        }
        *revents = p.revents;
        return FRAME_OK;
    }
}

int conn_open_unix(struct conn *c, const char *path, int timeout_ms)
{
    memset(c, 0, sizeof *c);
    c->fd = -1;
    c->timeout_ms = timeout_ms;

    struct sockaddr_un addr;
    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof addr.sun_path) {
        snprintf(c->err, sizeof c->err, "socket path too long (max %zu bytes): %s",
                 sizeof addr.sun_path - 1, path);
        return -1;
    }
    memcpy(addr.sun_path, path, strlen(path) + 1);

    c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (c->fd < 0) {
        set_err(c, "socket", errno);
        return -1;
    }
    if (connect(c->fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
        if (errno != EINTR && errno != EINPROGRESS) {
            char what[200];
            snprintf(what, sizeof what, "cannot connect to %.150s", path);
            set_err(c, what, errno);
            goto fail;
        }
        /* Interrupted: the connect goes on in the background; wait for it and ask how it ended. */
        short rev = 0;
        int soerr = 0;
        socklen_t len = sizeof soerr;
        if (wait_fd(c, POLLOUT, &rev) != FRAME_OK)
            goto fail;
        if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0 || soerr != 0) {
            char what[200];
            snprintf(what, sizeof what, "cannot connect to %.150s", path);
            set_err(c, what, soerr ? soerr : errno);
            goto fail;
        }
    }
    int fl = fcntl(c->fd, F_GETFL);
    if (fl < 0 || fcntl(c->fd, F_SETFL, fl | O_NONBLOCK) < 0) {
        set_err(c, "fcntl", errno);
        goto fail;
    }
    return 0;
fail:
    close(c->fd);
    c->fd = -1;
    return -1;
}

void conn_close(struct conn *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
    free(c->wbuf);
    free(c->rbuf);
    c->wbuf = c->rbuf = NULL;
    c->woff = c->wlen = c->wcap = 0;
    c->roff = c->rlen = c->rcap = 0;
}

static int reserve(uint8_t **buf, size_t *cap, size_t need)
{
    if (need <= *cap)
        return FRAME_OK;
    size_t n = *cap ? *cap : READ_CHUNK;
    while (n < need)
        n *= 2;
    uint8_t *p = realloc(*buf, n);
    if (!p)
        return FRAME_ENOMEM;
    *buf = p;
    *cap = n;
    return FRAME_OK;
}

int conn_queue(struct conn *c, uint32_t stream_id, uint8_t type, uint8_t flags,
               const uint8_t *data, size_t len)
{
    if (len > FRAME_MAX_DATA) {
        snprintf(c->err, sizeof c->err, "message of %zu bytes exceeds the 4 MiB frame limit", len);
        return FRAME_ETOOBIG;
    }
    /* Drop what was written already before growing. */
    if (c->woff > 0) {
        memmove(c->wbuf, c->wbuf + c->woff, c->wlen - c->woff);
        c->wlen -= c->woff;
        c->woff = 0;
    }
    if (reserve(&c->wbuf, &c->wcap, c->wlen + FRAME_HEADER_LEN + len) != FRAME_OK)
        return FRAME_ENOMEM;
    uint8_t *h = c->wbuf + c->wlen;
    put_u32be(h, (uint32_t)len);
    put_u32be(h + 4, stream_id);
    h[8] = type;
    h[9] = flags;
    if (len)
        memcpy(h + FRAME_HEADER_LEN, data, len);
    c->wlen += FRAME_HEADER_LEN + len;
    return FRAME_OK;
}

/* Writes as much as the socket takes now. */
static int write_some(struct conn *c)
{
    while (c->woff < c->wlen) {
        ssize_t n = send(c->fd, c->wbuf + c->woff, c->wlen - c->woff, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return FRAME_OK;
            set_err(c, "write", errno);
            return FRAME_EIO;
        }
        c->woff += (size_t)n;
    }
    c->woff = c->wlen = 0;
    return FRAME_OK;
}

/* Reads what the socket has now; sets c->eof on end of stream. */
static int read_some(struct conn *c, size_t want)
{
    if (c->roff > 0) {
        memmove(c->rbuf, c->rbuf + c->roff, c->rlen - c->roff);
        c->rlen -= c->roff;
        c->roff = 0;
    }
    if (want < READ_CHUNK)
        want = READ_CHUNK;
    if (reserve(&c->rbuf, &c->rcap, c->rlen + want) != FRAME_OK)
        return FRAME_ENOMEM;
    for (;;) {
        ssize_t n = recv(c->fd, c->rbuf + c->rlen, c->rcap - c->rlen, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return FRAME_OK;
            set_err(c, "read", errno);
            return FRAME_EIO;
        }
        if (n == 0)
            c->eof = 1;
        c->rlen += (size_t)n;
        return FRAME_OK;
    }
}

int conn_flush(struct conn *c)
{
    while (c->woff < c->wlen) {
        int r = write_some(c);
        if (r != FRAME_OK)
            return r;
        if (c->woff < c->wlen) {
            short rev = 0;
            r = wait_fd(c, POLLOUT, &rev);
            if (r != FRAME_OK)
                return r;
        }
    }
    return FRAME_OK;
}

/* Parses one frame out of rbuf. Returns FRAME_OK, FRAME_EBAD, or 1 with `*missing` set when more
 * bytes are needed. */
static int parse(struct conn *c, struct frame *out, size_t *missing)
{
    size_t have = c->rlen - c->roff;
    if (have < FRAME_HEADER_LEN) {
        *missing = FRAME_HEADER_LEN - have;
        return 1;
    }
    const uint8_t *h = c->rbuf + c->roff;
    uint32_t len = get_u32be(h);
    if (len > FRAME_MAX_DATA) {
        snprintf(c->err, sizeof c->err,
                 "bad frame: data length %u exceeds the 4 MiB limit (peer is not speaking ttrpc?)",
                 (unsigned)len);
        return FRAME_EBAD;
    }
    if (have < FRAME_HEADER_LEN + (size_t)len) {
        *missing = FRAME_HEADER_LEN + (size_t)len - have;
        return 1;
    }
    uint8_t *data = malloc(len ? len : 1);
    if (!data)
        return FRAME_ENOMEM;
    memcpy(data, h + FRAME_HEADER_LEN, len);
    out->length = len;
    out->stream_id = get_u32be(h + 4);
    out->type = h[8];
    out->flags = h[9];
    out->data = data;
    c->roff += FRAME_HEADER_LEN + len;
    if (c->roff == c->rlen)
        c->roff = c->rlen = 0;
    return FRAME_OK;
}

int conn_next(struct conn *c, struct frame *out)
{
    memset(out, 0, sizeof *out);
    for (;;) {
        size_t missing = 0;
        int r = parse(c, out, &missing);
        if (r <= 0)
            return r;
        if (c->eof) {
            if (c->rlen - c->roff == 0) {
                snprintf(c->err, sizeof c->err, "the server closed the connection");
                return FRAME_EOF;
            }
            snprintf(c->err, sizeof c->err,
                     "the server closed the connection in the middle of a frame");
            return FRAME_ETRUNC;
        }
        short events = POLLIN;
        if (c->woff < c->wlen)
            events |= POLLOUT;
        short rev = 0;
        r = wait_fd(c, events, &rev);
        if (r != FRAME_OK)
            return r;
        if ((rev & POLLOUT) && c->woff < c->wlen) {
            r = write_some(c);
            if (r != FRAME_OK)
                return r;
        }
        if (rev & (POLLIN | POLLHUP | POLLERR)) {
            r = read_some(c, missing);
            if (r != FRAME_OK)
                return r;
        }
    }
}

void frame_free(struct frame *f)
{
    free(f->data);
    f->data = NULL;
    f->length = 0;
}

const char *conn_strerror(const struct conn *c, int result)
{
    switch (result) {
    case FRAME_OK:
        return "ok";
    case FRAME_ENOMEM:
        return "out of memory";
    default:
        return c->err[0] ? c->err : "connection error";
    }
}
