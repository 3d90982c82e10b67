// Drains every notification the benchmark produces, as bench/drain.py does, but in C with rabbitmq-c:
// on 2 cores the Python consumer spent as much CPU per message as vcd-mock itself (issue 11 notes), so the
// benchmark measured pika. One queue bound to both notification exchanges, consumed with no-ack.
// Prints "drain ready" once bound, and "drain received N" on SIGTERM/SIGINT.
// Build: cc -O2 -o drain bench/drain.c -lrabbitmq     Run: drain amqp://guest:guest@127.0.0.1:5672/%2F
#include <amqp.h>
#include <amqp_tcp_socket.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

static volatile sig_atomic_t stop;
static void on_signal(int sig) { (void)sig; stop = 1; }

static int failed(amqp_connection_state_t c, const char *what) {
    amqp_rpc_reply_t r = amqp_get_rpc_reply(c);
    if (r.reply_type == AMQP_RESPONSE_NORMAL) return 0;
    fprintf(stderr, "drain: %s failed (reply type %d)\n", what, r.reply_type);
    return 1;
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: drain AMQP_URL\n"); return 2; }
    struct amqp_connection_info info;
    char *url = strdup(argv[1]);
    if (!url || amqp_parse_url(url, &info) != AMQP_STATUS_OK) { fprintf(stderr, "drain: bad URL\n"); return 2; }
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    amqp_connection_state_t c = amqp_new_connection();
    amqp_socket_t *s = amqp_tcp_socket_new(c);
    if (!s || amqp_socket_open(s, info.host, info.port) != AMQP_STATUS_OK) { fprintf(stderr, "drain: cannot connect\n"); return 1; }
    amqp_rpc_reply_t login = amqp_login(c, info.vhost, 0, 131072, 0, AMQP_SASL_METHOD_PLAIN, info.user, info.password);
    if (login.reply_type != AMQP_RESPONSE_NORMAL) { fprintf(stderr, "drain: login failed\n"); return 1; }
    amqp_channel_open(c, 1);
    if (failed(c, "channel.open")) return 1;
    const char *exchanges[] = {"systemExchange", "vcd.notifications20"};
    amqp_queue_declare_ok_t *q = amqp_queue_declare(c, 1, amqp_empty_bytes, 0, 0, 1, 1, amqp_empty_table);
    if (failed(c, "queue.declare") || !q) return 1;
    amqp_bytes_t queue = amqp_bytes_malloc_dup(q->queue);
    for (int i = 0; i < 2; i++) {
        amqp_exchange_declare(c, 1, amqp_cstring_bytes(exchanges[i]), amqp_cstring_bytes("topic"), 0, 1, 0, 0, amqp_empty_table);
        if (failed(c, "exchange.declare")) return 1;
        amqp_queue_bind(c, 1, queue, amqp_cstring_bytes(exchanges[i]), amqp_cstring_bytes("#"), amqp_empty_table);
        if (failed(c, "queue.bind")) return 1;
    }
    amqp_basic_consume(c, 1, queue, amqp_empty_bytes, 0, 1, 0, amqp_empty_table);
    if (failed(c, "basic.consume")) return 1;
    printf("drain ready\n");
    fflush(stdout);
    unsigned long count = 0;
    struct timeval tick = {0, 100000};
    while (!stop) {
        amqp_envelope_t e;
        amqp_maybe_release_buffers(c);
        amqp_rpc_reply_t r = amqp_consume_message(c, &e, &tick, 0);
        if (r.reply_type == AMQP_RESPONSE_NORMAL) {
            count++;
            amqp_destroy_envelope(&e);
        } else if (r.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION && r.library_error == AMQP_STATUS_TIMEOUT) {
            continue;
        } else {
            fprintf(stderr, "drain: consume ended (reply type %d, error %d)\n", r.reply_type, r.library_error);
            break;
        }
    }
    printf("drain received %lu\n", count);
    fflush(stdout);
    return 0;
}
