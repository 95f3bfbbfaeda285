#!/usr/bin/env python3
"""Delays every packet of an NFQUEUE queue by a fixed time, for the adversity suite (scripts/adversity.sh).

tc's netem qdisc does this where the kernel has it (CONFIG_NET_SCH_NETEM); where it does not, an iptables rule
sends the packets to a netfilter queue (`-j NFQUEUE --queue-num Q`) and this program, in the same network namespace,
gives each its ACCEPT verdict DELAY ms after it arrived, in arrival order (a packet the queue cannot hold is dropped
by the kernel, as a full netem queue drops it). It speaks nfnetlink_queue directly (Python's standard library only)
and runs until it is killed (SIGTERM) or SECONDS have passed; the iptables rule should use --queue-bypass so that
packets pass undelayed when it is not running.

usage: packet-delay.py DELAY_MS [--queue Q] [--seconds S]
"""
import argparse
import collections
import signal
import socket
import struct
import sys
import time

NETLINK_NETFILTER = 12
NFNL_SUBSYS_QUEUE = 3
NFQNL_MSG_PACKET = 0
NFQNL_MSG_CONFIG = 2
NFQNL_MSG_VERDICT_BATCH = 3
NFQA_PACKET_HDR = 1
NFQA_VERDICT_HDR = 2
NFQA_CFG_CMD = 1
NFQA_CFG_PARAMS = 2
NFQA_CFG_QUEUE_MAXLEN = 3
NFQNL_CFG_CMD_BIND = 1
NFQNL_COPY_META = 1
NF_ACCEPT = 1
NLM_F_REQUEST = 1
NLM_F_ACK = 4
NLMSG_ERROR = 2
SO_RCVBUFFORCE = 33


def attribute(kind, payload):
    length = 4 + len(payload)
    return struct.pack("=HH", length, kind) + payload + b"\0" * ((4 - length % 4) % 4)


def message(kind, queue, attributes, flags=NLM_F_REQUEST, seq=0):
    body = struct.pack("=BBH", socket.AF_UNSPEC, 0, socket.htons(queue)) + b"".join(attributes)
    return struct.pack("=IHHII", 16 + len(body), (NFNL_SUBSYS_QUEUE << 8) | kind, flags, seq, 0) + body


def configure(sock, queue, maxlen):
    requests = [
        [attribute(NFQA_CFG_CMD, struct.pack("!BxH", NFQNL_CFG_CMD_BIND, 0))],
        [attribute(NFQA_CFG_PARAMS, struct.pack("!IB", 0, NFQNL_COPY_META)),
         attribute(NFQA_CFG_QUEUE_MAXLEN, struct.pack("!I", maxlen))],
    ]
    for seq, attributes in enumerate(requests, 1):
        sock.send(message(NFQNL_MSG_CONFIG, queue, attributes, NLM_F_REQUEST | NLM_F_ACK, seq))
        reply = sock.recv(65536)
        _, kind, _, _, _ = struct.unpack_from("=IHHII", reply)
        if kind == NLMSG_ERROR:
            (error,) = struct.unpack_from("=i", reply, 16)
            if error != 0:
                sys.exit(f"packet-delay: binding netfilter queue {queue} failed: error {-error}"
                         " (another program on this queue, or no CAP_NET_ADMIN)")


def packet_ids(data):
    """The packet ids of the NFQNL_MSG_PACKET messages in one netlink read."""
    offset = 0
    while offset + 16 <= len(data):
        length, kind, _, _, _ = struct.unpack_from("=IHHII", data, offset)
        if length < 16:
            break
        if kind == (NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET:
            at = offset + 20  # netlink header and nfgenmsg
            while at + 4 <= offset + length:
                attr_length, attr_kind = struct.unpack_from("=HH", data, at)
                if attr_length < 4:
                    break
                if attr_kind & 0x7FFF == NFQA_PACKET_HDR:
                    yield struct.unpack_from("!I", data, at + 4)[0]
                    break
                at += (attr_length + 3) & ~3
        offset += (length + 3) & ~3


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("delay_ms", type=float, help="delay of every packet, in milliseconds")
    parser.add_argument("--queue", type=int, default=0, help="netfilter queue number (default 0)")
    parser.add_argument("--seconds", type=float, default=3600, help="stop after this long (default 3600)")
    args = parser.parse_args()
    delay = args.delay_ms / 1000.0
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
    sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 16 << 20)
    sock.bind((0, 0))
    configure(sock, args.queue, 20000)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    pending = collections.deque()  # (due time, packet id), in arrival order
    stop = time.monotonic() + args.seconds
    while time.monotonic() < stop:
        now = time.monotonic()
        due = None
        while pending and pending[0][0] <= now:
            due = pending.popleft()[1]
        if due is not None:
            # one verdict for every queued packet up to this id: they arrived before it and are due too
            sock.send(message(NFQNL_MSG_VERDICT_BATCH, args.queue,
                              [attribute(NFQA_VERDICT_HDR, struct.pack("!II", NF_ACCEPT, due))]))
        sock.settimeout(max(0.001, pending[0][0] - now) if pending else 0.5)
        try:
            data = sock.recv(1 << 20)
        except socket.timeout:
            continue
        except OSError:  # ENOBUFS: the kernel dropped messages while this program was behind
            continue
        arrived = time.monotonic()
        for packet in packet_ids(data):
            pending.append((arrived + delay, packet))


if __name__ == "__main__":
    main()
