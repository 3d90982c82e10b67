#ifndef VCDM_RABBITMQ_CONNECTION_H
#define VCDM_RABBITMQ_CONNECTION_H
// The connection as both C files of the shim see it (not part of the Swift-facing header).
#include <amqp.h>
#include <stddef.h>

struct vcdm_amqp {
    amqp_connection_state_t conn;
    /// Frames of published messages not yet sent (publish.c): a batch leaves in one send.
    unsigned char *out;
    size_t out_len;
    size_t out_cap;
};

#endif
