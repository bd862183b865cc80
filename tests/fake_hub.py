"""A local stand-in for the Hugging Face hub, so that downloads are tested through the real hub client.

`FakeHub` serves model directories over HTTP on 127.0.0.1 (random port), answering exactly what
`huggingface_hub` asks when `HF_ENDPOINT` points at it:

- `GET /api/models/{id}/revision/{rev}`: the repository's commit (`sha`) and file list;
- `GET /api/models/{id}/tree/{sha}?recursive=true`: the files with size and git oid;
- `HEAD`/`GET /{id}/resolve/{rev}/{file}`: the file, with `ETag` and `X-Repo-Commit` headers, and
  `Range` requests answered with 206 so that an interrupted download can resume.

It counts requests, and can drop the connection once in the middle of a file, to test resume.
Nothing of `huggingface_hub` is replaced: it downloads, resumes and caches through its own code.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlparse


@dataclass
class _Repo:
    sha: str
    files: dict[str, bytes]


@dataclass
class FakeHub:
    """The server; `url` goes into `HF_ENDPOINT`. Use as a context manager."""

    repos: dict[str, _Repo] = field(default_factory=dict)
    requests: list[tuple[str, str, str]] = field(default_factory=list)
    """(method, path, Range header) of every request, in order."""
    drop_once: str | None = None
    """A file name whose first full GET is cut off (the connection is closed) after `drop_after` bytes."""
    drop_after: int | None = None
    """Bytes sent before the cut; default half the file."""

    def add(self, repo_id: str, directory: Path) -> str:
        """Serve every file of `directory` as repository `repo_id`; returns its commit sha."""
        files = {
            str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()
        }
        sha = hashlib.sha1(repo_id.encode() + b"".join(files.values())).hexdigest()
        self.repos[repo_id] = _Repo(sha, files)
        return sha

    def __enter__(self) -> FakeHub:
        hub = self

        class Handler(_Handler):
            pass

        Handler.hub = hub
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def downloads(self, name: str) -> list[str]:
        """The Range header of every GET of a file called `name` ('' when the whole file was asked)."""
        return [r for m, p, r in self.requests if m == "GET" and p.endswith("/" + name)]


_RESOLVE = re.compile(r"^/(?P<repo>[^/]+/[^/]+)/resolve/(?P<rev>[^/]+)/(?P<file>.+)$")
_API = re.compile(r"^/api/models/(?P<repo>[^/]+/[^/]+)/(?P<kind>revision|tree)/(?P<rev>[^/?]+)")


class _Handler(BaseHTTPRequestHandler):
    hub: FakeHub
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def do_HEAD(self) -> None:
        self._serve(body=False)

    def do_GET(self) -> None:
        self._serve(body=True)

    def _serve(self, body: bool) -> None:
        path = unquote(urlparse(self.path).path)
        self.hub.requests.append((self.command, path, self.headers.get("Range", "")))
        if m := _API.match(path):
            return self._api(m["repo"], m["kind"])
        if m := _RESOLVE.match(path):
            return self._file(m["repo"], m["file"], body)
        self._send(404, b'{"error": "not found"}', {"X-Error-Code": "RepoNotFound"})

    def _api(self, repo_id: str, kind: str) -> None:
        repo = self.hub.repos.get(repo_id)
        if repo is None:
            return self._send(404, b'{"error": "Repository not found"}', {"X-Error-Code": "RepoNotFound"})
        if kind == "revision":
            data: object = {
                "id": repo_id,
                "sha": repo.sha,
                "siblings": [{"rfilename": name} for name in repo.files],
            }
        else:
            data = [
                {"type": "file", "path": name, "size": len(blob), "oid": _git_oid(blob)}
                for name, blob in repo.files.items()
            ]
        self._send(200, json.dumps(data).encode(), {"Content-Type": "application/json"})

    def _file(self, repo_id: str, name: str, body: bool) -> None:
        repo = self.hub.repos.get(repo_id)
        if repo is None or name not in repo.files:
            return self._send(404, b"", {"X-Error-Code": "EntryNotFound"})
        blob = repo.files[name]
        headers = {"ETag": f'"{_git_oid(blob)}"', "X-Repo-Commit": repo.sha, "Accept-Ranges": "bytes"}
        start = 0
        if body and (rng := re.match(r"bytes=(\d+)-", self.headers.get("Range", ""))):
            start = int(rng[1])
            headers["Content-Range"] = f"bytes {start}-{len(blob) - 1}/{len(blob)}"
        if not body:
            return self._send(200, b"", headers, length=len(blob))
        if self.hub.drop_once == name and start == 0:
            self.hub.drop_once = None  # once: cut the body half-way and close the connection
            cut = self.hub.drop_after or len(blob) // 2
            self._send(200, blob[:cut], headers, length=len(blob))
            self.close_connection = True
            return
        self._send(206 if start else 200, blob[start:], headers)

    def _send(self, status: int, data: bytes, headers: dict[str, str], length: int | None = None) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(data) if length is None else length))
        self.end_headers()
        if data:
            self.wfile.write(data)
            self.wfile.flush()


def _git_oid(blob: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(blob) + blob).hexdigest()
