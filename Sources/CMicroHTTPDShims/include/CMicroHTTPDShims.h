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
/// Returns NULL and fills err on failure.
struct MHD_Daemon *vcdm_start_daemon(const char *host, uint16_t port, unsigned int threads,
                                     unsigned int connection_timeout_s,
                                     MHD_AccessHandlerCallback handler, void *handler_cls,
                                     MHD_RequestCompletedCallback completed, void *completed_cls,
                                     vcdm_uri_log_cb uri_log, void *uri_log_cls,
                                     char *err, size_t err_len);

/// The port the daemon really listens on.
uint16_t vcdm_daemon_port(struct MHD_Daemon *daemon);

/// The peer's address as text and its port; returns 0 on success.
int vcdm_client_address(struct MHD_Connection *con, char *buf, size_t len, uint16_t *port);

#endif
