#!/usr/bin/env python3
"""A stand-in for the Hugging Face hub on 127.0.0.1, for test_hub_download.

Serves model folders in the hub's URL layout:
  GET /api/models/<repo>?blobs=true                   file list with sizes and checksums
  GET /api/models/<repo>/revision/<rev>?blobs=true    the same for a revision
  GET /<repo>/resolve/<rev>/<file>                    the file, with Range support (206)

Usage: fake_hub.py REPO[@REV]=DIR [...] [--log FILE] [--drop-after N]
                   [--stall-after N] [--corrupt FILE] [--fault-file FILE]
                   [--redirect] [--cdn-host HOST] [--no-range]
                   [--gated REPO=TOKEN] [--timeout S]

REPO@REV=DIR serves DIR as revision REV of REPO (REPO=DIR is revision main).
--gated REPO=TOKEN lists the repository as gated and answers its resolve URLs
with 401 unless "Authorization: Bearer TOKEN" comes with them (403 for any
other token), as the hub does; its file list stays public.

The first line on stdout is the port. The server exits when stdin is closed
(its parent went away) or after --timeout seconds, whichever comes first.

Fault injection (for --fault-file, default model.safetensors, unless said otherwise):
  --drop-after N   first request only: send N bytes of the body, then close
  --stall-after N  every request: send N bytes, then stop sending (the client
                   is expected to cancel)
  --corrupt FILE   serve FILE with one byte flipped (the metadata stays right)
  --redirect       answer resolve URLs of LFS files with a 302 to /cdn/...,
                   as the real hub does with its CDN (on --cdn-host, default
                   127.0.0.1: "localhost" makes it another host for the client)
  --no-range       ignore Range headers (always 200 and the whole file)
Every request is appended to --log as "METHOD PATH range=<Range or ->", followed
by " auth=<Authorization header>" when the request had one.
"""
import argparse
import hashlib
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit, parse_qs

LFS_SUFFIXES = (".safetensors", ".bin", ".h5", ".msgpack", ".ot", ".onnx")
FAULT_FILE = "model.safetensors"


def is_lfs(name):
    return name.endswith(LFS_SUFFIXES)


def sibling(path, name, with_blobs):
    entry = {"rfilename": name}
    if not with_blobs:
        return entry
    data = path.read_bytes()
    if is_lfs(name):
        pointer = (f"version https://git-lfs.github.com/spec/v1\n"
                   f"oid sha256:{hashlib.sha256(data).hexdigest()}\nsize {len(data)}\n").encode()
        entry["blobId"] = hashlib.sha1(b"blob %d\0" % len(pointer) + pointer).hexdigest()
        entry["size"] = len(data)
        entry["lfs"] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data),
                        "pointerSize": len(pointer)}
    else:
        entry["blobId"] = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
        entry["size"] = len(data)
    return entry


