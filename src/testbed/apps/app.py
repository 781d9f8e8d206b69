"""The TODO microservice SERVICE (users, projects or tasks) in Python, the
implementation that accepts names with Cyrillic characters (the paper's
pseudo-vulnerability). REST: POST /SERVICE {"name", "parent"} -> 201;
GET /SERVICE/NAME -> 200 or 404; GET /healthz -> 200. Python's standard
library plus Debian's python3-pymysql."""
import json, os, sys, urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
import pymysql

SERVICE = os.environ["SERVICE"]
IMPL = "python"
DB = dict(host=os.environ.get("DB_HOST", "127.0.0.1"), port=int(os.environ.get("DB_PORT", "3306")),
          user=os.environ.get("DB_USER", "root"), password=os.environ.get("DB_PASSWORD", ""),
          database=os.environ.get("DB_NAME", "todo"), charset="utf8mb4", autocommit=True)


def query(sql, args):
    conn = pymysql.connect(**DB)
    try:
        with conn.cursor() as cur:
            cur.execute(sql, args)
            return cur.fetchone()
    finally:
        conn.close()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def reply(self, status, body):
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Implementation", IMPL)
        self.send_header("X-Pod", os.environ.get("POD_NAME", ""))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        path = urllib.parse.urlsplit(self.path).path
        if path == "/healthz":
            return self.reply(200, {"ok": True})
        prefix = "/" + SERVICE + "/"
        if not path.startswith(prefix):
            return self.reply(404, {"error": "not found"})
        name = urllib.parse.unquote(path[len(prefix):])
        try:
            row = query(f"SELECT name, parent FROM {SERVICE} WHERE name = %s LIMIT 1", (name,))
        except Exception as e:
            return self.reply(500, {"error": str(e)})
        if row is None:
            return self.reply(404, {"error": "not found"})
        self.reply(200, {"name": row[0], "parent": row[1]})

    def do_POST(self):
        if urllib.parse.urlsplit(self.path).path.rstrip("/") != "/" + SERVICE:
            return self.reply(404, {"error": "not found"})
        try:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
            name, parent = str(body["name"]), body.get("parent")
        except Exception:
            return self.reply(400, {"error": "expected JSON {name, parent}"})
        # No check of the characters: the pseudo-vulnerability.
        try:
            query(f"INSERT INTO {SERVICE} (name, parent) VALUES (%s, %s)", (name, parent))
        except Exception as e:
            return self.reply(500, {"error": str(e)})
        self.reply(201, {"name": name})

    def log_message(self, *args):
        pass


ThreadingHTTPServer.request_queue_size = 128
server = ThreadingHTTPServer((os.environ.get("LISTEN_HOST", "127.0.0.1"), int(os.environ["PORT"])), Handler)
server.daemon_threads = False  # drain: server_close joins the threads of requests in flight
import time
print("listening %.6f" % time.time(), flush=True)
if os.environ.get("SIGTERM_MODE") == "drain":
    import signal, threading
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
server.serve_forever()
server.server_close()
