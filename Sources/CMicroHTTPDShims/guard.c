// The connection guard: limits and deadlines libmicrohttpd does not enforce itself.
//
// MHD's own connection limit stops accepting when full (new clients then wait silently in the kernel
// queue) and its timeout restarts with every byte (a trickle keeps a connection forever). So MHD's limit
// is set above ours and this guard decides: every connection is in a list with a deadline for its
// current phase; a sweeper thread shuts down (shutdown(2), which wakes MHD's epoll; MHD then closes and
// frees it) every connection past its deadline, and when the server is full a new connection
// evicts the oldest one that has not sent a complete request head, is held for a short while beyond the
// limit (vcdm_guard_accept), or is refused at once.
#include "CMicroHTTPDShims.h"
#include "guard_internal.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static void *sweep(void *arg) {
    struct vcdm_guard *g = arg;
    pthread_mutex_lock(&g->lock);
    while (!g->stopping) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 200 * 1000000L;
        if (until.tv_nsec >= 1000000000L) { until.tv_sec++; until.tv_nsec -= 1000000000L; }
        pthread_cond_timedwait(&g->wake, &g->lock, &until);
        uint64_t now = now_ms();
        for (struct vcdm_conn *e = g->head; e; e = e->next) {
            uint64_t d = atomic_load_explicit(&e->deadline, memory_order_relaxed);
            if (e->killed || d == 0 || now < d) continue;
            kill_locked(g, e);
            g->stats.timed_out++;
        }
    }
    pthread_mutex_unlock(&g->lock);
    return NULL;
}

struct vcdm_guard *vcdm_guard_create(const struct vcdm_guard_config *config) {
    struct vcdm_guard *g = calloc(1, sizeof *g);
    if (!g) return NULL;
    g->config = *config;
    if (g->config.body_bytes_per_second == 0) g->config.body_bytes_per_second = 1;
    pthread_mutex_init(&g->lock, NULL);
    pthread_cond_init(&g->wake, NULL);
    pthread_cond_init(&g->settled, NULL);
    if (pthread_create(&g->sweeper, NULL, sweep, g) != 0) {
        pthread_cond_destroy(&g->wake);
        pthread_cond_destroy(&g->settled);
        pthread_mutex_destroy(&g->lock);
        free(g);
        return NULL;
    }
    return g;
}

void vcdm_guard_destroy(struct vcdm_guard *g) {
    if (!g) return;
    pthread_mutex_lock(&g->lock);
    g->stopping = 1;
    pthread_cond_signal(&g->wake);
    pthread_mutex_unlock(&g->lock);
    pthread_join(g->sweeper, NULL);
    // MHD is stopped first: every connection was reported closed and freed.
    address_table_free(g);
    pthread_cond_destroy(&g->wake);
    pthread_cond_destroy(&g->settled);
    pthread_mutex_destroy(&g->lock);
    free(g);
}

struct vcdm_guard_stats vcdm_guard_stats(struct vcdm_guard *g) {
    pthread_mutex_lock(&g->lock);
    struct vcdm_guard_stats s = g->stats;
    pthread_mutex_unlock(&g->lock);
    return s;
}

static int waiting(const struct vcdm_conn *e) {
    int p = atomic_load_explicit(&e->phase, memory_order_relaxed);
    return p == PHASE_HEAD || p == PHASE_IDLE;
}

// A full server evicts for a new connection, unless its address already holds about as many connections as
// the victim's: then the new one is held, beyond the limit, with hold_ms to send a complete request head.
// Under a flood from many addresses each evicted connection reconnected at once and evicted the next one,
// thousands of times a second; holding stops that spin, and a client whose address holds few connections
// still evicts at once.

static int should_evict(const struct vcdm_conn *victim, const struct vcdm_address *newcomer) {
    unsigned int mine = address_count(newcomer) - 1; // not counting the new connection
    return victim->address == newcomer || mine == 0 || mine + 1 < address_count(victim->address);
}

