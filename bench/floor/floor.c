// The floor for one caller (issue 15, docs/benchmarks.md): the least a server can do per call on this
// machine and still sleep in epoll_wait between calls. It answers the Go load client's Echo Requests
// (bench/ttrpc-go) with the Response bytes the Go ttrpc server sends, and checks nothing else: no
// protocol rules, no identity, no audit. A measuring aid, not a ttrpc server.
//   cc -O2 -o /tmp/floor bench/floor/floor.c && taskset -c 0 /tmp/floor /tmp/floor.sock
// Assumes the benchmark's small messages: every length fits in one varint byte.
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: floor SOCKET\n"); return 2; }
    int listener = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un address = { .sun_family = AF_UNIX };
    strncpy(address.sun_path, argv[1], sizeof address.sun_path - 1);
    unlink(argv[1]);
    if (bind(listener, (struct sockaddr *)&address, sizeof address) || listen(listener, 64)) { perror("floor"); return 1; }
    int poll = epoll_create1(0);
    struct epoll_event event = { .events = EPOLLIN, .data.fd = listener };
    epoll_ctl(poll, EPOLL_CTL_ADD, listener, &event);
    static unsigned char in[65536], out[65536];
    struct epoll_event ready[64];
    for (;;) {
        int count = epoll_wait(poll, ready, 64, -1);
        for (int i = 0; i < count; i++) {
            int fd = ready[i].data.fd;
            if (fd == listener) {
                struct epoll_event client = { .events = EPOLLIN, .data.fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK) };
                epoll_ctl(poll, EPOLL_CTL_ADD, client.data.fd, &client);
                continue;
            }
            ssize_t got = read(fd, in, sizeof in);
            if (got <= 0) { close(fd); continue; }
            size_t at = 0, written = 0;
            // Whole frames only: 4-byte length, 4-byte stream id, type, flags, then a Request whose
            // field 3 is the payload; the Response carries it back as field 2.
            while (at + 10 <= (size_t)got) {
                size_t length = (size_t)in[at] << 24 | in[at + 1] << 16 | in[at + 2] << 8 | in[at + 3];
                if (at + 10 + length > (size_t)got || written + 12 + length > sizeof out) break;
                const unsigned char *request = in + at + 10, *payload = NULL;
                size_t field = 0, payloadLength = 0;
                while (field + 2 <= length) {
                    unsigned char tag = request[field], size = request[field + 1];
                    if (tag == 0x1a) { payload = request + field + 2; payloadLength = size; }
                    field += 2 + size;
                }
                unsigned char *frame = out + written;
                size_t replyLength = 2 + payloadLength;
                frame[0] = 0; frame[1] = 0; frame[2] = replyLength >> 8; frame[3] = replyLength & 0xff;
                memcpy(frame + 4, in + at + 4, 4);
                frame[8] = 2; frame[9] = 0; frame[10] = 0x12; frame[11] = (unsigned char)payloadLength;
                if (payload) memcpy(frame + 12, payload, payloadLength);
                written += 12 + payloadLength;
                at += 10 + length;
            }
            if (write(fd, out, written) < 0) close(fd);
        }
    }
}
