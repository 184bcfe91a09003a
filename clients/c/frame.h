/* ttrpc framing over a stream socket: a 10-byte header (u32 BE length, u32 BE stream id,
 * u8 message type, u8 flags) followed by `length` bytes of data, at most 4 MiB.
 * Written from docs/protocol.md alone; shares no code with the server. */
#ifndef COI_FRAME_H
#define COI_FRAME_H

#include <stddef.h>
#include <stdint.h>

#define FRAME_HEADER_LEN 10u
#define FRAME_MAX_DATA (4u * 1024u * 1024u)

enum frame_type {
    FRAME_REQUEST = 0x01,
    FRAME_RESPONSE = 0x02,
    FRAME_DATA = 0x03,
};

/* Results of the conn_* calls; 0 is success. */
enum frame_result {
    FRAME_OK = 0,
    FRAME_EOF = -1,      /* the peer closed the connection between frames */
    FRAME_ETRUNC = -2,   /* the peer closed the connection inside a frame */
    FRAME_EIO = -3,      /* a read, write or poll failed; errno-based text in conn.err */
    FRAME_EBAD = -4,     /* a header that cannot be ttrpc (length over 4 MiB) */
    FRAME_ETIMEOUT = -5, /* no progress for timeout_ms */
    FRAME_ENOMEM = -6,
    FRAME_ETOOBIG = -7,  /* an outgoing message over 4 MiB */
};

struct frame {
    uint32_t stream_id;
    uint8_t type;
    uint8_t flags;
    uint32_t length;
    uint8_t *data; /* malloc'ed, `length` bytes (never NULL after a successful conn_next) */
};

struct conn {
    int fd;
    int timeout_ms; /* < 0: wait forever */
    int eof;
    /* Outgoing bytes not yet written: wbuf[woff, wlen). */
    uint8_t *wbuf;
    size_t woff, wlen, wcap;
    /* Incoming bytes not yet parsed: rbuf[roff, rlen). */
    uint8_t *rbuf;
    size_t roff, rlen, rcap;
    char err[256];
};

/* Connects to the Unix socket at `path`. On failure returns -1 with a message in c->err. */
int conn_open_unix(struct conn *c, const char *path, int timeout_ms);
void conn_close(struct conn *c);

/* Appends one frame to the outgoing buffer; it is written by conn_flush or while conn_next waits. */
int conn_queue(struct conn *c, uint32_t stream_id, uint8_t type, uint8_t flags,
               const uint8_t *data, size_t len);

/* Writes everything queued. */
int conn_flush(struct conn *c);

/* Returns the next complete incoming frame, writing queued frames meanwhile.
 * On FRAME_OK the caller owns out->data and releases it with frame_free. */
int conn_next(struct conn *c, struct frame *out);

void frame_free(struct frame *f);

/* A human-readable description of a frame_result, using c->err where it has detail. */
const char *conn_strerror(const struct conn *c, int result);

#endif