// MHD calls the accept policy and then, for the same socket on the same worker thread, the connection
// notification (MHD_accept_connection); the verdict passes between them here.
static _Thread_local struct {
    struct vcdm_address *address;
    int held;
    int pending;
} verdict;

/// A verdict MHD never used (it could not start that connection): give back what it took.
static void drop_verdict_locked(struct vcdm_guard *g) {
    if (!verdict.pending) return;
    address_release_locked(g, verdict.address);
    if (verdict.held) g->stats.holding--;
    verdict.pending = 0;
}

enum MHD_Result vcdm_guard_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen) {
    (void)addrlen;
    struct vcdm_guard *g = cls;
    enum MHD_Result ok = MHD_YES;
    int held = 0;
    pthread_mutex_lock(&g->lock);
    drop_verdict_locked(g);
    struct vcdm_address *a = address_acquire_locked(g, addr);
    if (g->config.max_per_address && address_count(a) > g->config.max_per_address) {
        ok = MHD_NO;
    } else if (g->stats.open - g->stats.dying - g->stats.holding >= g->config.max_connections) {
        // Full: make room by dropping the connection that has waited longest without a request, so
        // idle or trickling clients cannot lock out one that sends its request at once. The list is in
        // accept order, so the first waiting one is the oldest connection still waiting (O(1) while the
        // head of the list is made of such connections, as it is under a flood).
        struct vcdm_conn *victim = NULL;
        for (struct vcdm_conn *e = g->head; e; e = e->next) {
            if (!e->killed && !e->held && waiting(e)) {
                victim = e;
                break;
            }
        }
        if (victim && should_evict(victim, a)) {
            kill_locked(g, victim);
            g->stats.evicted++;
        } else if (victim && g->stats.holding < g->config.max_held) {
            held = 1;
            g->stats.holding++;
            g->stats.held++;
        } else {
            ok = MHD_NO; // MHD closes the new socket at once
        }
    }
    if (ok == MHD_YES) {
        verdict.address = a;
        verdict.held = held;
        verdict.pending = 1;
    } else {
        g->stats.refused++;
        address_release_locked(g, a);
    }
    pthread_mutex_unlock(&g->lock);
    return ok;
}

void vcdm_guard_notify(void *cls, struct MHD_Connection *c, void **socket_context,
                       enum MHD_ConnectionNotificationCode code) {
    struct vcdm_guard *g = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        struct vcdm_conn *e = calloc(1, sizeof *e);
        if (!e) return;
        const union MHD_ConnectionInfo *info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        e->fd = info ? info->connect_fd : -1;
        e->connection = c;
        e->owner = pthread_self();
        uint64_t now = now_ms();
        atomic_init(&e->phase, PHASE_HEAD);
        atomic_init(&e->since, now);
        pthread_mutex_lock(&g->lock);
        if (verdict.pending) {
            e->address = verdict.address;
            e->held = verdict.held;
            verdict.pending = 0;
        }
        atomic_init(&e->deadline, now + (e->held ? g->config.hold_ms : g->config.head_timeout_ms));
        e->prev = g->tail;
        if (g->tail) g->tail->next = e; else g->head = e;
        g->tail = e;
        g->stats.open++;
        g->stats.accepted++;
        pthread_mutex_unlock(&g->lock);
        *socket_context = e;
        return;
    }
    struct vcdm_conn *e = *socket_context;
    if (!e) return;
    pthread_mutex_lock(&g->lock);
    if (e->prev) e->prev->next = e->next; else g->head = e->next;
    if (e->next) e->next->prev = e->prev; else g->tail = e->prev;
    g->stats.open--;
    if (e->killed) g->stats.dying--;
    if (e->held) g->stats.holding--;
    address_release_locked(g, e->address);
    if (e->answered_early && --g->answers_in_flight == 0) pthread_cond_broadcast(&g->settled);
    pthread_mutex_unlock(&g->lock);
    free(e);
    *socket_context = NULL;
}

static struct vcdm_conn *entry(struct MHD_Connection *c) {
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return info ? info->socket_context : NULL;
}

