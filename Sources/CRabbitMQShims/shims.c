#include "CRabbitMQShims.h"
#include "connection.h"
#include <amqp.h>
#include <amqp_tcp_socket.h>
#include <amqp_framing.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <errno.h>


static void copy_bytes(char *dst, size_t len, amqp_bytes_t b) {
    size_t n = b.len < len - 1 ? b.len : len - 1;
    if (n > 0 && b.bytes) memcpy(dst, b.bytes, n);
    dst[n] = 0;
}

static int reply_error(amqp_rpc_reply_t r, const char *what, char *err, size_t err_len) {
    switch (r.reply_type) {
    case AMQP_RESPONSE_NORMAL:
        return 0;
    case AMQP_RESPONSE_NONE:
        snprintf(err, err_len, "%s: no reply from the broker", what);
        break;
    case AMQP_RESPONSE_LIBRARY_EXCEPTION:
        snprintf(err, err_len, "%s: %s", what, amqp_error_string2(r.library_error));
        break;
    case AMQP_RESPONSE_SERVER_EXCEPTION:
        if (r.reply.id == AMQP_CONNECTION_CLOSE_METHOD) {
            amqp_connection_close_t *m = (amqp_connection_close_t *)r.reply.decoded;
            char text[256];
            copy_bytes(text, sizeof text, m->reply_text);
            snprintf(err, err_len, "%s: broker closed the connection: %u %s", what, m->reply_code, text);
        } else if (r.reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
            amqp_channel_close_t *m = (amqp_channel_close_t *)r.reply.decoded;
            char text[256];
            copy_bytes(text, sizeof text, m->reply_text);
            snprintf(err, err_len, "%s: broker closed the channel: %u %s", what, m->reply_code, text);
        } else {
            snprintf(err, err_len, "%s: broker error (method 0x%08X)", what, r.reply.id);
        }
        break;
    }
    return -1;
}

vcdm_amqp *vcdm_amqp_connect(const char *host, int port, const char *vhost, const char *user,
                             const char *password, int timeout_ms, char *err, size_t err_len) {
    amqp_connection_state_t conn = amqp_new_connection();
    if (!conn) { snprintf(err, err_len, "out of memory"); return NULL; }
    amqp_socket_t *socket = amqp_tcp_socket_new(conn);
    if (!socket) { snprintf(err, err_len, "cannot create a socket"); amqp_destroy_connection(conn); return NULL; }
    struct timeval tv = { timeout_ms / 1000, (timeout_ms % 1000) * 1000 };
    amqp_set_handshake_timeout(conn, &tv);
    amqp_set_rpc_timeout(conn, &tv);
    int status = amqp_socket_open_noblock(socket, host, port, &tv);
    if (status != AMQP_STATUS_OK) {
        snprintf(err, err_len, "cannot connect to %s:%d: %s", host, port, amqp_error_string2(status));
        amqp_destroy_connection(conn);
        return NULL;
    }
    amqp_rpc_reply_t r = amqp_login(conn, vhost, 0, 131072, 0, AMQP_SASL_METHOD_PLAIN, user, password);
    if (reply_error(r, "login", err, err_len) != 0) {
        amqp_destroy_connection(conn);
        return NULL;
    }
    amqp_channel_open(conn, 1);
    if (reply_error(amqp_get_rpc_reply(conn), "channel.open", err, err_len) != 0) {
        amqp_connection_close(conn, AMQP_REPLY_SUCCESS);
        amqp_destroy_connection(conn);
        return NULL;
    }
    amqp_channel_open(conn, 2);
    if (reply_error(amqp_get_rpc_reply(conn), "channel.open 2", err, err_len) != 0) {
        amqp_connection_close(conn, AMQP_REPLY_SUCCESS);
        amqp_destroy_connection(conn);
        return NULL;
    }
    vcdm_amqp *c = calloc(1, sizeof *c);
    c->conn = conn;
    return c;
}

int vcdm_amqp_declare_exchange(vcdm_amqp *c, const char *name, const char *type, char *err, size_t err_len) {
    amqp_exchange_declare(c->conn, 1, amqp_cstring_bytes(name), amqp_cstring_bytes(type), 0, 1, 0, 0,
                          amqp_empty_table);
    char what[300];
    snprintf(what, sizeof what, "exchange.declare %s (%s)", name, type);
    return reply_error(amqp_get_rpc_reply(c->conn), what, err, err_len);
}

int vcdm_amqp_confirm_select(vcdm_amqp *c, char *err, size_t err_len) {
    amqp_confirm_select(c->conn, 1);
    return reply_error(amqp_get_rpc_reply(c->conn), "confirm.select", err, err_len);
}

int vcdm_amqp_declare_queue(vcdm_amqp *c, const char *name, int exclusive, int auto_delete,
                            char *name_out, size_t name_len, char *err, size_t err_len) {
    amqp_queue_declare_ok_t *ok = amqp_queue_declare(c->conn, 1, amqp_cstring_bytes(name), 0, !exclusive, exclusive,
                                                     auto_delete, amqp_empty_table);
    if (reply_error(amqp_get_rpc_reply(c->conn), "queue.declare", err, err_len) != 0 || !ok) return -1;
    copy_bytes(name_out, name_len, ok->queue);
    return 0;
}