class Hub(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, args):
        super().__init__(("127.0.0.1", 0), Handler)
        self.args = args
        self.repos = {}  # "repo" for main, "repo@rev" for a revision
        for spec in args.repos:
            repo, _, folder = spec.partition("=")
            self.repos[repo] = Path(folder)
        self.gated = dict(g.partition("=")[::2] for g in args.gated)
        self.lock = threading.Lock()
        self.dropped = False

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a client hanging up is normal here
            super().handle_error(request, client_address)

    def log_request_line(self, line):
        if self.args.log:
            with self.lock, open(self.args.log, "a", encoding="utf-8") as f:
                f.write(line + "\n")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):  # keep the test's output clean
        pass

    def do_GET(self):
        hub = self.server
        url = urlsplit(self.path)
        path = unquote(url.path)
        auth = self.headers.get("Authorization")
        hub.log_request_line(f"GET {self.path} range={self.headers.get('Range', '-')}"
                             + (f" auth={auth}" if auth else ""))

        if path.startswith("/api/models/"):
            repo, _, rev = path[len("/api/models/"):].rstrip("/").partition("/revision/")
            folder = hub.repos.get(f"{repo}@{rev}" if rev and rev != "main" else repo)
            if folder is None:
                return self.send_json(404, {"error": "Repository not found"})
            blobs = parse_qs(url.query).get("blobs", ["false"])[0] == "true"
            files = sorted(p.name for p in folder.iterdir() if p.is_file())
            return self.send_json(200, {
                "id": repo, "modelId": repo, "sha": "0" * 40, "private": False,
                "gated": "manual" if repo in hub.gated else False,
                "cardData": {"license": "mit"},
                "siblings": [sibling(folder / f, f, blobs) for f in files]})

        if path.startswith("/cdn/"):
            key, _, name = path[len("/cdn/"):].rpartition("/")
            return self.send_file(key, name)

        marker = "/resolve/"
        if marker in path:
            repo, _, rest = path[1:].partition(marker)
            rev, _, name = rest.partition("/")
            key = repo if rev == "main" else f"{repo}@{rev}"
            if repo in hub.gated:
                if not auth:
                    return self.send_json(401, {"error": "Access to this model is restricted. You must be authenticated."})
                if auth != f"Bearer {hub.gated[repo]}":
                    return self.send_json(403, {"error": "Access to this model is restricted."})
            if hub.args.redirect and is_lfs(name) and key in hub.repos:
                self.send_response(302)
                port = hub.server_address[1]
                self.send_header("Location", f"http://{hub.args.cdn_host}:{port}/cdn/{key}/{name}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            return self.send_file(key, name)

        self.send_json(404, {"error": "Not found"})

    def send_json(self, status, obj):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def send_file(self, repo, name):
        hub = self.server
        folder = hub.repos.get(repo)
        file = folder / name if folder is not None and "/" not in name else None
        if file is None or not file.is_file():
            return self.send_json(404, {"error": "Entry not found"})
        data = bytearray(file.read_bytes())
        if hub.args.corrupt == name and data:
            data[len(data) // 2] ^= 0xFF
        size = len(data)

        start, end = 0, size - 1
        status = 200
        rng = self.headers.get("Range")
        if rng and rng.startswith("bytes=") and not hub.args.no_range:
            first, _, last = rng[len("bytes="):].partition("-")
            start = int(first) if first else 0
            end = min(int(last), size - 1) if last else size - 1
            if start >= size:
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{size}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            status = 206
        body = bytes(data[start:end + 1])

        self.send_response(status)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Accept-Ranges", "bytes")
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.end_headers()

        limit = None
        stall = False
        if name == hub.args.fault_file:
            with hub.lock:
                if hub.args.drop_after is not None and not hub.dropped:
                    hub.dropped = True
                    limit = hub.args.drop_after
            if limit is None and hub.args.stall_after is not None:
                limit, stall = hub.args.stall_after, True
        if limit is None:
            self.wfile.write(body)
            return
        self.wfile.write(body[:limit])
        self.wfile.flush()
        if stall:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                time.sleep(0.05)
        self.close_connection = True
        self.connection.shutdown(2)  # socket.SHUT_RDWR: the client sees the connection drop


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("repos", nargs="+", metavar="REPO=DIR")
    ap.add_argument("--log")
    ap.add_argument("--drop-after", type=int)
    ap.add_argument("--stall-after", type=int)
    ap.add_argument("--corrupt")
    ap.add_argument("--fault-file", default=FAULT_FILE)
    ap.add_argument("--redirect", action="store_true")
    ap.add_argument("--cdn-host", default="127.0.0.1")
    ap.add_argument("--gated", action="append", default=[], metavar="REPO=TOKEN")
    ap.add_argument("--no-range", action="store_true")
    ap.add_argument("--timeout", type=float, default=300)
    args = ap.parse_args()

    hub = Hub(args)
    print(hub.server_address[1], flush=True)

    def stop_on_eof():
        try:
            sys.stdin.read()
        finally:
            os._exit(0)

    threading.Thread(target=stop_on_eof, daemon=True).start()
    timer = threading.Timer(args.timeout, lambda: os._exit(0))
    timer.daemon = True
    timer.start()
    hub.serve_forever()


if __name__ == "__main__":
    main()