static void set_phase(struct vcdm_conn *e, int phase, uint64_t since, uint64_t deadline) {
    atomic_store_explicit(&e->deadline, deadline, memory_order_relaxed);
    atomic_store_explicit(&e->since, since, memory_order_relaxed);
    atomic_store_explicit(&e->phase, phase, memory_order_relaxed);
}

int vcdm_guard_head_received(struct vcdm_guard *g, struct MHD_Connection *c) {
    const char *length = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    const char *encoding = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING);
    int verdict = VCDM_BODY_NONE;
    uint64_t expected = 0;
    if (encoding) {
        verdict = VCDM_BODY_CHUNKED;
        expected = g->config.max_body_bytes;
    } else if (length) {
        // What MHD accepts: digits only, fitting 64 bits. Anything else MHD has answered itself already.
        uint64_t value = 0;
        const char *p = length;
        verdict = *p ? VCDM_BODY_LENGTH : VCDM_BODY_BAD_LENGTH;
        for (; *p; p++) {
            if (*p < '0' || *p > '9' || value > (UINT64_MAX - (uint64_t)(*p - '0')) / 10) {
                verdict = VCDM_BODY_BAD_LENGTH;
                break;
            }
            value = value * 10 + (uint64_t)(*p - '0');
        }
        expected = value < g->config.max_body_bytes ? value : g->config.max_body_bytes;
        if (verdict == VCDM_BODY_LENGTH && value == 0) verdict = VCDM_BODY_NONE;
    }
    struct vcdm_conn *e = entry(c);
    if (e && atomic_load_explicit(&e->held, memory_order_relaxed)) {
        // A held connection that sent its request in time is an ordinary one from now on.
        pthread_mutex_lock(&g->lock);
        if (e->held) {
            e->held = 0;
            g->stats.holding--;
        }
        pthread_mutex_unlock(&g->lock);
    }
    if (e) {
        uint64_t now = now_ms();
        if (verdict == VCDM_BODY_LENGTH || verdict == VCDM_BODY_CHUNKED)
            set_phase(e, PHASE_BODY, now, now + g->config.head_timeout_ms + expected * 1000u / g->config.body_bytes_per_second);
        else
            set_phase(e, PHASE_BUSY, now, 0);
    }
    return verdict;
}

void vcdm_guard_request_started(struct MHD_Connection *c, void *request) {
    struct vcdm_conn *e = entry(c);
    if (!e) return;
    e->request = request;
    vcdm_current_fd = e->fd;
}

void vcdm_guard_busy(struct MHD_Connection *c) {
    struct vcdm_conn *e = entry(c);
    if (e) set_phase(e, PHASE_BUSY, now_ms(), 0);
}

void vcdm_guard_idle(struct vcdm_guard *g, struct MHD_Connection *c) {
    struct vcdm_conn *e = entry(c);
    if (!e) return;
    // Between requests MHD's own timeout closes a silent connection; this deadline bounds a next
    // request head that trickles in.
    e->request = NULL;
    // MHD goes on to parse what the client sent after this request, without reading (early.c).
    vcdm_current_fd = e->fd;
    uint64_t now = now_ms();
    set_phase(e, PHASE_IDLE, now, now + g->config.idle_timeout_ms + g->config.head_timeout_ms);
}

unsigned int vcdm_guard_max_open(const struct vcdm_guard *g) {
    const struct vcdm_guard_config *c = &g->config;
    uint64_t open = (uint64_t)c->max_connections + c->max_connections / 8 + c->max_held;
    return open > UINT32_MAX / 2 ? UINT32_MAX / 2 : (unsigned int)open;
}

uint64_t vcdm_raise_fd_limit(uint64_t wanted) {
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
    if (limit.rlim_cur >= wanted) return limit.rlim_cur;
    rlim_t target = wanted < limit.rlim_max ? (rlim_t)wanted : limit.rlim_max;
    limit.rlim_cur = target;
    if (setrlimit(RLIMIT_NOFILE, &limit) != 0) getrlimit(RLIMIT_NOFILE, &limit);
    return limit.rlim_cur;
}