int vcdm_amqp_bind_queue(vcdm_amqp *c, const char *queue, const char *exchange, const char *key,
                         char *err, size_t err_len) {
    amqp_queue_bind(c->conn, 1, amqp_cstring_bytes(queue), amqp_cstring_bytes(exchange), amqp_cstring_bytes(key),
                    amqp_empty_table);
    return reply_error(amqp_get_rpc_reply(c->conn), "queue.bind", err, err_len);
}

int vcdm_amqp_consume(vcdm_amqp *c, const char *queue, char *err, size_t err_len) {
    amqp_basic_consume(c->conn, 1, amqp_cstring_bytes(queue), amqp_empty_bytes, 0, 1, 0, amqp_empty_table);
    return reply_error(amqp_get_rpc_reply(c->conn), "basic.consume", err, err_len);
}

int vcdm_amqp_exchange_exists(vcdm_amqp *c, const char *name, char *err, size_t err_len) {
    amqp_exchange_declare(c->conn, 2, amqp_cstring_bytes(name), amqp_cstring_bytes("direct"), 1, 0, 0, 0,
                          amqp_empty_table);
    amqp_rpc_reply_t r = amqp_get_rpc_reply(c->conn);
    if (r.reply_type == AMQP_RESPONSE_NORMAL) return 1;
    if (r.reply_type == AMQP_RESPONSE_SERVER_EXCEPTION && r.reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
        amqp_channel_close_t *m = (amqp_channel_close_t *)r.reply.decoded;
        int code = m->reply_code;
        amqp_channel_close_ok_t close_ok = {0};
        amqp_send_method(c->conn, 2, AMQP_CHANNEL_CLOSE_OK_METHOD, &close_ok);
        amqp_channel_open(c->conn, 2);
        if (reply_error(amqp_get_rpc_reply(c->conn), "channel.open 2", err, err_len) != 0) return -1;
        if (code == 404) return 0;
        snprintf(err, err_len, "exchange %s: broker answered %d", name, code);
        return -1;
    }
    reply_error(r, "exchange.declare passive", err, err_len);
    return -1;
}

int vcdm_amqp_wait(vcdm_amqp *c, int wake_fd, int timeout_ms) {
    char err[128];
    if (vcdm_amqp_flush(c, err, sizeof err) != 0) return -1;
    if (amqp_frames_enqueued(c->conn) || amqp_data_in_buffer(c->conn)) return 1;
    struct pollfd fds[2] = { { amqp_get_sockfd(c->conn), POLLIN, 0 }, { wake_fd, POLLIN, 0 } };
    int n = poll(fds, wake_fd >= 0 ? 2 : 1, timeout_ms);
    if (n < 0) return errno == EINTR ? 0 : -1;
    if (n == 0) return 0;
    if (fds[0].revents) return 1;
    return 2;
}

void vcdm_amqp_free(void *p) { free(p); }

int vcdm_eventfd(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }

/// Reads a delivery's content header and body; keeps the correlation id and the whole body.
static int read_delivery(vcdm_amqp *c, vcdm_amqp_event *ev) {
    amqp_frame_t frame;
    struct timeval tv = { 5, 0 };
    int status = amqp_simple_wait_frame_noblock(c->conn, &frame, &tv);
    if (status != AMQP_STATUS_OK || frame.frame_type != AMQP_FRAME_HEADER) return -1;
    amqp_basic_properties_t *p = (amqp_basic_properties_t *)frame.payload.properties.decoded;
    if (p && (p->_flags & AMQP_BASIC_CORRELATION_ID_FLAG)) copy_bytes(ev->correlation_id, sizeof ev->correlation_id, p->correlation_id);
    size_t size = (size_t)frame.payload.properties.body_size;
    ev->body = malloc(size > 0 ? size : 1);
    ev->body_len = 0;
    while (ev->body_len < size) {
        status = amqp_simple_wait_frame_noblock(c->conn, &frame, &tv);
        if (status != AMQP_STATUS_OK || frame.frame_type != AMQP_FRAME_BODY) { free(ev->body); ev->body = NULL; return -1; }
        size_t n = frame.payload.body_fragment.len;
        if (n > size - ev->body_len) n = size - ev->body_len;
        memcpy(ev->body + ev->body_len, frame.payload.body_fragment.bytes, n);
        ev->body_len += n;
    }
    return 0;
}

