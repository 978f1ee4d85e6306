"""A scripted HTTP server on loopback, so the transport is tested through the real requests/urllib3 stack."""

import json
import socket
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Reply:
    """One scripted answer: a status with a JSON body, or `drop` to close the connection without answering."""

    def __init__(self, status=200, body=None, headers=None, drop=False, delay=0.0, raw=None):
        self.status = status
        self.body = body
        self.headers = headers or {}
        self.drop = drop
        self.delay = delay
        self.raw = raw


class ScriptedServer:
    def __init__(self, tls_cert=None):
        self.replies = []
        self.default = Reply(404, {'error': {'code': 404, 'status': 'Not Found', 'message': 'no script'}})
        self.received = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = 'HTTP/1.1'

            def log_message(self, *args):  # keep test output clean
                pass

            def _serve(self):
                length = int(self.headers.get('Content-Length') or 0)
                body = self.rfile.read(length) if length else b''
                server.received.append({'method': self.command, 'path': self.path,
                                        'headers': dict(self.headers), 'body': body.decode() if body else ''})
                reply = server.replies.pop(0) if server.replies else server.default
                if callable(reply):
                    reply = reply(self)
                time.sleep(reply.delay)
                if reply.drop:
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                payload = reply.raw if reply.raw is not None else (
                    b'' if reply.body is None else json.dumps(reply.body).encode())
                self.send_response(reply.status)
                self.send_header('Content-Type', 'application/json; charset=utf-8')
                self.send_header('Content-Length', str(len(payload)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

        self.httpd = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.httpd.daemon_threads = True
        scheme = 'http'
        if tls_cert is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            tls_cert.configure_cert(context)
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
            scheme = 'https'
        self.url = '%s://127.0.0.1:%d' % (scheme, self.httpd.server_address[1])
        # shutdown() waits for the next poll: 0.5 s by default, on every test's teardown
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={'poll_interval': 0.02}, daemon=True)
        self.thread.start()

    def script(self, *replies):
        self.replies.extend(replies)

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
