// Answers for the requests libmicrohttpd 0.9.75 refuses before the access handler sees them: a
// Content-Length it cannot read (400; and 413 when it overflows 64 bits), a malformed header line (400), a
// request head larger than the connection's memory pool (431, or 414 when even the request line does not
// fit). MHD would send its own HTML page there, and for a bad Content-Length sends it TWICE (its
// HEADERS_RECEIVED step overwrites the state transmit_error_response set, so the reply headers are built
// again). MHD has no hook for this, but it logs every such error through MHD_DLOG on the connection's own
// worker thread just before queueing its page. So the logger finds that connection, sends the
// application's answer on the socket itself (or through the GnuTLS session) and shuts the socket down: the
// send of MHD's page then fails and MHD closes the connection. Exactly one response, the application's.
#include "CMicroHTTPDShims.h"
#include "guard_internal.h"
#include <errno.h>
#include <gnutls/gnutls.h>
#include <stdlib.h>
#include <string.h>

// transmit_error_response_len's message (connection.c, 0.9.75), built without NLS in Debian.
static const char refused_format[] =
    "Error processing request (HTTP response code is %u ('%s')). Closing connection.\n";

void vcdm_guard_set_early_answer(struct vcdm_guard *g, vcdm_early_answer_cb answer, void *cls) {
    g->early = answer;
    g->early_cls = cls;
}

/// The connection MHD is refusing right now with `status`, or NULL when it cannot be told apart for sure.
/// MHD is inside this thread's processing of that connection, so of this thread's live connections it is
/// one with no response queued and no handler running. If its head is complete (Content-Length errors come
/// right after it is), it is the only such connection with a complete head: for any other the handler is
/// called in the same step. If not, its request line was read (URI callback: `request` set) unless MHD says
/// 414; it is the one when no other connection of this thread is in that same state. While other
/// connections of the same worker are half-way through a head (or, for 414, idle), it is the one of them
/// this thread read last (reading.c).
static struct vcdm_conn *refused_connection_locked(struct vcdm_guard *g, unsigned int status) {
    pthread_t self = pthread_self();
    struct vcdm_conn *complete = NULL, *partial = NULL, *partial_read_last = NULL;
    int complete_count = 0, partial_count = 0;
    for (struct vcdm_conn *e = g->head; e; e = e->next) {
        if (e->killed || !pthread_equal(e->owner, self)) continue;
        int phase = atomic_load_explicit(&e->phase, memory_order_relaxed);
        if (phase == PHASE_BUSY) continue;
        if (MHD_get_connection_info(e->connection, MHD_CONNECTION_INFO_HTTP_STATUS) != NULL) continue;
        if (phase != PHASE_BODY &&
            MHD_get_connection_info(e->connection, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE) != NULL) {
            complete_count++;
            complete = e;
        } else if ((status == 414) == (e->request == NULL)) {
            partial_count++;
            partial = e;
            if (e->fd >= 0 && e->fd == vcdm_current_fd) partial_read_last = e;
        }
    }
    if (complete_count == 1) return complete;
    if (complete_count == 0 && partial_count == 1) return partial;
    if (complete_count == 0) return partial_read_last;
    return NULL;
}

static void send_all(struct vcdm_conn *e, const char *bytes, size_t length) {
    const union MHD_ConnectionInfo *tls = MHD_get_connection_info(e->connection, MHD_CONNECTION_INFO_GNUTLS_SESSION);
    size_t sent = 0;
    while (sent < length) {
        ssize_t n;
        int again;
        if (tls && tls->tls_session) {
            n = gnutls_record_send((gnutls_session_t)tls->tls_session, bytes + sent, length - sent);
            again = n == GNUTLS_E_INTERRUPTED;
        } else {
            n = send(e->fd, bytes + sent, length - sent, MSG_NOSIGNAL);
            again = n < 0 && errno == EINTR;
        }
        if (n > 0) sent += (size_t)n;
        // The socket buffer is empty at this point, so a failed write means the client is gone or stalls:
        // give up, the shutdown after it ends the connection either way.
        else if (!again) break;
    }
}

void vcdm_guard_log(void *cls, const char *format, va_list ap) {
    struct vcdm_guard *g = cls;
    // Every other MHD message is dropped, as without MHD_USE_ERROR_LOG.
    if (!g || !g->early || !format || strcmp(format, refused_format) != 0) return;
    unsigned int status = va_arg(ap, unsigned int);
    pthread_mutex_lock(&g->lock);
    struct vcdm_conn *e = g->answers_closed ? NULL : refused_connection_locked(g, status);
    // Marked dying now so neither the sweeper nor an eviction picks it; shut down only after the answer.
    if (e) {
        e->killed = 1;
        e->answered_early = 1;
        g->answers_in_flight++;
        g->stats.dying++;
        g->stats.answered_early++;
    }
    pthread_mutex_unlock(&g->lock);
    if (!e) return; // MHD's own page goes out (exactly once: only its Content-Length errors double)
    size_t length = 0;
    char *answer = g->early(g->early_cls, e->connection, e->request, status, &length);
    if (answer) send_all(e, answer, length);
    free(answer);
    // The entry stays valid: only this thread frees it (when MHD reports the connection closed).
    if (e->fd >= 0) shutdown(e->fd, SHUT_RDWR);
}

void vcdm_guard_close_answers(struct vcdm_guard *g, unsigned int timeout_ms) {
    // The client has the answer before MHD has queued its own page (just after this logger returns); a
    // client that then stops the server would make MHD_stop_daemon set its shutdown flag under that worker,
    // and MHD_queue_response then "succeeds" without a response, which build_header_response dereferences.
    // So: no new early answers, and wait until MHD has closed every answered connection.
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += timeout_ms / 1000;
    until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) { until.tv_sec++; until.tv_nsec -= 1000000000L; }
    pthread_mutex_lock(&g->lock);
    g->answers_closed = 1;
    while (g->answers_in_flight > 0)
        if (pthread_cond_timedwait(&g->settled, &g->lock, &until) != 0) break;
    pthread_mutex_unlock(&g->lock);
}
