"""Alert webhook receiver of docker-compose.yml: prints every alert POSTed to it, answers 204.

Stands in for the system that would consume Millrace's alert webhooks, so that deliveries
succeed and can be read with `docker compose logs -f webhook-receiver`. Standard library only.
"""

from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver(BaseHTTPRequestHandler):

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        alert_id = self.headers.get("X-Millrace-Alert-Id", "-")
        print(f"{self.path} alert {alert_id}: {body.decode('utf-8', 'replace')}", flush=True)
        self.send_response(204)
        self.end_headers()

    def do_GET(self):
        self.send_response(200 if self.path == "/healthz" else 404)
        self.end_headers()

    def log_message(self, format, *args):
        pass


if __name__ == "__main__":
    ThreadingHTTPServer(("0.0.0.0", 8090), Receiver).serve_forever()