/// Reads the content header and body frames that follow a basic.return; keeps the message id.
static int read_returned_content(vcdm_amqp *c, vcdm_amqp_event *ev) {
    amqp_frame_t frame;
    struct timeval tv = { 5, 0 };
    int status = amqp_simple_wait_frame_noblock(c->conn, &frame, &tv);
    if (status != AMQP_STATUS_OK || frame.frame_type != AMQP_FRAME_HEADER) return -1;
    amqp_basic_properties_t *p = (amqp_basic_properties_t *)frame.payload.properties.decoded;
    if (p && (p->_flags & AMQP_BASIC_MESSAGE_ID_FLAG)) copy_bytes(ev->message_id, sizeof ev->message_id, p->message_id);
    uint64_t remaining = frame.payload.properties.body_size;
    while (remaining > 0) {
        status = amqp_simple_wait_frame_noblock(c->conn, &frame, &tv);
        if (status != AMQP_STATUS_OK || frame.frame_type != AMQP_FRAME_BODY) return -1;
        remaining -= frame.payload.body_fragment.len < remaining ? frame.payload.body_fragment.len : remaining;
    }
    return 0;
}

static int closed(vcdm_amqp_event *ev, const char *what, uint16_t code, amqp_bytes_t reply_text) {
    char text[256];
    copy_bytes(text, sizeof text, reply_text);
    ev->reply_code = code;
    snprintf(ev->text, sizeof ev->text, "broker closed the %s: %u %s", what, code, text);
    return ev->kind = VCDM_AMQP_CLOSED;
}

int vcdm_amqp_next_event(vcdm_amqp *c, int timeout_ms, vcdm_amqp_event *ev) {
    memset(ev, 0, sizeof *ev);
    if (vcdm_amqp_flush(c, ev->text, sizeof ev->text) != 0) return ev->kind = VCDM_AMQP_CLOSED;
    amqp_maybe_release_buffers(c->conn);
    amqp_frame_t frame;
    struct timeval tv = { timeout_ms / 1000, (timeout_ms % 1000) * 1000 };
    int status = amqp_simple_wait_frame_noblock(c->conn, &frame, &tv);
    if (status == AMQP_STATUS_TIMEOUT) return ev->kind = VCDM_AMQP_TIMEOUT;
    if (status != AMQP_STATUS_OK) {
        snprintf(ev->text, sizeof ev->text, "connection lost: %s", amqp_error_string2(status));
        return ev->kind = VCDM_AMQP_CLOSED;
    }
    if (frame.frame_type != AMQP_FRAME_METHOD) return ev->kind = VCDM_AMQP_OTHER;
    switch (frame.payload.method.id) {
    case AMQP_BASIC_ACK_METHOD: {
        amqp_basic_ack_t *m = (amqp_basic_ack_t *)frame.payload.method.decoded;
        ev->delivery_tag = m->delivery_tag;
        ev->multiple = m->multiple;
        return ev->kind = VCDM_AMQP_ACK;
    }
    case AMQP_BASIC_NACK_METHOD: {
        amqp_basic_nack_t *m = (amqp_basic_nack_t *)frame.payload.method.decoded;
        ev->delivery_tag = m->delivery_tag;
        ev->multiple = m->multiple;
        return ev->kind = VCDM_AMQP_NACK;
    }
    case AMQP_BASIC_RETURN_METHOD: {
        amqp_basic_return_t *m = (amqp_basic_return_t *)frame.payload.method.decoded;
        ev->reply_code = m->reply_code;
        copy_bytes(ev->text, sizeof ev->text, m->reply_text);
        copy_bytes(ev->exchange, sizeof ev->exchange, m->exchange);
        if (read_returned_content(c, ev) != 0) {
            snprintf(ev->text, sizeof ev->text, "connection lost while reading a returned message");
            return ev->kind = VCDM_AMQP_CLOSED;
        }
        return ev->kind = VCDM_AMQP_RETURN;
    }
    case AMQP_BASIC_DELIVER_METHOD:
        if (read_delivery(c, ev) != 0) {
            snprintf(ev->text, sizeof ev->text, "connection lost while reading a delivery");
            return ev->kind = VCDM_AMQP_CLOSED;
        }
        return ev->kind = VCDM_AMQP_DELIVERY;
    case AMQP_CHANNEL_CLOSE_METHOD: {
        amqp_channel_close_t *m = (amqp_channel_close_t *)frame.payload.method.decoded;
        return closed(ev, "channel", m->reply_code, m->reply_text);
    }
    case AMQP_CONNECTION_CLOSE_METHOD: {
        amqp_connection_close_t *m = (amqp_connection_close_t *)frame.payload.method.decoded;
        return closed(ev, "connection", m->reply_code, m->reply_text);
    }
    default:
        return ev->kind = VCDM_AMQP_OTHER;
    }
}

void vcdm_amqp_close(vcdm_amqp *c) {
    if (!c) return;
    // Best effort: the broker may already be gone; these only fail then.
    struct timeval tv = { 1, 0 };
    amqp_set_rpc_timeout(c->conn, &tv);
    amqp_channel_close(c->conn, 1, AMQP_REPLY_SUCCESS);
    amqp_connection_close(c->conn, AMQP_REPLY_SUCCESS);
    amqp_destroy_connection(c->conn);
    free(c->out);
    free(c);
}
