#ifndef VCDM_RABBITMQ_SHIMS_H
#define VCDM_RABBITMQ_SHIMS_H
// A connection-sized wrapper over rabbitmq-c: Swift cannot call the variadic amqp_login nor build
// amqp_table_t unions comfortably, and frame classification (ack / nack / return + its content) is
// simplest in C. One connection, one channel (1); not thread-safe, like rabbitmq-c itself.
#include <stddef.h>
#include <stdint.h>

typedef struct vcdm_amqp vcdm_amqp;

enum {
    VCDM_AMQP_TIMEOUT = 0,
    VCDM_AMQP_ACK = 1,
    VCDM_AMQP_NACK = 2,
    VCDM_AMQP_RETURN = 3,
    VCDM_AMQP_CLOSED = 4,
    VCDM_AMQP_OTHER = 5
};

typedef struct {
    int kind;
    uint64_t delivery_tag;
    int multiple;
    int reply_code;
    char message_id[256];
    char exchange[256];
    char text[512];
} vcdm_amqp_event;

/// Connects, logs in and opens channel 1. NULL and err filled on failure.
vcdm_amqp *vcdm_amqp_connect(const char *host, int port, const char *vhost, const char *user,
                             const char *password, int timeout_ms, char *err, size_t err_len);

/// Declares an exchange (durable, not auto-deleted). 0 on success.
int vcdm_amqp_declare_exchange(vcdm_amqp *c, const char *name, const char *type, char *err, size_t err_len);

/// Puts channel 1 in publisher-confirm mode. 0 on success.
int vcdm_amqp_confirm_select(vcdm_amqp *c, char *err, size_t err_len);

/// Publishes one persistent message; optional strings may be NULL. 0 on success.
int vcdm_amqp_publish(vcdm_amqp *c, const char *exchange, const char *routing_key, int mandatory,
                      const char *content_type, const char *message_id, const char *correlation_id,
                      const char *reply_to, int header_count, const char *const *header_keys,
                      const char *const *header_values, const void *body, size_t body_len,
                      char *err, size_t err_len);

/// Waits up to timeout_ms for the next ack, nack, return or close. Returns the event kind.
int vcdm_amqp_next_event(vcdm_amqp *c, int timeout_ms, vcdm_amqp_event *event);

/// Closes politely (best effort) and frees everything. Safe on NULL.
void vcdm_amqp_close(vcdm_amqp *c);

#endif
