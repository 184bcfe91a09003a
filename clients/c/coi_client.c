/* coi-client: a minimal coid client in C, written from docs/protocol.md and protos/ alone.
 *
 *   coi-client [--socket PATH] [--timeout SECONDS] echo MESSAGE
 *   coi-client [--socket PATH] [--timeout SECONDS] health [SERVICE]
 *   coi-client [--socket PATH] [--timeout SECONDS] stress N [WINDOW]
 *
 * Exit status: 0 ok; 1 health is not SERVING; 2 the server answered with a non-OK status;
 * 3 cannot connect; 4 protocol or I/O error (connection lost, bad frame, timeout, wrong reply);
 * 64 usage error. */
#define _POSIX_C_SOURCE 200809L
#include "frame.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coi/core/v1/diagnostics.pb-c.h"
#include "coi/core/v1/errors.pb-c.h"
#include "grpc/health/v1/health.pb-c.h"
#include "ttrpc/ttrpc.pb-c.h"

enum {
    EXIT_OK = 0,
    EXIT_NOT_SERVING = 1,
    EXIT_STATUS = 2,
    EXIT_CONNECT = 3,
    EXIT_PROTOCOL = 4,
    EXIT_USAGE = 64,
};

#define DEFAULT_SOCKET ".state/coid.sock"
#define DEFAULT_TIMEOUT_S 30
#define DEFAULT_WINDOW 64u   /* coid's default max_concurrent_streams is 128 */
#define MAX_STRESS 10000000u /* stream ids stay below 2^32 and the bookkeeping small */
#define ERROR_DETAIL_TYPE "type.googleapis.com/coi.core.v1.ErrorDetail"

static const char *const code_names[] = {
    "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
    "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
    "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
    "UNAUTHENTICATED",
};

static const char *code_name(int32_t code)
{
    if (code >= 0 && (size_t)code < sizeof code_names / sizeof code_names[0])
        return code_names[code];
    return "UNKNOWN_CODE";
}

static void usage(FILE *to)
{
    fprintf(to,
            "usage: coi-client [--socket PATH] [--timeout SECONDS] COMMAND\n"
            "  echo MESSAGE        call coi.core.v1.Diagnostics/Echo, print the reply\n"
            "  health [SERVICE]    call grpc.health.v1.Health/Check; exit 0 only if SERVING\n"
            "  stress N [WINDOW]   N pipelined Echo calls on one connection, at most WINDOW\n"
            "                      (default %u) in flight; prints \"N ok\"\n"
            "socket: --socket, else $COI_SOCKET, else %s\n",
            DEFAULT_WINDOW, DEFAULT_SOCKET);
}

