// The mock's own listen socket and accept thread (accept.c), used by shims.c. Not a public header.
#ifndef VCDM_ACCEPT_INTERNAL_H
#define VCDM_ACCEPT_INTERNAL_H
#include "CMicroHTTPDShims.h"

/// A non-blocking listening socket bound to host:port (port 0 = any free port), or -1 with err filled.
int vcdm_listen(const char *host, uint16_t port, uint16_t *bound_port, char *err, size_t err_len);

struct vcdm_acceptor;
/// Starts the thread that accepts every connection on listen_fd and hands it to the daemon; NULL on failure.
struct vcdm_acceptor *vcdm_acceptor_start(int listen_fd, struct MHD_Daemon *daemon, struct vcdm_guard *guard);
/// Stops and joins the thread (the listen socket stays open: the caller closes it).
void vcdm_acceptor_stop(struct vcdm_acceptor *acceptor);

#endif
