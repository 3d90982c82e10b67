// The mock's own accept loop. libmicrohttpd 0.9.75 accepts at most 10 connections per turn of a worker's
// event loop, so under a connection flood (hostile clients reconnecting as fast as the guard evicts them) a
// well-behaved client's connection waited in the kernel's accept queue behind hundreds of cycling ones.
// This thread empties the whole queue every time it wakes, asks the guard about each socket (guard.c:
// vcdm_guard_admit), and hands it to MHD (MHD_add_connection queues it for a worker, which starts every
// queued socket in its next turn), closes it, or holds it in the tarpit.
//
// The tarpit: a socket the guard will not make room for (its address already holds about as many
// connections as any victim's) is held unread for TARPIT_MS and then closed. Closing it at once let a flood
// from many addresses spin: every hostile reconnect evicted another hostile connection, which reconnected
// in turn, thousands of times a second on a full server.
#define _GNU_SOURCE // accept4
#include "CMicroHTTPDShims.h"
#include "guard_internal.h"
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

enum { TARPIT_MS = 2000 };

/// A socket in the tarpit, and its address's place in the guard's count.
struct held {
    int fd;
    uint64_t until;
    struct vcdm_address *address;
};

struct vcdm_acceptor {
    int listen_fd;
    /// Written once to stop the thread.
    int wake_fd;
    _Atomic int stopping;
    pthread_t thread;
    struct MHD_Daemon *daemon;
    struct vcdm_guard *guard;
    /// A FIFO ring: every socket is held equally long, so the first one is the first to close.
    struct held *tarpit;
    size_t capacity, first, count;
};

int vcdm_listen(const char *host, uint16_t port, uint16_t *bound_port, char *err, size_t err_len) {
    struct sockaddr_storage storage;
    memset(&storage, 0, sizeof storage);
    socklen_t length;
    struct sockaddr_in *v4 = (struct sockaddr_in *)&storage;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&storage;
    if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        length = sizeof *v4;
    } else if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        length = sizeof *v6;
    } else {
        snprintf(err, err_len, "'%s' is not an IPv4 or IPv6 address", host);
        return -1;
    }
    int fd = socket(storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(err, err_len, "cannot open a socket: %s", strerror(errno));
        return -1;
    }
    int on = 1;
    // As MHD did for its own listen socket: a restarted server can bind at once; IPv6 only on [::].
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (storage.ss_family == AF_INET6) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
    if (bind(fd, (struct sockaddr *)&storage, length) != 0 || listen(fd, SOMAXCONN) != 0) {
        snprintf(err, err_len, "cannot listen on %s:%u (address in use or not local?)", host, port);
        close(fd);
        return -1;
    }
    length = sizeof storage;
    if (getsockname(fd, (struct sockaddr *)&storage, &length) != 0) {
        snprintf(err, err_len, "cannot read the bound address: %s", strerror(errno));
        close(fd);
        return -1;
    }
    *bound_port = ntohs(storage.ss_family == AF_INET6 ? v6->sin6_port : v4->sin_port);
    return fd;
}

/// Waits up to `ms` for the stop signal; 1 when stopping.
static int stop_requested(struct vcdm_acceptor *a, int ms) {
    if (atomic_load(&a->stopping)) return 1;
    if (ms == 0) return 0;
    struct pollfd wake = {.fd = a->wake_fd, .events = POLLIN};
    poll(&wake, 1, ms);
    return atomic_load(&a->stopping);
}

/// Closes the tarpit's sockets whose time is up (all of them with `all`).
static void release_held(struct vcdm_acceptor *a, int all) {
    uint64_t now = now_ms();
    while (a->count > 0) {
        struct held *h = &a->tarpit[a->first];
        if (!all && h->until > now) break;
        close(h->fd);
        vcdm_guard_release(a->guard, h->address);
        a->first = (a->first + 1) % a->capacity;
        a->count--;
    }
}

/// Milliseconds until the first held socket is due, or -1 (none held).
static int next_release(const struct vcdm_acceptor *a) {
    if (a->count == 0) return -1;
    uint64_t now = now_ms(), until = a->tarpit[a->first].until;
    // The coarse clock ticks every few ms: wait one more, so the wake-up finds the socket due.
    return until > now ? (int)(until - now) + 1 : 0;
}

static void hand_over(struct vcdm_acceptor *a, int fd, const struct sockaddr *addr, socklen_t length) {
    struct vcdm_conn *entry;
    struct vcdm_address *address;
    switch (vcdm_guard_admit(a->guard, fd, addr, a->count < a->capacity, &entry, &address)) {
    case VCDM_ADMIT:
        // MHD closes the socket itself when it returns MHD_NO (out of memory).
        if (MHD_add_connection(a->daemon, fd, addr, length) != MHD_YES) vcdm_guard_forget(a->guard, fd, entry);
        break;
    case VCDM_TARPIT:
        a->tarpit[(a->first + a->count) % a->capacity] = (struct held){fd, now_ms() + TARPIT_MS, address};
        a->count++;
        break;
    default:
        close(fd);
    }
}

static void *accept_loop(void *arg) {
    struct vcdm_acceptor *a = arg;
    struct pollfd fds[2] = {{.fd = a->listen_fd, .events = POLLIN}, {.fd = a->wake_fd, .events = POLLIN}};
    while (!stop_requested(a, 0)) {
        if (poll(fds, 2, next_release(a)) < 0 && errno != EINTR) {
            if (stop_requested(a, 10)) break; // should not happen; do not spin
            continue;
        }
        release_held(a, 0);
        for (;;) {
            struct sockaddr_storage addr;
            socklen_t length = sizeof addr;
            int fd = accept4(a->listen_fd, (struct sockaddr *)&addr, &length, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0) {
                if (errno == EINTR || errno == ECONNABORTED) continue;
                // Out of descriptors or memory: the queue waits in the kernel; try again shortly.
                if (errno != EAGAIN && errno != EWOULDBLOCK) stop_requested(a, 10);
                break;
            }
            hand_over(a, fd, (struct sockaddr *)&addr, length);
            if (stop_requested(a, 0)) break;
        }
    }
    release_held(a, 1);
    return NULL;
}

struct vcdm_acceptor *vcdm_acceptor_start(int listen_fd, struct MHD_Daemon *daemon, struct vcdm_guard *guard) {
    struct vcdm_acceptor *a = calloc(1, sizeof *a);
    if (!a) return NULL;
    a->listen_fd = listen_fd;
    a->daemon = daemon;
    a->guard = guard;
    a->capacity = guard->config.max_connections / 4 + 1;
    a->tarpit = calloc(a->capacity, sizeof *a->tarpit);
    atomic_init(&a->stopping, 0);
    a->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (a->wake_fd < 0 || !a->tarpit) {
        if (a->wake_fd >= 0) close(a->wake_fd);
        free(a->tarpit);
        free(a);
        return NULL;
    }
    if (pthread_create(&a->thread, NULL, accept_loop, a) != 0) {
        close(a->wake_fd);
        free(a->tarpit);
        free(a);
        return NULL;
    }
    return a;
}

void vcdm_acceptor_stop(struct vcdm_acceptor *a) {
    if (!a) return;
    atomic_store(&a->stopping, 1);
    uint64_t one = 1;
    // An eventfd write of 1 cannot fail here (the counter is far from its maximum).
    ssize_t written = write(a->wake_fd, &one, sizeof one);
    (void)written;
    pthread_join(a->thread, NULL);
    close(a->wake_fd);
    free(a->tarpit);
    free(a);
}
