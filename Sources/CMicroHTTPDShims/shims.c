#include "CMicroHTTPDShims.h"
#include "accept_internal.h"
#include <limits.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

struct vcdm_server {
    struct MHD_Daemon *daemon;
    struct vcdm_acceptor *acceptor;
    int listen_fd;
    uint16_t port;
};

struct vcdm_server *vcdm_server_start(const char *host, uint16_t port, unsigned int threads,
                                      unsigned int connection_timeout_s,
                                      struct vcdm_guard *guard, size_t memory_limit,
                                      MHD_AccessHandlerCallback handler, void *handler_cls,
                                      MHD_RequestCompletedCallback completed, void *completed_cls,
                                      vcdm_uri_log_cb uri_log, void *uri_log_cls,
                                      const char *tls_cert_pem, const char *tls_key_pem,
                                      char *err, size_t err_len) {
    // MHD_USE_ERROR_LOG: its messages go to vcdm_guard_log, which answers the requests MHD refuses (early.c).
    // No listen socket of MHD's: accept.c accepts and hands sockets over (MHD_USE_ITC wakes the worker).
    unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG |
                         MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ITC;
    if (threads < 1) threads = 1;
    int tls = tls_cert_pem != NULL && tls_key_pem != NULL;
    if (tls) {
        if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
            snprintf(err, err_len, "this libmicrohttpd was built without TLS (MHD_FEATURE_TLS)");
            return NULL;
        }
        flags |= MHD_USE_TLS;
    }
    struct vcdm_server *server = calloc(1, sizeof *server);
    if (!server) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    server->listen_fd = vcdm_listen(host, port, &server->port, err, err_len);
    if (server->listen_fd < 0) {
        free(server);
        return NULL;
    }
    // Options as an array so the TLS pair can be left out; a plain-HTTP client on the TLS port fails the
    // handshake and MHD closes that connection (no worker waits for it).
    // The guard refuses or evicts (guard.c); MHD's own limit must never be reached. MHD_add_connection
    // queues a socket for a worker that has room by the worker's count of connections it has started, but
    // the worker checks again when it starts it, and 0.9.75 leaves the worker's cleanup mutex locked when
    // that check fails (new_connection_process_): the worker deadlocks on its next connection. Every
    // connection holds a descriptor, so a per-worker limit as large as the descriptor limit cannot be hit.
    struct rlimit fds;
    unsigned long long open_max = getrlimit(RLIMIT_NOFILE, &fds) == 0 && fds.rlim_cur != RLIM_INFINITY
                                      ? (unsigned long long)fds.rlim_cur : 1ull << 20;
    unsigned long long wanted = (open_max + 1) * threads;
    unsigned int mhd_limit = wanted > UINT_MAX / 2 ? UINT_MAX / 2 : (unsigned int)wanted;
    struct MHD_OptionItem options[] = {
        // First: MHD logs option warnings while it parses the rest (to stderr until this is set).
        {MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)vcdm_guard_log, guard},
        {MHD_OPTION_THREAD_POOL_SIZE, threads, NULL},
        {MHD_OPTION_CONNECTION_TIMEOUT, connection_timeout_s, NULL},
        {MHD_OPTION_CONNECTION_LIMIT, mhd_limit, NULL},
        {MHD_OPTION_CONNECTION_MEMORY_LIMIT, (intptr_t)memory_limit, NULL},
        {MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)vcdm_guard_notify, guard},
        {MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)completed, completed_cls},
        {MHD_OPTION_URI_LOG_CALLBACK, (intptr_t)uri_log, uri_log_cls},
        {tls ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END, 0, (void *)tls_key_pem},
        {tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0, (void *)tls_cert_pem},
        {MHD_OPTION_END, 0, NULL},
    };
    server->daemon = MHD_start_daemon(flags, 0, NULL, NULL, handler, handler_cls,
                                      MHD_OPTION_ARRAY, options, MHD_OPTION_END);
    if (server->daemon) server->acceptor = vcdm_acceptor_start(server->listen_fd, server->daemon, guard);
    if (!server->acceptor) {
        snprintf(err, err_len, server->daemon ? "cannot start the accept thread"
                               : tls ? "cannot start the HTTPS server on %s:%u (a bad certificate/key?)"
                                     : "cannot start the HTTP server on %s:%u", host, port);
        if (server->daemon) MHD_stop_daemon(server->daemon);
        close(server->listen_fd);
        free(server);
        return NULL;
    }
    return server;
}

uint16_t vcdm_server_port(const struct vcdm_server *server) { return server->port; }

void vcdm_server_stop(struct vcdm_server *server) {
    // Nothing new reaches MHD once the accept thread has stopped; then MHD closes what it has.
    vcdm_acceptor_stop(server->acceptor);
    close(server->listen_fd);
    MHD_stop_daemon(server->daemon);
    free(server);
}

int vcdm_client_address(struct MHD_Connection *con, char *buf, size_t len, uint16_t *port) {
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(con, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!info || !info->client_addr) return -1;
    const struct sockaddr *sa = info->client_addr;
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        *port = ntohs(in->sin_port);
        return inet_ntop(AF_INET, &in->sin_addr, buf, (socklen_t)len) ? 0 : -1;
    }
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        *port = ntohs(in6->sin6_port);
        return inet_ntop(AF_INET6, &in6->sin6_addr, buf, (socklen_t)len) ? 0 : -1;
    }
    return -1;
}


int vcdm_tls_supported(void) { return MHD_is_feature_supported(MHD_FEATURE_TLS) == MHD_YES; }
