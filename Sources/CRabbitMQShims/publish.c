// basic.publish without a send per frame. rabbitmq-c's amqp_basic_publish sends each of a message's three
// frames with its own send(2): six system calls per POST with notifications on. Here the frames are encoded
// into the connection's buffer with rabbitmq-c's own encoders, and vcdm_amqp_flush sends a whole batch at
// once. Nothing else writes to the socket meanwhile: the shim flushes before it waits for or reads a frame.
#include "CRabbitMQShims.h"
#include "connection.h"
#include <amqp_framing.h>
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

enum { FRAME_HEAD = 7, FRAME_END_SIZE = 1, FLUSH_AT = 256 * 1024, STALL_MS = 10000 };

static void put16(unsigned char *p, uint16_t v) { p[0] = (unsigned char)(v >> 8); p[1] = (unsigned char)v; }
static void put32(unsigned char *p, uint32_t v) { put16(p, (uint16_t)(v >> 16)); put16(p + 2, (uint16_t)v); }
static void put64(unsigned char *p, uint64_t v) { put32(p, (uint32_t)(v >> 32)); put32(p + 4, (uint32_t)v); }

static amqp_bytes_t bytes_of(vcdm_bytes b) {
    amqp_bytes_t out = { b.len, (void *)b.bytes };
    return out;
}

/// Room for `more` bytes past what is buffered.
static int reserve(vcdm_amqp *c, size_t more) {
    if (more <= c->out_cap - c->out_len) return 0;
    size_t cap = c->out_cap ? c->out_cap : 64 * 1024;
    while (cap - c->out_len < more) cap *= 2;
    unsigned char *p = realloc(c->out, cap);
    if (!p) return -1;
    c->out = p;
    c->out_cap = cap;
    return 0;
}

/// One frame: type, channel 1, payload size, the payload (already at f + FRAME_HEAD), the end octet.
static void close_frame(vcdm_amqp *c, uint8_t type, size_t payload) {
    unsigned char *f = c->out + c->out_len;
    f[0] = type;
    put16(f + 1, 1);
    put32(f + 3, (uint32_t)payload);
    f[FRAME_HEAD + payload] = AMQP_FRAME_END;
    c->out_len += FRAME_HEAD + payload + FRAME_END_SIZE;
}

static int method_frame(vcdm_amqp *c, const vcdm_amqp_message *m) {
    amqp_basic_publish_t args;
    memset(&args, 0, sizeof args);
    args.exchange = bytes_of(m->exchange);
    args.routing_key = bytes_of(m->routing_key);
    args.mandatory = m->mandatory != 0;
    size_t room = 16 + m->exchange.len + m->routing_key.len;
    if (reserve(c, FRAME_HEAD + 4 + room + FRAME_END_SIZE) != 0) return AMQP_STATUS_NO_MEMORY;
    unsigned char *payload = c->out + c->out_len + FRAME_HEAD;
    put32(payload, AMQP_BASIC_PUBLISH_METHOD);
    amqp_bytes_t encoded = { room, payload + 4 };
    int n = amqp_encode_method(AMQP_BASIC_PUBLISH_METHOD, &args, encoded);
    if (n < 0) return n;
    close_frame(c, AMQP_FRAME_METHOD, 4 + (size_t)n);
    return 0;
}

