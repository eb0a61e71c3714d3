"""Stage 5, the only stage that writes the site: bytes to disk atomically (staging, exchange, journal)."""
