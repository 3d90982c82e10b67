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

/// Starts an epoll daemon with an internal thread pool bound to host:port (port 0 = any free port).
/// With both PEM strings non-NULL it serves HTTPS (MHD_USE_TLS). Returns NULL and fills err on failure.
struct MHD_Daemon *vcdm_start_daemon(const char *host, uint16_t port, unsigned int threads,
                                     unsigned int connection_timeout_s,
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
