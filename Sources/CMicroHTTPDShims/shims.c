#include "CMicroHTTPDShims.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

struct MHD_Daemon *vcdm_start_daemon(const char *host, uint16_t port, unsigned int threads,
                                     unsigned int connection_timeout_s,
                                     struct vcdm_guard *guard, size_t memory_limit,
                                     MHD_AccessHandlerCallback handler, void *handler_cls,
                                     MHD_RequestCompletedCallback completed, void *completed_cls,
                                     vcdm_uri_log_cb uri_log, void *uri_log_cls,
                                     const char *tls_cert_pem, const char *tls_key_pem,
                                     char *err, size_t err_len) {
    struct sockaddr_in v4;
    struct sockaddr_in6 v6;
    const struct sockaddr *addr = NULL;
    // MHD_USE_ERROR_LOG: its messages go to vcdm_guard_log, which answers the requests MHD refuses (early.c).
    unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
    memset(&v4, 0, sizeof v4);
    memset(&v6, 0, sizeof v6);
    if (inet_pton(AF_INET, host, &v4.sin_addr) == 1) {
        v4.sin_family = AF_INET;
        v4.sin_port = htons(port);
        addr = (const struct sockaddr *)&v4;
    } else if (inet_pton(AF_INET6, host, &v6.sin6_addr) == 1) {
        v6.sin6_family = AF_INET6;
        v6.sin6_port = htons(port);
        addr = (const struct sockaddr *)&v6;
        flags |= MHD_USE_IPv6;
    } else {
        snprintf(err, err_len, "'%s' is not an IPv4 or IPv6 address", host);
        return NULL;
    }
    if (threads < 1) threads = 1;
    int tls = tls_cert_pem != NULL && tls_key_pem != NULL;
    if (tls) {
        if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
            snprintf(err, err_len, "this libmicrohttpd was built without TLS (MHD_FEATURE_TLS)");
            return NULL;
        }
        flags |= MHD_USE_TLS;
    }
    // Options as an array so the TLS pair can be left out; a plain-HTTP client on the TLS port fails the
    // handshake and MHD closes that connection (no worker waits for it).
    // MHD's own connection limit sits above the guard's: at its limit MHD stops accepting and new clients
    // would queue silently in the kernel; the guard refuses or evicts first (guard.c). Above it: the
    // connections the guard has shut down until their worker closes them, and those it holds instead of
    // evicting for them.
    unsigned int mhd_limit = vcdm_guard_max_open(guard) + 64;
    struct MHD_OptionItem options[] = {
        // First: MHD logs option warnings while it parses the rest (to stderr until this is set).
        {MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)vcdm_guard_log, guard},
        {MHD_OPTION_SOCK_ADDR, 0, (void *)addr},
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
    struct MHD_Daemon *d = MHD_start_daemon(flags, port, vcdm_guard_accept, guard, handler, handler_cls,
                                            MHD_OPTION_ARRAY, options, MHD_OPTION_END);
    if (d == NULL)
        snprintf(err, err_len, tls ? "cannot listen on %s:%u with TLS (address in use, not local, or a bad certificate/key?)"
                                   : "cannot listen on %s:%u (address in use or not local?)", host, port);
    return d;
}

uint16_t vcdm_daemon_port(struct MHD_Daemon *daemon) {
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info ? info->port : 0;
}

int vcdm_client_address(struct MHD_Connection *con, char *buf, size_t len, uint16_t *port) {
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(con, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!info || !info->client_addr) return -1;
    const struct sockaddr *sa = info->client_addr;
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        *port = ntohs(in->sin_port);
        // Dotted quad by hand: glibc's inet_ntop goes through sprintf (~1,700 instructions a request).
        if (len < 16) return -1;
        const unsigned char *b = (const unsigned char *)&in->sin_addr;
        char *p = buf;
        for (int i = 0; i < 4; i++) {
            unsigned v = b[i];
            if (v >= 100) *p++ = (char)('0' + v / 100);
            if (v >= 10) *p++ = (char)('0' + v / 10 % 10);
            *p++ = (char)('0' + v % 10);
            *p++ = i < 3 ? '.' : '\0';
        }
        return 0;
    }
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        *port = ntohs(in6->sin6_port);
        return inet_ntop(AF_INET6, &in6->sin6_addr, buf, (socklen_t)len) ? 0 : -1;
    }
    return -1;
}


int vcdm_tls_supported(void) { return MHD_is_feature_supported(MHD_FEATURE_TLS) == MHD_YES; }
