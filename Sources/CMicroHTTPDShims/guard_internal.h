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
    /// Set once MHD starts serving it (NULL while the connection waits in MHD's queue of added connections):
    /// the MHD worker thread that owns (and alone touches) the connection.
    struct MHD_Connection *connection;
    pthread_t owner;
    /// early.c answered this connection's request; counted in answers_in_flight until MHD closes it.
    int answered_early;
    /// The application's state for the request being read (the URI log callback's result), or NULL.
    void *request;
    /// The client address's count (address.c), NULL if unknown.
    struct vcdm_address *address;
};

struct vcdm_guard {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t sweeper;
    int stopping;
    struct vcdm_conn *head, *tail;
    /// Entries by descriptor, so the worker finds the entry the acceptor made (accept.c); as many slots as
    /// the descriptor limit at start.
    struct vcdm_conn **by_fd;
    size_t fd_slots;
    /// Connections per client address (address.c), including those held in the tarpit (accept.c).
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
}

struct vcdm_address;
struct vcdm_address *address_acquire_locked(struct vcdm_guard *g, const struct sockaddr *sa);
unsigned int address_count(const struct vcdm_address *a);
void address_release_locked(struct vcdm_guard *g, struct vcdm_address *a);
void address_table_free(struct vcdm_guard *g);

enum { VCDM_ADMIT, VCDM_TARPIT, VCDM_REFUSE };
/// The acceptor's question for a new socket (guard.c says the rules). VCDM_ADMIT: *entry is made, hand the
/// socket to MHD. VCDM_TARPIT: hold it unread, then close it and give *address back (vcdm_guard_release).
/// VCDM_REFUSE: close it at once. `tarpit_room`: whether the acceptor can hold one more.
int vcdm_guard_admit(struct vcdm_guard *g, int fd, const struct sockaddr *addr, int tarpit_room,
                     struct vcdm_conn **entry, struct vcdm_address **address);
/// MHD_add_connection failed (MHD has closed the socket): drop the entry vcdm_guard_admit made.
void vcdm_guard_forget(struct vcdm_guard *g, int fd, struct vcdm_conn *e);
/// A socket held in the tarpit was closed.
void vcdm_guard_release(struct vcdm_guard *g, struct vcdm_address *address);

#endif
