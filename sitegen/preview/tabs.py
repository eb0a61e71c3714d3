"""The open tabs of a preview and what each is told after a rebuild. Knows nothing of HTTP: the server puts what
a tab is told on its EventSource stream."""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass, field

from .model import Preview, Rebuild


@dataclass(eq=False, slots=True)
class Client:
    """An open tab: the page it shows, the fingerprint of what it was shown, and its message queue."""

    path: str
    digest: str | None
    messages: queue.Queue[dict[str, object] | None] = field(default_factory=queue.Queue)


class Tabs:
    """The open tabs of a preview and what each was shown: after a rebuild, each tab is told what the rebuild means
    for it (an error, a stylesheet to swap, a reload, or nothing). Knows nothing of HTTP: the server puts what a tab
    is told on its EventSource stream."""

    def __init__(self, preview: Preview, *, navigate: bool = False) -> None:
        self.preview = preview
        self.navigate = navigate
        self.clients: set[Client] = set()
        self.lock = threading.Lock()

    def connect(self, path: str, served_digest: str, served_generation: int) -> Client:
        """A tab showing `path`, served from generation `served_generation` with bytes of fingerprint
        `served_digest`; a tab served before the latest rebuilds is caught up at once."""
        preview = self.preview
        generation = preview.current
        client = Client(path, served_digest or None)
        if generation is not None and served_generation and served_generation < generation.number:
            if sheets := preview.stylesheets_since(served_generation):
                client.messages.put({"type": "css", "paths": list(sheets)})
            if served_digest and generation.digest(path) != served_digest:
                client.messages.put({"type": "reload"})
        elif not served_digest:
            client.digest = generation.digest(path) if generation else None
        if preview.failure:
            client.messages.put({"type": "error", "text": preview.failure})
        with self.lock:
            self.clients.add(client)
        return client

    def disconnect(self, client: Client) -> None:
        with self.lock:
            self.clients.discard(client)

    def broadcast(self, result: Rebuild) -> None:
        """Tell each open tab what the rebuild means for it: an error, a stylesheet to swap, a reload, or nothing."""
        with self.lock:
            clients = list(self.clients)
        if result.generation is None:
            for client in clients:
                client.messages.put({"type": "error", "text": result.failure})
            return
        generation = result.generation
        for client in clients:
            client.messages.put({"type": "ok"})
            if result.stylesheets:
                client.messages.put({"type": "css", "paths": list(result.stylesheets)})
            if self.navigate and result.changed_urls:
                client.messages.put({"type": "navigate", "url": result.changed_urls[0]})
                continue
            digest = generation.digest(client.path)
            if digest != client.digest:
                client.digest = digest
                client.messages.put({"type": "reload"})

    def close(self) -> None:
        """End every tab's stream."""
        with self.lock:
            for client in self.clients:
                client.messages.put(None)
