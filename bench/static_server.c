/*
 * static_server: the throughput ceiling for vcd-mock's HTTP stack.
 *
 * Same libmicrohttpd mode as vcd-mock (internal polling thread + epoll,
 * thread pool = number of cores). For every request it answers 200 with the
 * fixed bytes of a file, a given Content-Type and a per-request
 * X-VMWARE-VCLOUD-REQUEST-ID header (UUID-shaped, from a counter). No routing,
 * no auth, no XML: what is left is the cost of HTTP itself.
 *
 * Usage: static_server BODY_FILE CONTENT_TYPE [PORT]
 *   PORT 0 (default) picks a free port. Prints
 *   "static_server listening on http://127.0.0.1:PORT" once it accepts
 *   connections, then serves until SIGINT/SIGTERM.
 *
 * Build: cc -O2 -o static_server static_server.c -lmicrohttpd
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if MHD_VERSION < 0x00097002
typedef int MHD_Result_t;
#else
typedef enum MHD_Result MHD_Result_t;
#endif

static char *body;
static size_t body_len;
static const char *content_type;
static atomic_uint_fast64_t counter;
static int first_call_marker;

static MHD_Result_t handler(void *cls, struct MHD_Connection *con, const char *url,
                            const char *method, const char *version, const char *upload_data,
                            size_t *upload_data_size, void **con_cls) {
    (void)cls; (void)url; (void)method; (void)version; (void)upload_data;
    /* First call: headers only. Queueing here makes MHD close the connection
     * (it cannot know whether a body will follow), so wait for the second. */
    if (*con_cls == NULL) {
        *con_cls = &first_call_marker;
        return MHD_YES;
    }
    if (*upload_data_size != 0) { /* drain any body */
        *upload_data_size = 0;
        return MHD_YES;
    }
    struct MHD_Response *r =
        MHD_create_response_from_buffer(body_len, body, MHD_RESPMEM_PERSISTENT);
    if (r == NULL) return MHD_NO;
    uint64_t n = atomic_fetch_add(&counter, 1);
    char id[40];
    snprintf(id, sizeof id, "00000000-0000-4000-8000-%012llx", (unsigned long long)n);
    MHD_add_response_header(r, "Content-Type", content_type);
    MHD_add_response_header(r, "X-VMWARE-VCLOUD-REQUEST-ID", id);
    MHD_Result_t ret = MHD_queue_response(con, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ret;
}

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    *len = n;
    return buf;
}

int main(int argc, char **argv) {
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: %s BODY_FILE CONTENT_TYPE [PORT]\n", argv[0]);
        return 2;
    }
    body = read_file(argv[1], &body_len);
    if (body == NULL) { perror(argv[1]); return 1; }
    content_type = argv[2];
    int port = argc == 4 ? atoi(argv[3]) : 0;
    if (port < 0 || port > 65535) { fprintf(stderr, "bad port %s\n", argv[3]); return 2; }
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    if (cores < 1) cores = 1;

    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL); /* worker threads inherit the mask */

    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL, (uint16_t)port, NULL, NULL,
        handler, NULL,
        MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)cores,
        MHD_OPTION_CONNECTION_TIMEOUT, 30u,
        MHD_OPTION_LISTENING_ADDRESS_REUSE, 1,
        MHD_OPTION_END);
    if (d == NULL) { fprintf(stderr, "cannot listen on 127.0.0.1:%d\n", port); return 1; }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    printf("static_server listening on http://127.0.0.1:%u\n", info ? info->port : (unsigned)port);
    fflush(stdout);

    int sig;
    sigwait(&set, &sig);
    MHD_stop_daemon(d);
    free(body);
    return 0;
}