/* Parses a decimal unsigned number in [min, max]. */
static int parse_uint(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
    if (!s || !*s || *s == '-' || *s == '+')
        return -1;
    char *end = NULL;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || *end || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

/* Packs any message into a malloc'ed buffer (never NULL on success). */
static uint8_t *pack_message(const ProtobufCMessage *m, size_t *len)
{
    *len = protobuf_c_message_get_packed_size(m);
    uint8_t *buf = malloc(*len ? *len : 1);
    if (buf)
        protobuf_c_message_pack(m, buf);
    return buf;
}

/* Queues a unary Request frame carrying `msg` for service/method on `stream_id`. */
static int queue_call(struct conn *c, uint32_t stream_id, const char *service, const char *method,
                      int64_t timeout_nano, const ProtobufCMessage *msg)
{
    size_t plen = 0, rlen = 0;
    uint8_t *payload = pack_message(msg, &plen);
    if (!payload)
        return FRAME_ENOMEM;
    Ttrpc__Request req = TTRPC__REQUEST__INIT;
    req.service = (char *)service;
    req.method = (char *)method;
    req.payload.data = payload;
    req.payload.len = plen;
    req.timeout_nano = timeout_nano;
    uint8_t *frame = pack_message(&req.base, &rlen);
    free(payload);
    if (!frame)
        return FRAME_ENOMEM;
    int r = conn_queue(c, stream_id, FRAME_REQUEST, 0, frame, rlen);
    free(frame);
    return r;
}

/* Prints a non-OK status (and any coi.core.v1.ErrorDetail) to stderr. */
static void print_status(const Ttrpc__Status *st, uint32_t stream_id, int show_stream)
{
    if (show_stream)
        fprintf(stderr, "error: %s (%d): %s [stream %" PRIu32 "]\n", code_name(st->code),
                (int)st->code, st->message ? st->message : "", stream_id);
    else
        fprintf(stderr, "error: %s (%d): %s\n", code_name(st->code), (int)st->code,
                st->message ? st->message : "");
    for (size_t i = 0; i < st->n_details; i++) {
        const Google__Protobuf__Any *any = st->details[i];
        const char *url = any->type_url ? any->type_url : "";
        if (strcmp(url, ERROR_DETAIL_TYPE) != 0) {
            fprintf(stderr, "  detail: %s (%zu bytes)\n", url, any->value.len);
            continue;
        }
        Coi__Core__V1__ErrorDetail *d =
            coi__core__v1__error_detail__unpack(NULL, any->value.len, any->value.data);
        if (!d) {
            fprintf(stderr, "  detail: undecodable %s\n", url);
            continue;
        }
        if (d->reason && *d->reason)
            fprintf(stderr, "  reason: %s\n", d->reason);
        for (size_t j = 0; j < d->n_field_violations; j++)
            fprintf(stderr, "  field %s: %s\n", d->field_violations[j]->field,
                    d->field_violations[j]->description);
        coi__core__v1__error_detail__free_unpacked(d, NULL);
    }
}

/* Turns a frame into a Response. Returns EXIT_OK with *out set (caller frees), EXIT_STATUS after
 * printing a non-OK status, or EXIT_PROTOCOL after printing what was wrong with the frame. */
static int decode_response(const struct frame *f, int show_stream, Ttrpc__Response **out)
{
    *out = NULL;
    if (f->type != FRAME_RESPONSE) {
        fprintf(stderr, "coi-client: bad frame: message type 0x%02x on stream %" PRIu32
                        " where a Response (0x02) was expected\n",
                f->type, f->stream_id);
        return EXIT_PROTOCOL;
    }
    Ttrpc__Response *resp = ttrpc__response__unpack(NULL, f->length, f->data);
    if (!resp) {
        fprintf(stderr, "coi-client: bad frame: Response on stream %" PRIu32
                        " is not a ttrpc.Response\n", f->stream_id);
        return EXIT_PROTOCOL;
    }
    if (resp->status && resp->status->code != 0) {
        print_status(resp->status, f->stream_id, show_stream);
        ttrpc__response__free_unpacked(resp, NULL);
        return EXIT_STATUS;
    }
    *out = resp;
    return EXIT_OK;
}

static int io_failure(const struct conn *c, int r)
{
    fprintf(stderr, "coi-client: %s\n", conn_strerror(c, r));
    return EXIT_PROTOCOL;
}

/* One unary call on stream 1 of a fresh connection. */
static int unary(struct conn *c, const char *service, const char *method, int64_t timeout_nano,
                 const ProtobufCMessage *msg, Ttrpc__Response **resp)
{
    const uint32_t id = 1;
    int r = queue_call(c, id, service, method, timeout_nano, msg);
    if (r == FRAME_OK)
        r = conn_flush(c);
    if (r != FRAME_OK)
        return io_failure(c, r);
    struct frame f;
    r = conn_next(c, &f);
    if (r != FRAME_OK)
        return io_failure(c, r);
    if (f.stream_id != id) {
        fprintf(stderr, "coi-client: bad frame: answer on stream %" PRIu32
                        ", but only stream %" PRIu32 " is open\n", f.stream_id, id);
        frame_free(&f);
        return EXIT_PROTOCOL;
    }
    int rc = decode_response(&f, 0, resp);
    frame_free(&f);
    return rc;
}

static int cmd_echo(struct conn *c, int64_t timeout_nano, const char *message)
{
    Coi__Core__V1__EchoRequest req = COI__CORE__V1__ECHO_REQUEST__INIT;
    req.message = (char *)message;
    Ttrpc__Response *resp = NULL;
    int rc = unary(c, "coi.core.v1.Diagnostics", "Echo", timeout_nano, &req.base, &resp);
    if (rc != EXIT_OK)
        return rc;
    Coi__Core__V1__EchoReply *reply =
        coi__core__v1__echo_reply__unpack(NULL, resp->payload.len, resp->payload.data);
    ttrpc__response__free_unpacked(resp, NULL);
    if (!reply) {
        fprintf(stderr, "coi-client: the reply is not a coi.core.v1.EchoReply\n");
        return EXIT_PROTOCOL;
    }
    printf("%s\n", reply->message);
    coi__core__v1__echo_reply__free_unpacked(reply, NULL);
    return EXIT_OK;
}

static int cmd_health(struct conn *c, int64_t timeout_nano, const char *service)
{
    Grpc__Health__V1__HealthCheckRequest req = GRPC__HEALTH__V1__HEALTH_CHECK_REQUEST__INIT;
    req.service = (char *)service;
    Ttrpc__Response *resp = NULL;
    int rc = unary(c, "grpc.health.v1.Health", "Check", timeout_nano, &req.base, &resp);
    if (rc != EXIT_OK)
        return rc;
    Grpc__Health__V1__HealthCheckResponse *reply = grpc__health__v1__health_check_response__unpack(
        NULL, resp->payload.len, resp->payload.data);
    ttrpc__response__free_unpacked(resp, NULL);
    if (!reply) {
        fprintf(stderr, "coi-client: the reply is not a grpc.health.v1.HealthCheckResponse\n");
        return EXIT_PROTOCOL;
    }
    int status = (int)reply->status;
    grpc__health__v1__health_check_response__free_unpacked(reply, NULL);
    switch (status) {
    case GRPC__HEALTH__V1__HEALTH_CHECK_RESPONSE__SERVING_STATUS__SERVING:
        printf("SERVING\n");
        return EXIT_OK;
    case GRPC__HEALTH__V1__HEALTH_CHECK_RESPONSE__SERVING_STATUS__NOT_SERVING:
        printf("NOT_SERVING\n");
        break;
    case GRPC__HEALTH__V1__HEALTH_CHECK_RESPONSE__SERVING_STATUS__SERVICE_UNKNOWN:
        printf("SERVICE_UNKNOWN\n");
        break;
    case GRPC__HEALTH__V1__HEALTH_CHECK_RESPONSE__SERVING_STATUS__UNKNOWN:
        printf("UNKNOWN\n");
        break;
    default:
        printf("UNKNOWN(%d)\n", status);
        break;
    }
    return EXIT_NOT_SERVING;
}

static void stress_message(char *buf, size_t cap, uint32_t i)
{
    snprintf(buf, cap, "stress-%" PRIu32, i);
}

static int cmd_stress(struct conn *c, int64_t timeout_nano, uint32_t n, uint32_t window)
{
    /* Request i goes on stream 2i+1; done[i] records its answer. */
    uint8_t *done = calloc(n ? n : 1, 1);
    if (!done) {
        fprintf(stderr, "coi-client: out of memory\n");
        return EXIT_PROTOCOL;
    }
    uint32_t sent = 0, answered = 0;
    int rc = EXIT_OK;
    char expect[32];

    while (answered < n) {
        /* Keep up to `window` calls in flight; conn_next writes them while it waits. */
        while (sent < n && sent - answered < window) {
            Coi__Core__V1__EchoRequest req = COI__CORE__V1__ECHO_REQUEST__INIT;
            stress_message(expect, sizeof expect, sent);
            req.message = expect;
            int r = queue_call(c, 2u * sent + 1u, "coi.core.v1.Diagnostics", "Echo", timeout_nano,
                               &req.base);
            if (r != FRAME_OK) {
                rc = io_failure(c, r);
                goto out;
            }
            sent++;
        }
        struct frame f;
        int r = conn_next(c, &f);
        if (r != FRAME_OK) {
            fprintf(stderr, "coi-client: after %" PRIu32 " of %" PRIu32 " answers: %s\n",
                    answered, n, conn_strerror(c, r));
            rc = EXIT_PROTOCOL;
            goto out;
        }
        uint32_t id = f.stream_id;
        uint32_t i = (id - 1u) / 2u;
        if (id % 2u == 0 || i >= sent || done[i]) {
            fprintf(stderr, "coi-client: bad frame: answer on stream %" PRIu32
                            ", which is %s\n", id,
                    id % 2u == 0 ? "even" : i >= sent ? "not open" : "already answered");
            frame_free(&f);
            rc = EXIT_PROTOCOL;
            goto out;
        }
        Ttrpc__Response *resp = NULL;
        rc = decode_response(&f, 1, &resp);
        frame_free(&f);
        if (rc != EXIT_OK)
            goto out;
        Coi__Core__V1__EchoReply *reply =
            coi__core__v1__echo_reply__unpack(NULL, resp->payload.len, resp->payload.data);
        ttrpc__response__free_unpacked(resp, NULL);
        if (!reply) {
            fprintf(stderr, "coi-client: stream %" PRIu32 ": the reply is not an EchoReply\n", id);
            rc = EXIT_PROTOCOL;
            goto out;
        }
        stress_message(expect, sizeof expect, i);
        int same = strcmp(reply->message, expect) == 0;
        if (!same)
            fprintf(stderr, "coi-client: stream %" PRIu32 ": sent \"%s\", got back \"%s\"\n", id,
                    expect, reply->message);
        coi__core__v1__echo_reply__free_unpacked(reply, NULL);
        if (!same) {
            rc = EXIT_PROTOCOL;
            goto out;
        }
        done[i] = 1;
        answered++;
    }
    printf("%" PRIu32 " ok\n", n);
out:
    free(done);
    return rc;
}

int main(int argc, char **argv)
{
    const char *socket_path = NULL;
    unsigned long timeout_s = DEFAULT_TIMEOUT_S;
    int timeout_given = 0;
    int i = 1;

    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return EXIT_OK;
        } else if (strcmp(a, "--socket") == 0) {
            if (++i >= argc) {
                usage(stderr);
                return EXIT_USAGE;
            }
            socket_path = argv[i];
        } else if (strncmp(a, "--socket=", 9) == 0) {
            socket_path = a + 9;
        } else if (strcmp(a, "--timeout") == 0 || strncmp(a, "--timeout=", 10) == 0) {
            const char *v = a[9] == '=' ? a + 10 : (++i < argc ? argv[i] : NULL);
            if (parse_uint(v, 0, 86400, &timeout_s) != 0) {
                fprintf(stderr, "coi-client: --timeout takes whole seconds, 0 to 86400 "
                                "(0 = wait forever)\n");
                return EXIT_USAGE;
            }
            timeout_given = 1;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "coi-client: unknown option %s\n", a);
            usage(stderr);
            return EXIT_USAGE;
        } else {
            break;
        }
    }
    if (i >= argc) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[i++];
    int nargs = argc - i;

    /* Validate the command line before connecting. */
    unsigned long stress_n = 0, window = DEFAULT_WINDOW;
    if (strcmp(cmd, "echo") == 0) {
        if (nargs != 1) {
            usage(stderr);
            return EXIT_USAGE;
        }
    } else if (strcmp(cmd, "health") == 0) {
        if (nargs > 1) {
            usage(stderr);
            return EXIT_USAGE;
        }
    } else if (strcmp(cmd, "stress") == 0) {
        if (nargs < 1 || nargs > 2 || parse_uint(argv[i], 0, MAX_STRESS, &stress_n) != 0 ||
            (nargs == 2 && parse_uint(argv[i + 1], 1, 100000, &window) != 0)) {
            fprintf(stderr, "coi-client: stress takes N (0 to %u) and an optional WINDOW "
                            "(1 to 100000)\n", MAX_STRESS);
            return EXIT_USAGE;
        }
    } else {
        fprintf(stderr, "coi-client: unknown command %s\n", cmd);
        usage(stderr);
        return EXIT_USAGE;
    }

    if (!socket_path) {
        const char *env = getenv("COI_SOCKET");
        socket_path = env && *env ? env : DEFAULT_SOCKET;
    }
    /* The client waits at most the timeout for any progress; given explicitly, it is also sent
     * as each call's deadline (timeout_nano) so the server gives up at the same time. */
    int timeout_ms = timeout_s == 0 ? -1 : (int)(timeout_s * 1000);
    int64_t timeout_nano = timeout_given ? (int64_t)timeout_s * 1000000000LL : 0;

    struct conn c;
    if (conn_open_unix(&c, socket_path, timeout_ms) != 0) {
        fprintf(stderr, "coi-client: %s\n", c.err);
        conn_close(&c);
        return EXIT_CONNECT;
    }

    int rc;
    if (strcmp(cmd, "echo") == 0)
        rc = cmd_echo(&c, timeout_nano, argv[i]);
    else if (strcmp(cmd, "health") == 0)
        rc = cmd_health(&c, timeout_nano, nargs == 1 ? argv[i] : "");
    else
        rc = cmd_stress(&c, timeout_nano, (uint32_t)stress_n, (uint32_t)window);

    conn_close(&c);
    if (fflush(stdout) != 0 && rc == EXIT_OK) {
        fprintf(stderr, "coi-client: cannot write to stdout: %s\n", strerror(errno));
        rc = EXIT_PROTOCOL;
    }
    return rc;
}
