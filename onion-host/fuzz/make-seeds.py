#!/usr/bin/env python3
"""Writes the seed corpora of onion-host's fuzz targets from the test vectors.

Run from the repository root: python3 onion-host/fuzz/make-seeds.py
Each target's seeds go to src/test/resources/<package>/<Class>Inputs/<method>/.
"""
import json
import os
import struct

ROOT = os.path.join(os.path.dirname(__file__), "..", "src", "test", "resources")
VEC = os.path.join(ROOT, "vectors")


def vectors(name):
    with open(os.path.join(VEC, name)) as f:
        d = json.load(f)
    return d["vectors"] if isinstance(d, dict) else d


def write(pkg, cls, method, seeds):
    d = os.path.join(ROOT, *pkg.split("."), cls + "Inputs", method)
    os.makedirs(d, exist_ok=True)
    for i, s in enumerate(seeds):
        with open(os.path.join(d, "seed-%03d" % i), "wb") as f:
            f.write(s)


def hexb(s):
    return bytes.fromhex(s)


# Cells and relay messages: selector byte + body.
RELAY = ["begin", "connected", "end", "sendme", "extend2", "created2", "establish_intro",
         "intro_established", "introduce1", "introduce_plaintext", "introduce_ack",
         "establish_rendezvous", "rendezvous1", "rendezvous2", "ed25519_cert"]
CMD = {"1": 0, "4": 1, "3": 2, "5": 3, "14": 4, "15": 5, "32": 6, "38": 7, "34": 8, "35": 8,
       "40": 10, "33": 11, "36": 12, "37": 13, "39": 10}
relay_seeds = []
for v in vectors("relay-cells.json") + vectors("cells-hs.json"):
    if "body" in v:
        sel = CMD.get(str(v.get("relay_command")), 0)
        relay_seeds.append(bytes([sel]) + hexb(v["body"]))
for v in vectors("descriptor-certs.json"):
    relay_seeds.append(bytes([14]) + hexb(v["auth_key_cert"]["raw"]))
write("org.oniondrop.onion.fuzz", "CellFuzzTest", "relayMessage", relay_seeds)
cell_seeds = [
    struct.pack(">IB", 0x80000001, 3) + bytes([2]) + b"\x00" * 508,
    hexb("00000000070006000400050000"),
    struct.pack(">IB", 5, 10) + b"\x00\x02\x00\x54" + b"\x11" * 84 + b"\x00" * (509 - 88),
    struct.pack(">IB", 5, 4) + b"\x05" + b"\x00" * 508,
]
write("org.oniondrop.onion.fuzz", "CellFuzzTest", "cell", cell_seeds)

# Descriptors: the outer text, middle and inner plaintexts from the vectors.
outer, middle, inner = [], [], []
for v in vectors("descriptor-decrypt.json"):
    for k, val in v.items():
        if not isinstance(val, str):
            continue
        if k == "descriptor_text":
            outer.append(val.encode())
        elif "middle" in k and ("plaintext" in k or "text" in k):
            middle.append(val.encode() if not all(c in "0123456789abcdef" for c in val) else hexb(val))
        elif "inner" in k and ("plaintext" in k or "text" in k):
            inner.append(val.encode() if not all(c in "0123456789abcdef" for c in val) else hexb(val))
for v in vectors("descriptor-inner.json"):
    if isinstance(v.get("text"), str):
        inner.append(v["text"].encode())
write("org.oniondrop.onion.fuzz", "DescriptorFuzzTest", "outerLayer", outer)
write("org.oniondrop.onion.fuzz", "DescriptorFuzzTest", "middleLayer", middle or [b"desc-auth-type x25519\n"])
write("org.oniondrop.onion.fuzz", "DescriptorFuzzTest", "innerLayer", inner)

# Directory HTTP.
write("org.oniondrop.onion.circuit", "DirHttpFuzzTest", "response", [
    b"HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nabc",
    b"HTTP/1.0 404 Not found\r\n\r\n",
    b"HTTP/1.1 x\r\n\r\n",
])
write("org.oniondrop.onion.circuit", "DirHttpFuzzTest", "request", [
    b"POST /tor/hs/3/publish HTTP/1.0\r\nContent-Length: 16\r\n\r\nhs-descriptor 3\n",
    b"GET /tor/hs/3/AAAA HTTP/1.0\r\n\r\n",
    b"GET / HTTP/1.0\r\nContent-Length: -1\r\n\r\n",
])

# Tor control replies.
write("org.oniondrop.onion.control", "ControlReplyFuzzTest", "replies", [
    b"250-PROTOCOLINFO 1\r\n250-AUTH METHODS=COOKIE,SAFECOOKIE COOKIEFILE=\"/run/tor/control.authcookie\"\r\n250-VERSION Tor=\"0.4.9.11\"\r\n250 OK\r\n",
    b"250-ServiceID=abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx\r\n250 OK\r\n",
    b"250+circuit-status=\r\n1 BUILT $AAAA~r1,$BBBB~r2 PURPOSE=HS_SERVICE_REND\r\n..dot\r\n.\r\n250 OK\r\n",
    b"650 HS_DESC UPLOADED abc UNKNOWN $AAAA~r1 desc\r\n",
    b"552 Unrecognized command\r\n",
])

# SOCKS5: LEN(1) greeting LEN(2) password-message command.
def socks(greeting, password, command):
    return bytes([len(greeting)]) + struct.pack(">H", len(password)) + greeting + b"" if False else \
        bytes([len(greeting)]) + greeting + struct.pack(">H", len(password)) + password + command

host = b"25njqamcweflpvkl73j4szahhihoc4xt3ktcgjnpaingr5yhkenl5sid.onion"
connect = b"\x05\x01\x00\x03" + bytes([len(host)]) + host + b"\x00\x50"
write("org.oniondrop.onion.client", "SocksFuzzTest", "handshake", [
    socks(b"\x05\x01\x00", b"", connect),
    socks(b"\x05\x02\x00\x02", b"\x01\x05alice\x02pw", connect),
    socks(b"\x05\x01\x00", b"", b"\x05\x01\x00\x01\x7f\x00\x00\x01\x00\x50"),
    socks(b"\x05\x01\x00", b"", b"\x05\x01\x00\x04" + b"\x00" * 15 + b"\x01\x00\x50"),
    socks(b"\x04\x01", b"", b""),
])

# Native backend: directory documents (selector + text) and link cells (selector + payload).
docs = [bytes([0]) + b"network-status-version 3 microdesc\nvote-status consensus\n",
        bytes([1]) + b"onion-key\nntor-onion-key AAAA\nid ed25519 AAAA\n",
        bytes([2]) + b"dir-key-certificate-version 3\nfingerprint AAAA\n"]
write("org.oniondrop.onion.fuzz", "NativeParsersFuzzTest", "directoryDocuments", docs)
link = []
for v in vectors("link-handshake.json") if os.path.exists(os.path.join(VEC, "link-handshake.json")) else []:
    for k, val in v.items():
        if isinstance(val, str) and all(c in "0123456789abcdef" for c in val) and len(val) % 2 == 0 and len(val) > 4:
            sel = 0 if "cert" in k.lower() else 1 if "netinfo" in k.lower() else 2
            link.append(bytes([sel]) + hexb(val))
if not link:
    link = [bytes([2]) + b"\x00\x04\x00\x05", bytes([1]) + b"\x00" * 12]
write("org.oniondrop.onion.fuzz", "NativeParsersFuzzTest", "linkCells", link)
print("seeds written")
