"""What lets a rebuild skip work: the persistent cache, cached parsing and the digest of every page's inputs.
A build without it (`--no-cache`) gives the same bytes."""
