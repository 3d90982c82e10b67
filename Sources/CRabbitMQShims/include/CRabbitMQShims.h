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
    VCDM_AMQP_OTHER = 5,
    VCDM_AMQP_DELIVERY = 6
};

typedef struct {
    int kind;
    uint64_t delivery_tag;
    int multiple;
    int reply_code;
    char message_id[256];
    char exchange[256];
    char text[512];
    char correlation_id[256];
    /// A delivery's body, malloc'ed; release with vcdm_amqp_free.
    unsigned char *body;
    size_t body_len;
} vcdm_amqp_event;

/// Declares a queue (server-named when name is ""), writes its name into name_out. 0 on success.
int vcdm_amqp_declare_queue(vcdm_amqp *c, const char *name, int exclusive, int auto_delete,
                            char *name_out, size_t name_len, char *err, size_t err_len);

/// Binds a queue to an exchange with a routing key. 0 on success.
int vcdm_amqp_bind_queue(vcdm_amqp *c, const char *queue, const char *exchange, const char *key,
                         char *err, size_t err_len);

/// Starts consuming a queue on channel 1 without acks. 0 on success.
int vcdm_amqp_consume(vcdm_amqp *c, const char *queue, char *err, size_t err_len);

/// 1 when the exchange exists, 0 when the broker says it does not (404), -1 on any other failure.
/// Checked on channel 2, which a 404 closes and this reopens, so channel 1 keeps consuming.
int vcdm_amqp_exchange_exists(vcdm_amqp *c, const char *name, char *err, size_t err_len);

/// Waits until the connection has a frame to read (1), wake_fd is readable (2) or the timeout (0);
/// -1 on a poll error. Buffered frames count as readable without waiting.
int vcdm_amqp_wait(vcdm_amqp *c, int wake_fd, int timeout_ms);

void vcdm_amqp_free(void *p);

/// A non-blocking eventfd that wakes vcdm_amqp_wait (Swift's Glibc module does not export eventfd).
int vcdm_eventfd(void);

/// Connects, logs in and opens channel 1. NULL and err filled on failure.
vcdm_amqp *vcdm_amqp_connect(const char *host, int port, const char *vhost, const char *user,
                             const char *password, int timeout_ms, char *err, size_t err_len);

/// Declares an exchange (durable, not auto-deleted). 0 on success.
int vcdm_amqp_declare_exchange(vcdm_amqp *c, const char *name, const char *type, char *err, size_t err_len);

/// Puts channel 1 in publisher-confirm mode. 0 on success.
int vcdm_amqp_confirm_select(vcdm_amqp *c, char *err, size_t err_len);

/// Bytes that need not end in NUL; `bytes == NULL` means absent (for the optional properties).
typedef struct {
    const void *bytes;
    size_t len;
} vcdm_bytes;

/// At most this many headers per message (vCD sets six).
enum { VCDM_AMQP_MAX_HEADERS = 32 };

/// One message for vcdm_amqp_publish; every field is only borrowed during the call.
typedef struct {
    vcdm_bytes exchange;
    vcdm_bytes routing_key;
    vcdm_bytes content_type;
    vcdm_bytes message_id;
    vcdm_bytes correlation_id;
    vcdm_bytes reply_to;
    int mandatory;
    int header_count;
    const vcdm_bytes *header_keys;
    const vcdm_bytes *header_values;
    vcdm_bytes body;
} vcdm_amqp_message;

/// Encodes one persistent message for channel 1 into the connection's output (vcdm_amqp_flush sends it;
/// past 256 KiB buffered it is sent at once). 0 on success; on failure nothing of the message is kept.
int vcdm_amqp_publish(vcdm_amqp *c, const vcdm_amqp_message *m, char *err, size_t err_len);

/// Sends every buffered message in as few send(2) calls as the socket takes. 0 on success; on failure the
/// buffer is dropped (the caller reconnects and sends its unconfirmed messages again).
int vcdm_amqp_flush(vcdm_amqp *c, char *err, size_t err_len);

/// Waits up to timeout_ms for the next ack, nack, return or close. Returns the event kind.
int vcdm_amqp_next_event(vcdm_amqp *c, int timeout_ms, vcdm_amqp_event *event);

/// Closes politely (best effort) and frees everything. Safe on NULL.
void vcdm_amqp_close(vcdm_amqp *c);

#endif
