#ifndef VCDM_CMICROHTTPDSHIMS_H
#define VCDM_CMICROHTTPDSHIMS_H
// Fixed-argument wrappers for the variadic parts of libmicrohttpd, which Swift cannot call directly.
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <stdarg.h>
#include <microhttpd.h>

typedef void *(*vcdm_uri_log_cb)(void *cls, const char *uri, struct MHD_Connection *con);

/// Limits of the connection guard (guard.c).
struct vcdm_guard_config {
    /// Open connections at most; when full a new one evicts the oldest one still waiting for a request
    /// head, is held beyond the limit for a short while, or is closed at once (guard.c says which).
    unsigned int max_connections;
    /// Open connections per client address at most (0 = no limit); past it a new one is closed at once.
    unsigned int max_per_address;
    /// A request head must be complete this long after the connection opened.
    uint64_t head_timeout_ms;
    /// Between requests: a next head must be complete within idle + head timeout of the last answer.
    uint64_t idle_timeout_ms;
    /// A body must arrive at this rate at least (plus the head timeout); bounded by max_body_bytes.
    uint64_t body_bytes_per_second;
    uint64_t max_body_bytes;
    /// A connection held beyond the limit (instead of evicting, guard.c) must send a complete request head
    /// within this time, and at most max_held are held at once (0 = none: closed at once instead).
    uint64_t hold_ms;
    unsigned int max_held;
};

struct vcdm_guard_stats {
    uint64_t open, dying, accepted, refused, evicted, timed_out;
    /// New connections held beyond the limit for a short while instead of evicting (guard.c), and how
    /// many of them are open now.
    uint64_t held, holding;
    /// Requests MHD refused itself that got the application's answer instead of MHD's page (early.c).
    uint64_t answered_early;
};

/// Builds the complete HTTP response (status line, headers, body; `Connection: close`) for a request MHD
/// refuses itself with `status` (400, 413, 414, 431, 500): malloc'ed bytes and their count, or NULL.
/// `request` is what the URI log callback returned for it, NULL when MHD never read the request line.
typedef void *(*vcdm_early_answer_cb)(void *cls, struct MHD_Connection *con, void *request, unsigned int status,
                                      size_t *length);

struct vcdm_guard;
struct vcdm_guard *vcdm_guard_create(const struct vcdm_guard_config *config);
/// After MHD_stop_daemon.
void vcdm_guard_destroy(struct vcdm_guard *guard);
struct vcdm_guard_stats vcdm_guard_stats(struct vcdm_guard *guard);
/// Connections that can be open at once: the limit, the held ones beyond it, and room (1/8 of the limit)
/// for ones shut down but not yet closed by their worker. MHD's limit and the descriptor limit sit above.
unsigned int vcdm_guard_max_open(const struct vcdm_guard *guard);

enum { VCDM_BODY_NONE = 0, VCDM_BODY_LENGTH = 1, VCDM_BODY_CHUNKED = 2, VCDM_BODY_BAD_LENGTH = 3 };
/// The head is complete (first access-handler call): starts the body deadline. Returns a VCDM_BODY_*;
/// VCDM_BODY_BAD_LENGTH means MHD has already queued its own 400/413 for the Content-Length.
int vcdm_guard_head_received(struct vcdm_guard *guard, struct MHD_Connection *con);
/// The URI log callback ran: `request` is the application's state for this request (see early.c).
void vcdm_guard_request_started(struct MHD_Connection *con, void *request);
/// Who answers the requests MHD refuses itself (early.c); call before vcdm_start_daemon.
void vcdm_guard_set_early_answer(struct vcdm_guard *guard, vcdm_early_answer_cb answer, void *cls);
/// Before MHD_stop_daemon: no more early answers, and waits (at most timeout_ms) until MHD has closed every
/// connection that got one (early.c says why).
void vcdm_guard_close_answers(struct vcdm_guard *guard, unsigned int timeout_ms);
/// MHD_OPTION_EXTERNAL_LOGGER (cls: the guard): sends the early answer in place of MHD's HTML error.
void vcdm_guard_log(void *cls, const char *format, va_list ap);
/// The body is complete: the handler owns the connection, no deadline.
void vcdm_guard_busy(struct MHD_Connection *con);
/// The request completed: the connection waits for the next one.
void vcdm_guard_idle(struct vcdm_guard *guard, struct MHD_Connection *con);
/// MHD's accept policy: the per-address and total limits, eviction, holding (guard.c).
enum MHD_Result vcdm_guard_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen);
void vcdm_guard_notify(void *cls, struct MHD_Connection *con, void **socket_context,
                       enum MHD_ConnectionNotificationCode code);

/// Raises the soft RLIMIT_NOFILE to at least `wanted` (up to the hard limit); returns the soft limit now.
uint64_t vcdm_raise_fd_limit(uint64_t wanted);

/// Starts an epoll daemon with an internal thread pool bound to host:port (port 0 = any free port).
/// With both PEM strings non-NULL it serves HTTPS (MHD_USE_TLS). Returns NULL and fills err on failure.
struct MHD_Daemon *vcdm_start_daemon(const char *host, uint16_t port, unsigned int threads,
                                     unsigned int connection_timeout_s,
                                     struct vcdm_guard *guard, size_t memory_limit,
                                     MHD_AccessHandlerCallback handler, void *handler_cls,
                                     MHD_RequestCompletedCallback completed, void *completed_cls,
                                     vcdm_uri_log_cb uri_log, void *uri_log_cls,
                                     const char *tls_cert_pem, const char *tls_key_pem,
                                     char *err, size_t err_len);

/// The port the daemon really listens on.
uint16_t vcdm_daemon_port(struct MHD_Daemon *daemon);

/// The peer's address as text and its port; returns 0 on success.
int vcdm_client_address(struct MHD_Connection *con, char *buf, size_t len, uint16_t *port);

/// Whether this libmicrohttpd was built with TLS (MHD_FEATURE_TLS).
int vcdm_tls_supported(void);

/// A self-signed ECDSA P-256 certificate for names[0] (subject CN) with every name as a subject alternative
/// name (IP addresses as IP SANs), valid from a minute ago for `days` days. On success returns 0 and two
/// malloc'ed PEM strings the caller frees; on failure -1 with err filled.
int vcdm_tls_self_signed(const char *const *names, size_t name_count, unsigned int days,
                         char **cert_pem, char **key_pem, char *err, size_t err_len);

/// 0 when the PEM certificate and private key load together as GnuTLS credentials (as MHD will load them).
int vcdm_tls_check_pair(const char *cert_pem, const char *key_pem, char *err, size_t err_len);

/// HMAC-SHA256 into out; 0 on success.
int vcdm_hmac_sha256(const void *key, size_t key_len, const void *data, size_t data_len, unsigned char out[32]);

/// Key-grade random bytes; 0 on success.
int vcdm_random(void *buf, size_t len);

#endif
