// The connection guard's state, shared by guard.c (limits, deadlines) and early.c (answers for requests
// libmicrohttpd refuses before the handler sees them). Not a public header.
#ifndef VCDM_GUARD_INTERNAL_H
#define VCDM_GUARD_INTERNAL_H
#include "CMicroHTTPDShims.h"
#include <pthread.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <time.h>

enum { PHASE_HEAD, PHASE_BODY, PHASE_BUSY, PHASE_IDLE };

struct vcdm_conn {
    struct vcdm_conn *prev, *next;
    int fd;
    _Atomic int phase;
    /// When the phase began (ms, monotonic).
    _Atomic uint64_t since;
    /// 0 = none (the handler or the response has the connection).
    _Atomic uint64_t deadline;
    int killed;
    /// Set once at start: the MHD worker thread that owns (and alone touches) the connection.
    struct MHD_Connection *connection;
    pthread_t owner;
    /// early.c answered this connection's request; counted in answers_in_flight until MHD closes it.
    int answered_early;
    /// The application's state for the request being read (the URI log callback's result), or NULL.
    void *request;
    /// The client address's count (address.c), NULL if unknown.
    struct vcdm_address *address;
    /// Admitted beyond the limit instead of evicting (guard.c): not counted against it, never evicted,
    /// until its first request head is complete. Written under the lock, read by its worker without it.
    _Atomic int held;
};

struct vcdm_guard {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t sweeper;
    int stopping;
    struct vcdm_conn *head, *tail;
    /// Connections per client address (address.c).
    struct vcdm_address **addresses;
    struct vcdm_guard_config config;
    struct vcdm_guard_stats stats; // under lock
    /// Answers a request MHD refuses itself (early.c); set before the daemon starts.
    vcdm_early_answer_cb early;
    void *early_cls;
    /// Early answers whose connection MHD has not closed yet, and whether new ones are off (server
    /// stopping): MHD 0.9.75 crashes if its daemon stops while a worker is still inside the
    /// transmit_error_response that early.c's answer runs in (see vcdm_guard_close_answers).
    unsigned int answers_in_flight;
    int answers_closed;
    pthread_cond_t settled;
};

static inline uint64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static inline void kill_locked(struct vcdm_guard *g, struct vcdm_conn *e) {
    // Only shutdown, never close: the descriptor stays MHD's until it reports the connection closed.
    if (e->fd >= 0) shutdown(e->fd, SHUT_RDWR);
    e->killed = 1;
    g->stats.dying++;
    if (e->held) {
        g->stats.holding--;
        e->held = 0;
    }
}

/// The descriptor of the connection this MHD worker thread is working on (reading.c).
extern _Thread_local int vcdm_current_fd;

struct vcdm_address;
struct vcdm_address *address_acquire_locked(struct vcdm_guard *g, const struct sockaddr *sa);
unsigned int address_count(const struct vcdm_address *a);
void address_release_locked(struct vcdm_guard *g, struct vcdm_address *a);
void address_table_free(struct vcdm_guard *g);

#endif
