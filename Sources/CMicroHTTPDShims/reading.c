// Which connection a libmicrohttpd worker thread is working on right now, for early.c: when MHD refuses a
// head larger than the connection's memory pool, its logger call does not say which connection that is,
// and other connections of the same worker can be in the same state (half-way through a head). MHD reads
// a connection (MHD_connection_handle_read) and then parses what it read (MHD_connection_handle_idle,
// where it refuses), with nothing in between; so the descriptor this thread last read from is the
// refused connection's. MHD reads with recv(2), or gnutls_record_recv for TLS (which may return records
// it already holds without a recv); both are defined here, so the dynamic linker binds libmicrohttpd's
// (and GnuTLS's) calls to them, and they pass on to the real functions after noting the descriptor.
#define _GNU_SOURCE
#undef _FORTIFY_SOURCE
#include "guard_internal.h"
#include <dlfcn.h>
#include <gnutls/gnutls.h>
#include <stdatomic.h>

_Thread_local int vcdm_current_fd = -1;

ssize_t recv(int fd, void *buf, size_t len, int flags) {
    vcdm_current_fd = fd;
    return recvfrom(fd, buf, len, flags, NULL, NULL);
}

typedef ssize_t (*record_recv_fn)(gnutls_session_t, void *, size_t);

ssize_t gnutls_record_recv(gnutls_session_t session, void *data, size_t data_size) {
    static _Atomic(record_recv_fn) real;
    record_recv_fn next = atomic_load_explicit(&real, memory_order_relaxed);
    if (!next) {
        next = (record_recv_fn)dlsym(RTLD_NEXT, "gnutls_record_recv");
        if (!next) return GNUTLS_E_INTERNAL_ERROR;
        atomic_store_explicit(&real, next, memory_order_relaxed);
    }
    vcdm_current_fd = gnutls_transport_get_int(session);
    return next(session, data, data_size);
}
