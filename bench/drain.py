"""Drains every notification the benchmark produces: binds one queue to both notification exchanges and
acks as fast as it can. Prints "drain ready" once bound, and the count on SIGTERM/exit."""
import os
import signal
import sys

import pika

url, = sys.argv[1:]
conn = pika.BlockingConnection(pika.URLParameters(url))
ch = conn.channel()
for exchange in ("systemExchange", "vcd.notifications20"):
    ch.exchange_declare(exchange, exchange_type="topic", durable=True)
queue = ch.queue_declare("", exclusive=True).method.queue
for exchange in ("systemExchange", "vcd.notifications20"):
    ch.queue_bind(queue, exchange, "#")
count = 0


# DRAIN_ACK_EVERY=N acks every Nth message with multiple=True: the broker and this process then spend
# less CPU per message, on a machine where they share the cores with vcd-mock and wrk. Default 1.
ack_every = max(1, min(int(os.environ.get("DRAIN_ACK_EVERY", "1")), 500))


def on_message(channel, method, _props, _body):
    global count
    count += 1
    if count % ack_every == 0:
        channel.basic_ack(method.delivery_tag, multiple=ack_every > 1)


def stop(*_):
    print(f"drain received {count}", flush=True)
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)
ch.basic_qos(prefetch_count=1000)
ch.basic_consume(queue, on_message)
print("drain ready", flush=True)
try:
    ch.start_consuming()
finally:
    stop()
