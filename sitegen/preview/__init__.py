"""The live preview: the last good site in memory, the HTTP server and its live-reload script, the file watcher."""