static int header_frame(vcdm_amqp *c, const vcdm_amqp_message *m) {
    amqp_basic_properties_t props;
    memset(&props, 0, sizeof props);
    props._flags = AMQP_BASIC_DELIVERY_MODE_FLAG;
    props.delivery_mode = 2;
    size_t room = 64 + m->content_type.len + m->message_id.len + m->correlation_id.len + m->reply_to.len;
    if (m->content_type.bytes) { props._flags |= AMQP_BASIC_CONTENT_TYPE_FLAG; props.content_type = bytes_of(m->content_type); }
    if (m->message_id.bytes) { props._flags |= AMQP_BASIC_MESSAGE_ID_FLAG; props.message_id = bytes_of(m->message_id); }
    if (m->correlation_id.bytes) { props._flags |= AMQP_BASIC_CORRELATION_ID_FLAG; props.correlation_id = bytes_of(m->correlation_id); }
    if (m->reply_to.bytes) { props._flags |= AMQP_BASIC_REPLY_TO_FLAG; props.reply_to = bytes_of(m->reply_to); }
    amqp_table_entry_t entries[VCDM_AMQP_MAX_HEADERS];
    if (m->header_count > 0) {
        for (int i = 0; i < m->header_count; i++) {
            entries[i].key = bytes_of(m->header_keys[i]);
            entries[i].value.kind = AMQP_FIELD_KIND_UTF8;
            entries[i].value.value.bytes = bytes_of(m->header_values[i]);
            room += 8 + m->header_keys[i].len + m->header_values[i].len;
        }
        props._flags |= AMQP_BASIC_HEADERS_FLAG;
        props.headers.num_entries = m->header_count;
        props.headers.entries = entries;
    }
    if (reserve(c, FRAME_HEAD + 12 + room + FRAME_END_SIZE) != 0) return AMQP_STATUS_NO_MEMORY;
    unsigned char *payload = c->out + c->out_len + FRAME_HEAD;
    put16(payload, AMQP_BASIC_CLASS);
    put16(payload + 2, 0);  // weight
    put64(payload + 4, m->body.len);
    amqp_bytes_t encoded = { room, payload + 12 };
    int n = amqp_encode_properties(AMQP_BASIC_CLASS, &props, encoded);
    if (n < 0) return n;
    close_frame(c, AMQP_FRAME_HEADER, 12 + (size_t)n);
    return 0;
}

static int body_frames(vcdm_amqp *c, const vcdm_amqp_message *m) {
    int frame_max = amqp_get_frame_max(c->conn);
    size_t chunk = frame_max > FRAME_HEAD + FRAME_END_SIZE ? (size_t)frame_max - FRAME_HEAD - FRAME_END_SIZE : 4096;
    for (size_t at = 0; at < m->body.len; at += chunk) {
        size_t n = m->body.len - at < chunk ? m->body.len - at : chunk;
        if (reserve(c, FRAME_HEAD + n + FRAME_END_SIZE) != 0) return AMQP_STATUS_NO_MEMORY;
        memcpy(c->out + c->out_len + FRAME_HEAD, (const unsigned char *)m->body.bytes + at, n);
        close_frame(c, AMQP_FRAME_BODY, n);
    }
    return 0;
}

int vcdm_amqp_publish(vcdm_amqp *c, const vcdm_amqp_message *m, char *err, size_t err_len) {
    if (m->header_count < 0 || m->header_count > VCDM_AMQP_MAX_HEADERS) {
        snprintf(err, err_len, "basic.publish: %d headers (at most %d)", m->header_count, VCDM_AMQP_MAX_HEADERS);
        return -1;
    }
    size_t start = c->out_len;
    int status = method_frame(c, m);
    if (status == 0) status = header_frame(c, m);
    if (status == 0) status = body_frames(c, m);
    if (status != 0) {
        c->out_len = start;  // nothing of this message stays buffered
        snprintf(err, err_len, "basic.publish: %s", amqp_error_string2(status));
        return -1;
    }
    return c->out_len >= FLUSH_AT ? vcdm_amqp_flush(c, err, err_len) : 0;
}

int vcdm_amqp_flush(vcdm_amqp *c, char *err, size_t err_len) {
    int fd = amqp_get_sockfd(c->conn);
    size_t at = 0;
    while (at < c->out_len) {
        ssize_t n = send(fd, c->out + at, c->out_len - at, MSG_NOSIGNAL);
        if (n > 0) { at += (size_t)n; continue; }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            // The broker reads slower than we write (or blocks publishers): wait for room, not forever.
            struct pollfd p = { fd, POLLOUT, 0 };
            int r = poll(&p, 1, STALL_MS);
            if (r > 0 || (r < 0 && errno == EINTR)) continue;
            snprintf(err, err_len, "basic.publish: %s", r == 0 ? "the broker took no data for 10 s" : strerror(errno));
        } else {
            snprintf(err, err_len, "basic.publish: %s", n == 0 ? "connection closed" : strerror(errno));
        }
        c->out_len = 0;
        return -1;
    }
    c->out_len = 0;
    return 0;
}
